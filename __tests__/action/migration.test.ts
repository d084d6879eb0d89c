// Moving a canister's state and freeing a canister, run from dist/ against the replica: `uninstall-code` on
// create, upload-artifact with `restore: true` into a canister with no code, and `delete-after-restore`.
import { mkdtemp, readdir, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import type { Principal } from '@icp-sdk/core/principal'
import { agentFor, counterFor, growAndFill } from '../harness/agent.js'
import { hex, startActionWorld, type ActionWorld } from '../harness/action-world.js'
import type { Job, StepResult } from '../harness/runner.js'

let world: ActionWorld
// One job's workspace: a directory downloaded by one step is there for the next.
let job: Job

beforeAll(async () => {
  world = await startActionWorld()
  job = await world.newJob()
})

afterAll(async () => {
  await world?.stop()
})

afterEach(() => {
  world.replica.controls.clearFaults()
})

function step(inputs: Record<string, string>, runId = 1601): Promise<StepResult> {
  return job.main({
    inputs: { ...world.connection(), ...inputs },
    env: { ...world.github.envFor({ runId }), CANISTER_SNAPSHOT_RETRY_SCALE: '0.01' }
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
const calls = (id: Principal, method: string): number =>
  world.replica.requests.filter(
    r => r.endpoint === 'call' && r.methodName === method && r.effectiveCanisterId === id.toText()
  ).length

async function moduleHashOf(id: Principal): Promise<string | undefined> {
  const [hash] = (await world.ic.canisterStatus({ canisterId: id })).module_hash
  return hash ? hex(hash) : undefined
}

/** A counter at `value` with grown, filled memories: state worth moving. */
async function filledCounter(value: bigint, seed: bigint) {
  const made = await world.newCounter(value)
  await growAndFill(await agentFor(world.replica, Ed25519KeyIdentity.generate()), made.id, {
    stablePages: 8,
    heapPages: 2,
    seed
  })
  return made
}

/** A canister of the controller with no code: a counter whose code was uninstalled. */
async function emptyCanister(): Promise<Principal> {
  const { id } = await world.newCounter(0n)
  await world.ic.uninstallCode({ canisterId: id })
  expect(await moduleHashOf(id)).toBeUndefined()
  return id
}

/** Downloads a new snapshot of `id` to a local directory, and drops that snapshot again. */
async function snapshotDirOf(id: Principal, path: string): Promise<void> {
  const result = await step({ mode: 'download-artifact', canister: id.toText(), 'snapshot-id': 'new', path })
  expectSuccess(result)
  await world.ic.deleteCanisterSnapshot({
    canisterId: id,
    snapshotId: Buffer.from(result.outputs['snapshot-id'], 'hex')
  })
}

describe('create with uninstall-code', () => {
  it('takes the snapshot and uninstalls the code in one call; restore brings the state back', async () => {
    const { id, counter } = await filledCounter(41n, 3n)
    const before = await world.memoryOf(id)
    const takes = calls(id, 'take_canister_snapshot')

    const result = await step({ mode: 'create', canister: id.toText(), 'uninstall-code': 'true' })
    expectSuccess(result)
    const snapshotId = result.outputs['snapshot-id']
    expect(await snapshotIds(id)).toEqual([snapshotId])
    // One take, and no separate uninstall_code call that a failure between the two could leave undone.
    expect(calls(id, 'take_canister_snapshot')).toBe(takes + 1)
    expect(calls(id, 'uninstall_code')).toBe(0)
    expect(await moduleHashOf(id)).toBeUndefined()
    const { status, memory_metrics } = await world.ic.canisterStatus({ canisterId: id })
    expect(Object.keys(status)).toEqual(['running'])
    expect(memory_metrics.wasm_memory_size + memory_metrics.stable_memory_size).toBe(0n)
    expect(result.log).toContain('Uninstalled the code of')
    expect(result.summary).toContain('empty: code uninstalled')
    expect(result.summary).toContain('the snapshot is the only copy of the state')

    const restored = await step({ mode: 'restore', canister: id.toText(), 'snapshot-id': snapshotId })
    expectSuccess(restored)
    expect(await counter.get()).toBe(41n)
    expect(await world.memoryOf(id)).toEqual(before)
  })

  it('is refused in other modes, before anything is read from the IC', async () => {
    const { id } = await world.newCounter(1n)
    const seen = world.replica.requests.length
    const result = await step({ mode: 'list', canister: id.toText(), 'uninstall-code': 'true' })
    expectOneLineError(result, /uninstall-code.*applies only to mode 'create'/)
    expect(world.replica.requests.length).toBe(seen)
  })

  it('the dry run says what it would do and changes nothing', async () => {
    const { id } = await world.newCounter(2n)
    const hash = await moduleHashOf(id)
    const result = await step({
      mode: 'create',
      canister: id.toText(),
      'uninstall-code': 'true',
      'dry-run': 'true'
    })
    expectSuccess(result)
    expect(result.log).toMatch(
      /\[dry run\] would stop .*take a snapshot and uninstall its code in the same call/
    )
    expect(await moduleHashOf(id)).toBe(hash)
    expect(await snapshotIds(id)).toEqual([])
  })
})

describe('upload-artifact with restore into a canister with no code (a migration)', () => {
  it('moves the whole state into the empty canister; with delete-after-restore it ends with no snapshots', async () => {
    const source = await filledCounter(77n, 9n)
    const expected = await world.memoryOf(source.id)
    await snapshotDirOf(source.id, 'migrate')
    const target = await emptyCanister()

    const result = await step({
      mode: 'upload-artifact',
      canister: target.toText(),
      path: 'migrate',
      restore: 'true',
      'source-canister': source.id.toText(),
      'delete-after-restore': 'true'
    })
    expectSuccess(result)
    expect(result.log).toContain('has no code installed: nothing to lose, so no safety snapshot is taken')
    expect(result.outputs.restored).toBe('true')
    expect(result.outputs['safety-snapshot-id'] ?? '').toBe('')
    // Uploaded, loaded, then deleted: the canister holds none, as migration requires.
    expect(calls(target, 'upload_canister_snapshot_metadata')).toBe(1)
    expect(calls(target, 'load_canister_snapshot')).toBe(1)
    expect(calls(target, 'delete_canister_snapshot')).toBe(1)
    expect(await snapshotIds(target)).toEqual([])
    expect(result.log).toMatch(
      /Deleted the uploaded snapshot [0-9a-f]+ now that .* the canister holds no snapshots/
    )
    expect(result.outputs['module-hash']).toBe(expected.module)
    expect(await world.memoryOf(target)).toEqual(expected)
    const moved = counterFor(await agentFor(world.replica, Ed25519KeyIdentity.generate()), target)
    expect(await moved.get()).toBe(77n)
  })

  it('without delete-after-restore the uploaded snapshot stays', async () => {
    const source = await filledCounter(5n, 4n)
    await snapshotDirOf(source.id, 'migrate-keep')
    const target = await emptyCanister()
    const result = await step({
      mode: 'upload-artifact',
      canister: target.toText(),
      path: 'migrate-keep',
      restore: 'true',
      'source-canister': source.id.toText()
    })
    expectSuccess(result)
    expect(await snapshotIds(target)).toEqual([result.outputs['snapshot-id']])
    expect(calls(target, 'delete_canister_snapshot')).toBe(0)
  })

  it('into a canister with code, delete-after-restore removes only the uploaded snapshot: the safety snapshot stays', async () => {
    const source = await filledCounter(12n, 5n)
    await snapshotDirOf(source.id, 'over-code')
    const target = await world.newCounter(3n)
    const before = await world.memoryOf(target.id)
    const result = await step({
      mode: 'upload-artifact',
      canister: target.id.toText(),
      path: 'over-code',
      restore: 'true',
      'source-canister': source.id.toText(),
      'delete-after-restore': 'true'
    })
    expectSuccess(result)
    const safety = result.outputs['safety-snapshot-id']
    expect(safety).toMatch(/^[0-9a-f]+$/)
    expect(await snapshotIds(target.id)).toEqual([safety])
    expect(await target.counter.get()).toBe(12n)
    // The restore can still be undone.
    expectSuccess(
      await step({
        mode: 'restore',
        canister: target.id.toText(),
        'snapshot-id': safety,
        'safety-snapshot': 'false'
      })
    )
    expect(await world.memoryOf(target.id)).toEqual(before)
  })

  it('a load that fails keeps the uploaded snapshot: nothing is deleted', async () => {
    const source = await filledCounter(8n, 6n)
    await snapshotDirOf(source.id, 'load-fails')
    const target = await emptyCanister()
    world.replica.controls.failNext(20, '5xx', ['call'], 'load_canister_snapshot')
    const result = await step({
      mode: 'upload-artifact',
      canister: target.toText(),
      path: 'load-fails',
      restore: 'true',
      'source-canister': source.id.toText(),
      'delete-after-restore': 'true'
    })
    expect(result.code).toBe(1)
    expect(result.errors[0]).toMatch(/HTTP 503/)
    expect(await snapshotIds(target)).toEqual([result.outputs['snapshot-id']])
    expect(calls(target, 'delete_canister_snapshot')).toBe(0)
    expect(Object.keys((await world.ic.canisterStatus({ canisterId: target })).status)).toEqual(['running'])
  })

  it('reads a directory outside the workspace, and writes nothing beside it', async () => {
    const source = await filledCounter(21n, 7n)
    const expected = await world.memoryOf(source.id)
    await snapshotDirOf(source.id, 'to-move')
    const parent = await mkdtemp(join(tmpdir(), 'snapshots-elsewhere-'))
    const dir = join(parent, 'backend')
    await rename(join(job.workspace, 'to-move'), dir)
    const target = await emptyCanister()
    const upload = {
      mode: 'upload-artifact',
      canister: target.toText(),
      path: dir,
      restore: 'true',
      'source-canister': source.id.toText()
    }
    try {
      // An upload that fails part-way keeps no progress there to resume from: its half-uploaded snapshot goes.
      world.replica.controls.failNext(30, '5xx', ['call'], 'upload_canister_snapshot_data', 2)
      const failed = await step(upload)
      expect(failed.code).toBe(1)
      expect(await readdir(parent)).toEqual(['backend'])
      expect(await snapshotIds(target)).toEqual([])
      world.replica.controls.clearFaults()
      const result = await step(upload)
      expectSuccess(result)
      expect(await world.memoryOf(target)).toEqual(expected)
      // No resume file (icp-cli's .upload_progress.json beside the directory) outside the job's directories.
      expect(await readdir(parent)).toEqual(['backend'])
    } finally {
      await rm(parent, { recursive: true, force: true })
    }
  })

  it('delete-after-restore without restore: true is refused before anything is read from the IC', async () => {
    const { id } = await world.newCounter(1n)
    const seen = world.replica.requests.length
    const result = await step({
      mode: 'upload-artifact',
      canister: id.toText(),
      path: 'migrate',
      'delete-after-restore': 'true'
    })
    expectOneLineError(
      result,
      /delete-after-restore.*applies only to mode 'upload-artifact' with 'restore: true'/
    )
    expect(world.replica.requests.length).toBe(seen)
  })
})
