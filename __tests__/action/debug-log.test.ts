// With ACTIONS_STEP_DEBUG the runner shows the `::debug::` lines a step prints: each retry decision, each
// slice's timing, each change of the number of slices in flight and each reject code the IC gave. dist/ runs
// against the replica with faults injected, and the debug lines are read from the step's workflow commands.
import { IDL } from '@icp-sdk/core/candid'
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1'
import type { Principal } from '@icp-sdk/core/principal'
import { startGitHubBackend, type GitHubBackend } from '../harness/github/index.js'
import { dfxSecp256k1Sec1, type PemFixture } from '../harness/pem.js'
import { Job, type StepResult } from '../harness/runner.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'

let replica: Replica
let github: GitHubBackend
let identity: PemFixture
let controller: Principal
let job: Job

beforeAll(async () => {
  replica = await startReplica({ syncCallTimeoutMs: 500 })
  github = await startGitHubBackend()
  identity = await dfxSecp256k1Sec1()
  controller = Secp256k1KeyIdentity.fromPem(identity.pem).getPrincipal()
  job = await Job.create()
})

afterAll(async () => {
  await job?.cleanup()
  await github?.stop()
  await replica?.stop()
})

afterEach(() => {
  replica.controls.clearFaults()
})

function step(runId: number, inputs: Record<string, string>): Promise<StepResult> {
  return job.main({
    inputs: { identity: identity.pem, network: replica.url, 'root-key': replica.rootKeyHex, ...inputs },
    env: { ...github.envFor({ runId }), ACTIONS_STEP_DEBUG: 'true', CANISTER_SNAPSHOT_RETRY_SCALE: '0.01' }
  })
}

const debugLines = (result: StepResult) => result.commands.filter(c => c.name === 'debug').map(c => c.data)

it('a download logs each slice, each change in flight and the decision on a failed read', async () => {
  const id = await replica.seedCanister(
    'counter',
    [controller],
    new Uint8Array(IDL.encode([IDL.Nat64], [9n]))
  )
  // The second read of snapshot data answers 503 once: it is tried again.
  replica.controls.failNext(1, '5xx', ['call'], 'read_canister_snapshot_data', 1)
  const result = await step(501, { mode: 'download-artifact', canister: id.toText(), 'snapshot-id': 'new' })
  if (result.code !== 0) throw new Error(`the step failed: ${result.errors.join(' | ')}`)
  const debug = debugLines(result)
  expect(debug).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^Slice read wasm_module at 0: \d+ bytes in \d+ ms$/),
      expect.stringMatching(/^Slice read wasm_memory at 0: \d+ bytes in \d+ ms$/),
      expect.stringMatching(
        /^read_canister_snapshot_data .*: try 1 of 5 failed \(HTTP 5\d\d [^)]*\): retrying$/
      ),
      expect.stringMatching(/^Slices in flight: \d+ \(a call was retried: HTTP 5\d\d/)
    ])
  )
  // Every slice the replica served is timed in the log.
  const served = replica.requests.filter(
    r => r.methodName === 'read_canister_snapshot_data' && r.effectiveCanisterId === id.toText()
  ).length
  const timedSlices = debug.filter(l => /^Slice read /.test(l)).length
  expect(timedSlices).toBeGreaterThanOrEqual(2)
  expect(timedSlices).toBeLessThanOrEqual(served)
})

it('a reject from the IC logs its reject code', async () => {
  const id = await replica.seedCanister('broken_counter', [controller])
  const result = await step(502, {
    mode: 'guard-upgrade',
    canister: id.toText(),
    deploy: 'true',
    'health-method': 'health',
    'health-retries': '0',
    'health-delay': '0'
  })
  expect(result.code).not.toBe(0)
  expect(result.outputs['failed-check']).toBe('health-method')
  expect(debugLines(result)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(
        new RegExp(
          `^health on ${id.toText()}: the IC rejected the call with reject code 5, error code IC0\\d+$`
        )
      )
    ])
  )
})
