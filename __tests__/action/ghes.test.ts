// On GitHub Enterprise Server (simulated: GITHUB_SERVER_URL names another host, the rule @actions/artifact
// itself applies) the artifact modes fail first, with one line: no canister is stopped, no snapshot taken, no
// byte read from the IC or sent to it, and no request reaches the artifact service. A local `path` still works.
import type { ActorSubclass } from '@icp-sdk/core/agent'
import { IDL } from '@icp-sdk/core/candid'
import type { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1'
import type { Principal } from '@icp-sdk/core/principal'
import { agentFor, counterFor, managementFor, type Counter } from '../harness/agent.js'
import { startGitHubBackend, type GitHubBackend } from '../harness/github/index.js'
import { dfxSecp256k1Sec1, type PemFixture } from '../harness/pem.js'
import { Job, type StepResult } from '../harness/runner.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'
import { isGhes } from '../../src/github/ghes.js'

const GHES = 'https://ghes.example.com'

let replica: Replica
let github: GitHubBackend
let identity: PemFixture
let ic: IcManagementCanister
let controller: Principal
let job: Job

beforeAll(async () => {
  replica = await startReplica({ syncCallTimeoutMs: 500 })
  github = await startGitHubBackend()
  identity = await dfxSecp256k1Sec1()
  const controllerIdentity = Secp256k1KeyIdentity.fromPem(identity.pem)
  controller = controllerIdentity.getPrincipal()
  ic = managementFor(await agentFor(replica, controllerIdentity))
  job = await Job.create()
})

afterAll(async () => {
  await job?.cleanup()
  await github?.stop()
  await replica?.stop()
})

const nat64 = (n: bigint) => new Uint8Array(IDL.encode([IDL.Nat64], [n]))
const hex = (bytes: Uint8Array | number[]) => Buffer.from(bytes).toString('hex')

async function newCounter(initial: bigint): Promise<{ id: Principal; counter: ActorSubclass<Counter> }> {
  const id = await replica.seedCanister('counter', [controller], nat64(initial))
  return { id, counter: counterFor(await agentFor(replica, Ed25519KeyIdentity.generate()), id) }
}

function step(runId: number, inputs: Record<string, string>, serverUrl = GHES): Promise<StepResult> {
  return job.main({
    inputs: { identity: identity.pem, network: replica.url, 'root-key': replica.rootKeyHex, ...inputs },
    env: {
      ...github.envFor({ runId }),
      GITHUB_SERVER_URL: serverUrl,
      CANISTER_SNAPSHOT_RETRY_SCALE: '0.01'
    }
  })
}

/** What the canister looks like from outside: its run state, its snapshots and its counter. */
async function observe(id: Principal, counter: ActorSubclass<Counter>) {
  const { status } = await ic.canisterStatus({ canisterId: id })
  const snapshots = (await ic.listCanisterSnapshots({ canisterId: id })).map(s => hex(s.id))
  return { status: Object.keys(status)[0], snapshots, value: await counter.get() }
}

/** Every request the step made to the replica about this canister, by method (status reads included). */
function managementCalls(id: Principal, since: number): string[] {
  return replica.requests
    .slice(since)
    .filter(r => r.effectiveCanisterId === id.toText() && r.methodName)
    .map(r => r.methodName as string)
}

function expectGhesFailure(result: StepResult, line: string): void {
  expect(result.code).not.toBe(0)
  expect(result.errors).toEqual([expect.stringContaining(line)])
  expect(result.errors[0]).not.toMatch(/[\r\n]/)
  expect(result.errors[0]).not.toMatch(/\bat .*\.js:\d+/)
  expect(result.stderr).not.toMatch(/GHESNotSupportedError|\bat .*\.js:\d+/)
}

const CHANGING =
  /^(stop_canister|start_canister|take_canister_snapshot|load_canister_snapshot|delete_canister_snapshot|read_canister_snapshot_|upload_canister_snapshot_)/

describe('on GitHub Enterprise Server', () => {
  it('download-artifact with snapshot-id new fails before the canister is stopped or a snapshot taken', async () => {
    const { id, counter } = await newCounter(7n)
    const before = await observe(id, counter)
    const since = replica.requests.length
    const githubSince = github.requests.length
    const result = await step(401, { mode: 'download-artifact', canister: id.toText(), 'snapshot-id': 'new' })
    expectGhesFailure(
      result,
      'download-artifact needs workflow artifacts, which @actions/artifact v2 and later do not support on GitHub Enterprise Server; nothing was changed.'
    )
    expect(managementCalls(id, since).filter(m => CHANGING.test(m))).toEqual([])
    expect(await observe(id, counter)).toEqual(before)
    expect(before).toMatchObject({ status: 'running', snapshots: [], value: 7n })
    expect(github.requests.length).toBe(githubSince)
    expect(github.artifacts({ runId: 401 })).toEqual([])
  })

  it('download-artifact of an existing snapshot reads no byte of it', async () => {
    const { id, counter } = await newCounter(3n)
    await ic.stopCanister(id)
    await ic.takeCanisterSnapshot({ canisterId: id })
    await ic.startCanister(id)
    const before = await observe(id, counter)
    const since = replica.requests.length
    const result = await step(402, {
      mode: 'download-artifact',
      canister: id.toText(),
      'snapshot-id': 'latest'
    })
    expectGhesFailure(result, 'download-artifact needs workflow artifacts')
    expect(managementCalls(id, since).filter(m => CHANGING.test(m))).toEqual([])
    expect(await observe(id, counter)).toEqual(before)
  })

  it('upload-artifact with restore fails before the canister is stopped or the artifact service is asked', async () => {
    const { id, counter } = await newCounter(5n)
    const before = await observe(id, counter)
    const since = replica.requests.length
    const githubSince = github.requests.length
    const result = await step(403, {
      mode: 'upload-artifact',
      canister: id.toText(),
      'artifact-name': 'snapshot-backend',
      restore: 'true'
    })
    expectGhesFailure(
      result,
      'upload-artifact from an artifact needs workflow artifacts, which @actions/artifact v2 and later do not support on GitHub Enterprise Server; nothing was changed. On GHES, give `path`'
    )
    expect(managementCalls(id, since).filter(m => CHANGING.test(m))).toEqual([])
    expect(await observe(id, counter)).toEqual(before)
    expect(github.requests.length).toBe(githubSince)
  })

  it('upload-artifact from a local path still works: no artifact is involved', async () => {
    const source = await newCounter(42n)
    const target = await newCounter(0n)
    const downloaded = await step(
      404,
      { mode: 'download-artifact', canister: source.id.toText(), 'snapshot-id': 'new' },
      'https://github.com'
    )
    if (downloaded.code !== 0) throw new Error(`download failed: ${downloaded.errors.join(' | ')}`)
    const uploaded = await step(405, {
      mode: 'upload-artifact',
      canister: target.id.toText(),
      path: downloaded.outputs.path,
      'source-canister': source.id.toText(),
      restore: 'true'
    })
    if (uploaded.code !== 0) throw new Error(`upload failed: ${uploaded.errors.join(' | ')}`)
    expect(uploaded.outputs.restored).toBe('true')
    expect(await target.counter.get()).toBe(42n)
  })
})

describe("@actions/artifact's GHES rule", () => {
  it.each([
    ['https://github.com', false],
    ['https://GitHub.com/', false],
    ['https://acme.ghe.com', false],
    ['http://github.localhost', false],
    ['https://ghes.example.com', true],
    ['https://github.example.org', true],
    ['http://127.0.0.1:8080', true]
  ])('%s is GHES: %s', (url, expected) => {
    expect(isGhes(url)).toBe(expected)
  })
})
