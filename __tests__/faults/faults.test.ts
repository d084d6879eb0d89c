// The fault matrix (matrix.ts). `npm test` runs a quick subset; `npm run test:faults` runs every case and
// prints the table. Every case must keep every invariant.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { IDL } from '@icp-sdk/core/candid'
import type { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1'
import type { Principal } from '@icp-sdk/core/principal'
import { agentFor, counterFor, managementFor } from '../harness/agent.js'
import { startGitHubBackend, type GitHubBackend } from '../harness/github/index.js'
import { dfxSecp256k1Sec1, type PemFixture } from '../harness/pem.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'
import { Job, type StepResult } from '../harness/runner.js'
import { cases, faultTable, runCase, type Row, type World } from './matrix.js'

const full = process.env.FAULTS === 'full'
let replica: Replica
let stateDir: string
let github: GitHubBackend
let identity: PemFixture
let ic: IcManagementCanister
let controller: Principal
let world: World
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
  const connection = { identity: identity.pem, network: replica.url, 'root-key': replica.rootKeyHex }
  const env = (runId: number) => ({ ...github.envFor({ runId }), CANISTER_SNAPSHOT_RETRY_SCALE: '0.01' })
  world = {
    replica,
    github,
    ic,
    async newJob() {
      const job = await Job.create()
      jobs.push(job)
      return job
    },
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
    const failures = rows.filter(
      r => r.fired === false || !r.running || !r.kept || !r.rerun || r.oneLine === false
    ).length
    process.stdout.write(
      `\nFault matrix (${full ? 'full' : 'quick subset'}): ${rows.length} cases, ${failures} with a fault that never fired or a broken invariant\n\n${faultTable(rows)}\n\n`
    )
  }
  for (const job of jobs) await job.cleanup()
  await github?.stop()
  await replica?.stop()
  if (stateDir) await rm(stateDir, { recursive: true, force: true })
})

const matrix = cases(!full)

it.each(matrix.map((c, i) => [c.mode, c.fault.name, i] as const))(
  '%s with %s keeps every invariant',
  async (_mode, _fault, index) => {
    const { mode, fault } = matrix[index]
    const row = await runCase(world, mode, fault, 1_000 + index)
    rows.push(row)
    expect({ ...row, error: undefined }).toEqual({
      ...row,
      error: undefined,
      fired: row.fired === 'n/a' ? 'n/a' : true,
      running: true,
      kept: true,
      rerun: true,
      oneLine: row.oneLine === 'n/a' ? 'n/a' : true
    })
  },
  240_000
)
