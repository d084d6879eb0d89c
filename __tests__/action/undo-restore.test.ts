// Every restore can be undone: restore and upload-artifact with `restore: true` first take a safety snapshot
// of the state they replace, run from dist/ against the replica and the GitHub stand-in.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import type { Principal } from '@icp-sdk/core/principal'
import { agentFor, growAndFill } from '../harness/agent.js'
import { type GitHubBackend } from '../harness/github/index.js'
import { type PemFixture } from '../harness/pem.js'
import { Job, type StepResult } from '../harness/runner.js'
import { hex, startActionWorld, type ActionWorld } from '../harness/action-world.js'
import { type Replica } from '../harness/replica/replica.js'

let world: ActionWorld
let replica: Replica
let github: GitHubBackend
let identity: PemFixture
let ic: IcManagementCanister

beforeAll(async () => {
  world = await startActionWorld()
  ;({ replica, github, identity, ic } = world)
})

afterAll(async () => {
  await world?.stop()
})

const newJob = (): Promise<Job> => world.newJob()

const newCounter = (initial: bigint) => world.newCounter(initial)

function step(job: Job, inputs: Record<string, string>): Promise<StepResult> {
  return job.main({
    inputs: { identity: identity.pem, network: replica.url, 'root-key': replica.rootKeyHex, ...inputs },
    env: { ...github.envFor({ runId: 1201 }), CANISTER_SNAPSHOT_RETRY_SCALE: '0.01' }
  })
}

function expectSuccess(result: StepResult): void {
  if (result.code !== 0) throw new Error(`the step failed: ${result.errors.join(' | ') || result.stderr}`)
}

const snapshotIds = async (id: Principal) =>
  (await ic.listCanisterSnapshots({ canisterId: id })).map(s => hex(s.id))
const requestsTo = (id: Principal, method: string) =>
  replica.requests.filter(r => r.methodName === method && r.effectiveCanisterId === id.toText()).length

/** The canister's heap and stable memory as the IC holds them: a new snapshot, downloaded and hashed. */
async function memoryOf(id: Principal): Promise<Record<string, string>> {
  const job = await newJob()
  const result = await step(job, {
    mode: 'download-artifact',
    canister: id.toText(),
    'snapshot-id': 'new',
    path: 'memory'
  })
  expectSuccess(result)
  const hashes: Record<string, string> = {}
  for (const file of ['wasm_memory.bin', 'stable_memory.bin']) {
    hashes[file] = createHash('sha256')
      .update(await readFile(join(result.outputs.path, file)))
      .digest('hex')
  }
  // That snapshot only measured the state: it goes again.
  await ic.deleteCanisterSnapshot({
    canisterId: id,
    snapshotId: Buffer.from(result.outputs['snapshot-id'], 'hex')
  })
  return hashes
}

it('a wrong artifact loaded with restore: true is undone by mode: restore with the safety-snapshot-id', async () => {
  const production = await newCounter(7n)
  await growAndFill(await agentFor(replica, Ed25519KeyIdentity.generate()), production.id, {
    stablePages: 16,
    heapPages: 4,
    seed: 11n
  })
  const before = await memoryOf(production.id)
  const staging = await newCounter(99n)
  const kept = await step(await newJob(), {
    mode: 'download-artifact',
    canister: staging.id.toText(),
    'snapshot-id': 'new',
    'artifact-name': 'staging-snapshot'
  })
  expectSuccess(kept)

  // The mistake: staging's state restored into production.
  const wrong = await step(await newJob(), {
    mode: 'upload-artifact',
    canister: production.id.toText(),
    'artifact-name': 'staging-snapshot',
    'source-canister': staging.id.toText(),
    restore: 'true'
  })
  expectSuccess(wrong)
  expect(await production.counter.get()).toBe(99n)
  const safetyId = wrong.outputs['safety-snapshot-id']
  expect(safetyId).toMatch(/^[0-9a-f]+$/)
  expect(await snapshotIds(production.id)).toContain(safetyId)
  expect(wrong.log).toContain(`'snapshot-id: ${safetyId}'`)
  expect(wrong.summary).toContain('Safety snapshot (to undo this restore)')
  expect(wrong.summary).toContain(`icp canister snapshot restore ${production.id.toText()} ${safetyId}`)

  const undo = await step(await newJob(), {
    mode: 'restore',
    canister: production.id.toText(),
    'snapshot-id': safetyId
  })
  expectSuccess(undo)
  expect(await production.counter.get()).toBe(7n)
  expect(await memoryOf(production.id)).toEqual(before)
  // The undo is a restore too, so it kept the mistaken state in a safety snapshot of its own.
  expect(undo.outputs['safety-snapshot-id']).toMatch(/^[0-9a-f]+$/)
  expect(undo.outputs['safety-snapshot-id']).not.toBe(safetyId)
})

it('at the limit, on-limit fail changes nothing and replace-oldest spares the snapshot being restored', async () => {
  const { id, counter } = await newCounter(1n)
  for (let i = 0; i < 10; i++) await ic.takeCanisterSnapshot({ canisterId: id })
  const [oldest, second] = await snapshotIds(id)
  await counter.inc()

  const stopsBefore = requestsTo(id, 'stop_canister')
  const refused = await step(await newJob(), {
    mode: 'restore',
    canister: id.toText(),
    'snapshot-id': oldest
  })
  expect(refused.code).toBe(1)
  expect(refused.errors).toEqual([expect.stringMatching(/safety snapshot .*'on-limit: replace-oldest'/)])
  expect(requestsTo(id, 'stop_canister')).toBe(stopsBefore)
  expect(requestsTo(id, 'load_canister_snapshot')).toBe(0)
  expect(await counter.get()).toBe(2n)

  const rotated = await step(await newJob(), {
    mode: 'restore',
    canister: id.toText(),
    'snapshot-id': oldest,
    'on-limit': 'replace-oldest'
  })
  expectSuccess(rotated)
  const after = await snapshotIds(id)
  expect(after).toHaveLength(10)
  expect(after).toContain(oldest)
  expect(after).not.toContain(second)
  expect(after).toContain(rotated.outputs['safety-snapshot-id'])
  expect(await counter.get()).toBe(1n)
})

it('safety-snapshot: false takes none; an empty canister needs none; other modes refuse the input', async () => {
  const { id, counter } = await newCounter(5n)
  const snapshotId = hex((await ic.takeCanisterSnapshot({ canisterId: id })).id)
  await counter.inc()

  const off = await step(await newJob(), {
    mode: 'restore',
    canister: id.toText(),
    'snapshot-id': snapshotId,
    'safety-snapshot': 'false'
  })
  expectSuccess(off)
  expect(off.outputs['safety-snapshot-id'] ?? '').toBe('')
  expect(await snapshotIds(id)).toEqual([snapshotId])
  expect(await counter.get()).toBe(5n)

  await ic.stopCanister(id)
  await ic.uninstallCode({ canisterId: id })
  await ic.startCanister(id)
  const empty = await step(await newJob(), {
    mode: 'restore',
    canister: id.toText(),
    'snapshot-id': snapshotId
  })
  expectSuccess(empty)
  expect(empty.log).toContain('has no code installed: nothing to lose, so no safety snapshot is taken')
  expect(await snapshotIds(id)).toEqual([snapshotId])
  expect(await counter.get()).toBe(5n)

  const dry = await step(await newJob(), {
    mode: 'restore',
    canister: id.toText(),
    'snapshot-id': snapshotId,
    'dry-run': 'true'
  })
  expectSuccess(dry)
  expect(dry.log).toMatch(
    /\[dry run\] would stop .*take a safety snapshot of the current state, load snapshot/
  )

  const misplaced = await step(await newJob(), {
    mode: 'list',
    canister: id.toText(),
    'safety-snapshot': 'true'
  })
  expect(misplaced.code).toBe(1)
  expect(misplaced.errors).toEqual([
    "Input 'safety-snapshot': applies only to mode 'restore' and to 'upload-artifact' with 'restore: true', which load a snapshot"
  ])
})
