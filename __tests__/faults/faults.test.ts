// The fault matrix (matrix.ts). `npm test` runs a quick subset; `npm run test:faults` runs every case and
// prints the table. Every case must end as it expects and keep every invariant. FAULTS_FILTER=<regex> runs
// only the cases whose mode and fault name match it.
import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { IDL } from '@icp-sdk/core/candid'
import type { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1'
import type { Principal } from '@icp-sdk/core/principal'
import { agentFor, counterFor, managementFor } from '../harness/agent.js'
import { compileCanister, withReleaseTag } from '../harness/canisters/compile.js'
import { ICP_BIN, IcpCli } from '../harness/icp-cli.js'
import { startGitHubBackend, type GitHubBackend } from '../harness/github/index.js'
import { dfxSecp256k1Sec1, type PemFixture } from '../harness/pem.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'
import { Job, type StepResult } from '../harness/runner.js'
import { cases, faultTable, runCase, type Release, type Row, type World } from './matrix.js'

const full = process.env.FAULTS === 'full'
let replica: Replica
let stateDir: string
let github: GitHubBackend
let identity: PemFixture
let ic: IcManagementCanister
let controller: Principal
let world: World
let icp: IcpCli
const modules = {} as Record<Release, Uint8Array>
const jobs: Job[] = []
const rows: Row[] = []

beforeAll(async () => {
  // With a state dir, a restart is a crash: the replica reads back what it saved, as a real one does.
  stateDir = await mkdtemp(join(tmpdir(), 'faults-replica-'))
  replica = await startReplica({ syncCallTimeoutMs: 500, stateDir })
  github = await startGitHubBackend()
  identity = await dfxSecp256k1Sec1()
  const controllerIdentity = Secp256k1KeyIdentity.fromPem(identity.pem)
  controller = controllerIdentity.getPrincipal()
  ic = managementFor(await agentFor(replica, controllerIdentity))
  // guard-upgrade's deploys are the real icp-cli, as in guard-upgrade.test.ts.
  icp = await IcpCli.create({ url: replica.url, rootKeyHex: replica.rootKeyHex })
  const pemFile = join(icp.root, 'secrets', 'controller.pem')
  await writeFile(pemFile, identity.pem, { mode: 0o600 })
  await icp.importIdentity('controller', pemFile)
  modules.counter = await compileCanister('counter')
  modules.release2 = withReleaseTag(modules.counter, '2')
  modules.broken = await compileCanister('broken_counter')
  const connection = { identity: identity.pem, network: replica.url, 'root-key': replica.rootKeyHex }
  const env = (runId: number) => ({
    ...github.envFor({ runId }),
    ...(icp.env as Record<string, string>),
    ICP: ICP_BIN,
    ICP_TARGET: `--network ${replica.url} --root-key ${replica.rootKeyHex} --identity controller`,
    CANISTER_SNAPSHOT_RETRY_SCALE: '0.01'
  })
  world = {
    replica,
    github,
    ic,
    async newJob() {
      const job = await Job.create()
      jobs.push(job)
      for (const [name, bytes] of Object.entries(modules))
        await writeFile(join(job.workspace, `${name}.wasm`), bytes)
      return job
    },
    deploy: (id, release) =>
      `"$ICP" canister install ${id.toText()} --wasm ${release}.wasm --mode upgrade $ICP_TARGET`,
    moduleHashOf: release => createHash('sha256').update(modules[release]).digest('hex'),
    async newCounter(value: bigint) {
      const id = await replica.seedCanister(
        'counter',
        [controller],
        new Uint8Array(IDL.encode([IDL.Nat64], [value]))
      )
      return { id, counter: counterFor(await agentFor(replica, Ed25519KeyIdentity.generate()), id) }
    },
    async retire(id) {
      await ic.stopCanister(id)
      await ic.deleteCanister(id)
    },
    step: (job, runId, inputs, { env: extraEnv, ...extra } = {}) =>
      job.main({
        inputs: { ...connection, ...inputs },
        env: { ...env(runId), ...extraEnv },
        timeoutMs: 90_000,
        ...extra
      }),
    post: (job, main: StepResult, inputs, jobStatus) =>
      job.post({
        inputs: { ...connection, ...inputs },
        env: env(1),
        state: main.state,
        jobStatus,
        timeoutMs: 90_000
      })
  }
})

afterAll(async () => {
  if (rows.length > 0) {
    const failures = rows.filter(r => r.problems.length > 0).length
    process.stdout.write(
      `\nFault matrix (${full ? 'full' : 'quick subset'}): ${rows.length} cases in ${((performance.now() - started) / 1000).toFixed(0)} s, ${failures} that did not end as expected or broke an invariant\n\n${faultTable(rows)}\n\n`
    )
  }
  await icp?.cleanup()
  for (const job of jobs) await job.cleanup()
  await github?.stop()
  await replica?.stop()
  if (stateDir) await rm(stateDir, { recursive: true, force: true })
})

const started = performance.now()
const matrix = cases(!full, process.env.FAULTS_FILTER)

it.each(matrix.map((c, i) => [c.mode, c.fault.name, i] as const))(
  '%s with %s ends as expected and keeps every invariant',
  async (_mode, _fault, index) => {
    const { mode, fault } = matrix[index]
    const row = await runCase(world, mode, fault, 1_000 + index)
    rows.push(row)
    expect(row.problems).toEqual([])
  },
  300_000
)
