// Restore drills: restore, and upload-artifact with `restore: true`, are done when the canister answers.
// The guard's checks run against the restored canister, from dist/ against the replica; a check that fails
// loads the safety snapshot back and fails the step with one line.
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import type { Principal } from '@icp-sdk/core/principal'
import { agentFor, growAndFill } from '../harness/agent.js'
import { hex, startActionWorld, type ActionWorld } from '../harness/action-world.js'
import type { Job, StepResult } from '../harness/runner.js'

let world: ActionWorld
let job: Job

beforeAll(async () => {
  world = await startActionWorld()
  job = await world.newJob()
})

afterAll(async () => {
  await world?.stop()
})

function step(inputs: Record<string, string>): Promise<StepResult> {
  return job.main({
    inputs: { ...world.connection(), 'health-delay': '0', 'health-retries': '1', ...inputs },
    env: { ...world.github.envFor({ runId: 1701 }), CANISTER_SNAPSHOT_RETRY_SCALE: '0.01' }
  })
}

function expectSuccess(result: StepResult): void {
  if (result.code !== 0) throw new Error(`the step failed: ${result.errors.join(' | ') || result.stderr}`)
}

function expectOneLineError(result: StepResult, pattern: RegExp): void {
  expect(result.code).toBe(1)
  expect(result.errors).toHaveLength(1)
  expect(result.errors[0]).toMatch(pattern)
  expect(result.errors[0]).not.toMatch(/\n|\s+at\s/)
}

const snapshotIds = async (id: Principal): Promise<string[]> =>
  (await world.ic.listCanisterSnapshots({ canisterId: id })).map(s => hex(s.id))

/** A counter at `value` whose snapshot holds `backedUp`, with filled memories so that states differ. */
async function backedUpCounter(backedUp: bigint, value: bigint) {
  const made = await world.newCounter(backedUp)
  await growAndFill(await agentFor(world.replica, Ed25519KeyIdentity.generate()), made.id, {
    stablePages: 4,
    heapPages: 1,
    seed: backedUp
  })
  const atBackup = await world.memoryOf(made.id)
  await world.ic.stopCanister(made.id)
  const snapshotId = hex((await world.ic.takeCanisterSnapshot({ canisterId: made.id })).id)
  await world.ic.startCanister(made.id)
  for (let i = backedUp; i < value; i++) await made.counter.inc()
  return { ...made, snapshotId, atBackup }
}

it('a healthy drill: restore passes the health method and the module hash, and keeps the restored state', async () => {
  const { id, counter, snapshotId, atBackup } = await backedUpCounter(3n, 6n)
  const hash = hex((await world.ic.canisterStatus({ canisterId: id })).module_hash[0] as Uint8Array)
  const result = await step({
    mode: 'restore',
    canister: id.toText(),
    'snapshot-id': snapshotId,
    'health-method': 'health',
    'health-expect': '("ok")',
    'expected-module-hash': hash
  })
  expectSuccess(result)
  expect(await counter.get()).toBe(3n)
  expect(await world.memoryOf(id)).toEqual(atBackup)
  expect(result.outputs['rolled-back']).toBe('false')
  expect(result.outputs['failed-check']).toBe('')
  expect(result.summary).toContain('Timeline')
  expect(result.log).toMatch(/health\(\) on .*: passed \(replied \("ok"\)\)/)
  expect(result.log).toContain('passed every check')
})

it('a failing drill: restore rolls back to the safety snapshot and fails the step with one line', async () => {
  const { id, counter, snapshotId } = await backedUpCounter(2n, 9n)
  const before = await world.memoryOf(id)
  const result = await step({
    mode: 'restore',
    canister: id.toText(),
    'snapshot-id': snapshotId,
    'health-method': 'health',
    'health-expect': '("not ok")'
  })
  expectOneLineError(
    result,
    /^The restored canister failed the health-method check \(health\(\) on \S+\): replied \("ok"\), expected \("not ok"\) \('health-expect'\)\. Rolled back: \S+ runs [0-9a-f]{12}… again from snapshot [0-9a-f]+\.$/
  )
  const safety = result.outputs['safety-snapshot-id']
  expect(result.errors[0]).toContain(safety)
  expect(result.outputs['rolled-back']).toBe('true')
  expect(result.outputs['failed-check']).toBe('health-method')
  // The canister runs what it ran before the restore: the same counter and the same memory, byte for byte.
  expect(await counter.get()).toBe(9n)
  expect(await world.memoryOf(id)).toEqual(before)
  expect(await snapshotIds(id)).toEqual([snapshotId, safety])
  expect(result.summary).toContain('Canisters after the rollback')
  expect(Object.keys((await world.ic.canisterStatus({ canisterId: id })).status)).toEqual(['running'])
})

it('upload-artifact with restore: a failing health command rolls back; a passing one keeps the upload', async () => {
  const { id, counter } = await backedUpCounter(4n, 4n)
  const download = await step({
    mode: 'download-artifact',
    canister: id.toText(),
    'snapshot-id': 'new',
    path: 'drill'
  })
  expectSuccess(download)
  for (let i = 0; i < 3; i++) await counter.inc()
  const before = await world.memoryOf(id)

  const failing = await step({
    mode: 'upload-artifact',
    canister: id.toText(),
    path: 'drill',
    restore: 'true',
    'health-command': 'exit 3'
  })
  expectOneLineError(
    failing,
    /^The restored canister failed the health-command check \(Command: exit 3\): exited with 3\. Rolled back: /
  )
  expect(await counter.get()).toBe(7n)
  expect(await world.memoryOf(id)).toEqual(before)

  const passing = await step({
    mode: 'upload-artifact',
    canister: id.toText(),
    path: 'drill',
    restore: 'true',
    'health-command': 'exit 0',
    'safety-snapshot': 'false'
  })
  expectSuccess(passing)
  expect(await counter.get()).toBe(4n)
})

it('a failing drill with nothing to roll back to says so, and leaves the restored state', async () => {
  const { id, counter, snapshotId } = await backedUpCounter(1n, 5n)
  const result = await step({
    mode: 'restore',
    canister: id.toText(),
    'snapshot-id': snapshotId,
    'safety-snapshot': 'false',
    'health-command': 'exit 1'
  })
  expectOneLineError(
    result,
    /^The restored canister failed the health-command check .*: exited with 1\. It keeps the state of [0-9a-f]+: there is no safety snapshot to roll back to\.$/
  )
  expect(result.outputs['rolled-back']).toBe('false')
  expect(await counter.get()).toBe(1n)
})

it('the dry run names the checks; deploy is refused outside guard-upgrade; checks need a restore', async () => {
  const { id, snapshotId } = await backedUpCounter(1n, 1n)
  const dry = await step({
    mode: 'restore',
    canister: id.toText(),
    'snapshot-id': snapshotId,
    'health-method': 'health',
    'dry-run': 'true'
  })
  expectSuccess(dry)
  expect(dry.log).toMatch(/\[dry run\] would stop .*, then check: health\(\) \(rolling back if one fails\)/)

  const seen = world.replica.requests.length
  const deploy = await step({
    mode: 'restore',
    canister: id.toText(),
    'snapshot-id': snapshotId,
    deploy: 'true'
  })
  expectOneLineError(deploy, /Input 'deploy': applies only to mode 'guard-upgrade'/)
  const noRestore = await step({
    mode: 'upload-artifact',
    canister: id.toText(),
    path: 'drill',
    'health-method': 'health'
  })
  expectOneLineError(
    noRestore,
    /Input 'health-method': applies only to modes 'guard-upgrade' and 'restore', and to 'upload-artifact' with 'restore: true'/
  )
  expect(world.replica.requests.length).toBe(seen)
})
