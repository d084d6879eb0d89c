// A network between the action and the IC that rewrites replies, run from dist/ against the replica: the
// certificate of one reply goes out with its signature changed. The action must refuse the reply, say so in
// one line without a stack trace (the SDK's error text carries one), and leave the canister running.
import type { Principal } from '@icp-sdk/core/principal'
import { hex, startActionWorld, type ActionWorld } from '../harness/action-world.js'
import { type Job, type StepResult } from '../harness/runner.js'

let world: ActionWorld
const RUN = 1701

beforeAll(async () => {
  world = await startActionWorld()
})

afterAll(async () => {
  await world?.stop()
})

afterEach(() => world.replica.controls.clearFaults())

function step(job: Job, inputs: Record<string, string>): Promise<StepResult> {
  return job.main({
    inputs: { ...world.connection(), ...inputs },
    env: { ...world.github.envFor({ runId: RUN }), CANISTER_SNAPSHOT_RETRY_SCALE: '0.01' }
  })
}

// A stack frame as V8 prints it: `at fn (/path/file.js:12:34)` or `at /path/file.js:12:34`.
const STACK_FRAME = /\bat (?:async )?(?:\S+ \()?(?:file:\/\/)?\/\S+:\d+:\d+\)?/

function expectRefusedCertificate(result: StepResult): void {
  expect(result.code).toBe(1)
  expect(result.errors).toHaveLength(1)
  expect(result.errors[0]).toMatch(/certificate/i)
  expect(result.errors[0]).not.toMatch(STACK_FRAME)
  expect(result.errors[0]).not.toContain('node_modules')
  // Nor anywhere in the log, debug lines included.
  expect(result.log).not.toMatch(STACK_FRAME)
}

async function status(id: Principal): Promise<string> {
  return Object.keys((await world.ic.canisterStatus({ canisterId: id })).status)[0]
}

it('refuses a forged reply to a snapshot read, and starts the canister again', async () => {
  const { id } = await world.newCounter(5n)
  const before = await world.ic.listCanisterSnapshots({ canisterId: id })
  world.replica.controls.failNext(1, 'forged-signature', ['call'], 'read_canister_snapshot_data')
  const job = await world.newJob()
  const result = await step(job, {
    mode: 'download-artifact',
    canister: id.toText(),
    'snapshot-id': 'new',
    path: 'snapshot'
  })
  expect(world.replica.controls.faultsFired()).toBe(true)
  expectRefusedCertificate(result)
  expect(result.errors[0]).toMatch(/a download of snapshot \w+ into the same path fetches only the rest/)
  expect(await status(id)).toBe('running')
  // The one snapshot the step took stays for the resume, and the resume reads the rest of it.
  const after = (await world.ic.listCanisterSnapshots({ canisterId: id })).map(s => hex(s.id))
  expect(after).toHaveLength(before.length + 1)
  const resumed = await step(job, {
    mode: 'download-artifact',
    canister: id.toText(),
    'snapshot-id': after[after.length - 1],
    path: 'snapshot'
  })
  if (resumed.code !== 0) throw new Error(`the resume failed: ${resumed.errors.join(' | ')}`)
  expect(resumed.outputs['snapshot-id']).toBe(after[after.length - 1])
})

it('refuses a forged reply to take_canister_snapshot, and starts the canister again', async () => {
  const { id } = await world.newCounter(6n)
  world.replica.controls.failNext(1, 'forged-signature', ['call'], 'take_canister_snapshot')
  const job = await world.newJob()
  const result = await step(job, { mode: 'create', canister: id.toText() })
  expect(world.replica.controls.faultsFired()).toBe(true)
  expectRefusedCertificate(result)
  expect(result.outputs['snapshot-id'] ?? '').toBe('')
  expect(await status(id)).toBe('running')
})

it('refuses a forged read_state reply in the preflight, before anything is stopped', async () => {
  const { id } = await world.newCounter(7n)
  world.replica.controls.failNext(1, 'forged-signature', ['read_state'])
  const job = await world.newJob()
  const result = await step(job, { mode: 'create', canister: id.toText() })
  expect(world.replica.controls.faultsFired()).toBe(true)
  expectRefusedCertificate(result)
  expect(result.log).not.toMatch(/Stopping/i)
  expect(await world.ic.listCanisterSnapshots({ canisterId: id })).toEqual([])
})
