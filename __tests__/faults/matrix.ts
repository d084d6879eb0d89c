// The fault matrix: each mode run from dist/ against the replica and the GitHub backend stand-in with one
// fault injected at one point of its flow, then its post step whenever the runner would run it, then a rerun
// with no fault. Every case states what it expects, and each of these is checked; a case passes only if all
// hold (`problems` lists the ones that did not):
//   outcome    the faulty step ends as the case says: success, or a failure whose one error line matches the
//              case's pattern, or killed / cancelled where the case kills or cancels it. A step the harness
//              had to kill for taking too long is a failure of the case, always.
//   fired      the fault hit what it was aimed at: every armed failure a request, a held stop a stop call,
//              a kill or cancel its log line
//   landed     a kill or cancel came where the case means it to: the canister was stopped at that moment,
//              or the transfer was between 20 % and 80 %
//   running    the canister runs after the post step, and after the rerun
//   snapshots  after the faulty step (and its post step), and again after the rerun, the snapshot list is
//              exactly the one before plus the snapshots that run should have made, less only the oldest
//              ones that a full list of 10 makes the IC replace: no duplicate from a retried call, no
//              half-uploaded leftover, nothing else gone
//   state      after the rerun, the canister (or the downloaded files) holds the expected state: the sha256
//              of heap and stable memory, read back from the IC, equals that of the state the mode loads,
//              uploads or downloads; guard-upgrade also checks the module hash
//   one line   a failure is reported as one line, with no stack trace
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { IDL } from '@icp-sdk/core/candid'
import type { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import type { Principal } from '@icp-sdk/core/principal'
import type { ActorSubclass } from '@icp-sdk/core/agent'
import type { Counter } from '../harness/agent.js'
import { outOfRateLimit } from '../harness/wait-out-rate-limit.js'
import type { GitHubBackend } from '../harness/github/index.js'
import type { Job, JobStatus, StepResult } from '../harness/runner.js'
import type { Replica } from '../harness/replica/replica.js'

export type FaultMode =
  | 'create'
  | 'create-full'
  | 'restore'
  | 'download-artifact'
  | 'download-artifact-new'
  | 'upload-artifact'
  | 'guard-upgrade'
  | 'guard-upgrade-rollback'

export type Release = 'counter' | 'release2' | 'broken'

export interface World {
  replica: Replica
  github: GitHubBackend
  ic: IcManagementCanister
  newJob(): Promise<Job>
  newCounter(value: bigint): Promise<{ id: Principal; counter: ActorSubclass<Counter> }>
  /** Deletes a case's canister with its snapshots, so that the replica's state stays one case big. */
  retire(id: Principal): Promise<void>
  step(job: Job, runId: number, inputs: Record<string, string>, extra?: StepExtra): Promise<StepResult>
  post(
    job: Job,
    main: StepResult,
    inputs: Record<string, string>,
    status: JobStatus
  ): Promise<StepResult | undefined>
  /** A deploy step's shell text: icp-cli upgrading the canister to a release (the job has its .wasm). */
  deploy(id: Principal, release: Release): string
  moduleHashOf(release: Release): string
}

export interface StepExtra {
  killWhen?: RegExp
  cancelWhen?: RegExp
  /** Added to the step's environment. */
  env?: Record<string, string>
}

export type Expected =
  { kind: 'success' } | { kind: 'failure'; error: RegExp } | { kind: 'killed' } | { kind: 'cancelled' }

export interface Fault {
  name: string
  /** The modes whose flow has the point this fault hits (default: all). */
  modes?: FaultMode[]
  /** Part of the quick subset that `npm test` runs. */
  quick?: boolean
  /** Turns the fault on; the world's faults are cleared after the step. */
  inject(world: World, canister: Principal, mode: FaultMode): void
  extra?: StepExtra | ((mode: FaultMode) => StepExtra)
  /** Extra inputs for the faulty run (a short stop-timeout, a slow transfer). */
  inputs?: Record<string, string>
  /** How the faulty step ends (default: as the mode's rerun with no fault does). */
  expect?: (mode: FaultMode) => Expected
  /** How many snapshots the faulty step (with its post step) may leave (default: the mode's on success, else 0 to it). */
  made?: (mode: FaultMode) => [number, number]
  /** A check of its own on the faulty step: a problem, or undefined. */
  check?(step: StepResult): string | undefined
  /** Where a kill or cancel must land. */
  lands?: 'stopped' | 'mid-transfer'
  /** The fault holds the canister in Stopping: it fired when a stop_canister call reached the replica. */
  holdsStop?: boolean
}

export interface Row {
  mode: FaultMode
  fault: string
  expected: string
  outcome: string
  /** Each check: true, false, or n/a where it does not apply. */
  fired: boolean
  landed: boolean | 'n/a'
  running: boolean
  snapshots: boolean
  rerun: boolean
  state: boolean
  oneLine: boolean | 'n/a'
  /** Why the checks that failed failed; empty when the case passed. */
  problems: string[]
  error?: string
}

interface ModeSpec {
  /** The action's `mode` input. */
  action: string
  label: string
  /** Snapshots the canister has before the case. */
  existing: number
  /** Snapshots a run that ends well makes. */
  makes: number
  /** The call that changes the canister (or moves its data) in the mode's flow. */
  key: string
  /** The method the request faults aim at (default: the first calls of the flow, whatever they are). */
  target?: string
  inputs?: Record<string, string>
  /** How the rerun with no fault ends. */
  rerun: Expected
}

const HEALTH_FAILED = /^The deploy failed the health-method check \(health\(\) on \S+\): .*Rolled back: /

export const MODES: Record<FaultMode, ModeSpec> = {
  create: {
    action: 'create',
    label: 'create (2 snapshots before)',
    existing: 2,
    makes: 1,
    key: 'take_canister_snapshot',
    rerun: { kind: 'success' }
  },
  'create-full': {
    action: 'create',
    label: 'create (10 snapshots, on-limit replace-oldest)',
    existing: 10,
    makes: 1,
    key: 'take_canister_snapshot',
    inputs: { 'on-limit': 'replace-oldest' },
    rerun: { kind: 'success' }
  },
  restore: {
    action: 'restore',
    label: 'restore (with its safety snapshot)',
    existing: 1,
    makes: 1,
    key: 'load_canister_snapshot',
    rerun: { kind: 'success' }
  },
  'download-artifact': {
    action: 'download-artifact',
    label: 'download-artifact (2 snapshots before)',
    existing: 2,
    makes: 0,
    key: 'read_canister_snapshot_data',
    rerun: { kind: 'success' }
  },
  'download-artifact-new': {
    action: 'download-artifact',
    label: 'download-artifact with new (2 snapshots before)',
    existing: 2,
    makes: 1,
    key: 'take_canister_snapshot',
    rerun: { kind: 'success' }
  },
  'upload-artifact': {
    action: 'upload-artifact',
    label: 'upload-artifact with restore',
    existing: 1,
    makes: 2,
    key: 'upload_canister_snapshot_data',
    rerun: { kind: 'success' }
  },
  'guard-upgrade': {
    action: 'guard-upgrade',
    label: 'guard-upgrade, good release (3 snapshots before)',
    existing: 3,
    makes: 1,
    key: 'take_canister_snapshot',
    rerun: { kind: 'success' }
  },
  'guard-upgrade-rollback': {
    action: 'guard-upgrade',
    label: 'guard-upgrade, broken release rolled back (10 snapshots before)',
    existing: 10,
    makes: 1,
    key: 'load_canister_snapshot',
    target: 'load_canister_snapshot',
    rerun: { kind: 'failure', error: HEALTH_FAILED }
  }
}

const ALL_MODES = Object.keys(MODES) as FaultMode[]
const STOPPING_MODES: FaultMode[] = ['create', 'create-full', 'restore', 'upload-artifact', 'guard-upgrade']
const TRANSFER_MODES: FaultMode[] = ['download-artifact', 'upload-artifact']
const kill = (): Expected => ({ kind: 'killed' })
const cancel = (): Expected => ({ kind: 'cancelled' })
// A kill or cancel in the rollback waits for the rollback's stop, after the deploy.
const whileStopped = (mode: FaultMode) =>
  mode === 'guard-upgrade-rollback' ? /after the deploy[\s\S]*\n.* is stopped$/m : / is stopped$/m
const slowKeyCalls = (w: World) => {
  w.replica.controls.delayMethod('take_canister_snapshot', 3_000)
  w.replica.controls.delayMethod('load_canister_snapshot', 3_000)
  w.replica.controls.delayMethod('upload_canister_snapshot_metadata', 3_000)
}

/** Each "retrying in X s (attempt N of M)" line waits at least `first` × 2^(N-2) × ½ (full jitter's floor). */
function backoffAtLeast(firstSeconds: number): (step: StepResult) => string | undefined {
  return step => {
    const waits = [...step.log.matchAll(/retrying in (\d+\.\d) s \(attempt (\d+) of/g)]
    if (waits.length === 0) return 'no retry was logged'
    const short = waits.find(
      ([, s, n]) => Number(s) + 0.05 < (firstSeconds / 2) * 2 ** (Number(n) - 2) && Number(s) < 8
    )
    return short ? `a retry waited ${short[1]} s before attempt ${short[2]}: not the schedule` : undefined
  }
}

// Faults on the IC side.
export const IC_FAULTS: Fault[] = [
  {
    name: 'the replica restarts from its state dir after running the key call, before replying (down 1 s)',
    quick: true,
    // The tests' backoff is a hundredth of the real one, over before the replica is back, so these cases run
    // with the real schedule (retries 0.5 s to 8 s apart, about 7.5 to 15 s before the last): what users
    // get. Half of it ran out twice in one CI run of the full matrix: the restart reads back every call
    // outcome of the last six minutes with the state, 2 MB snapshot slices among them, and took from 0.4 to
    // 1.3 s on an idle 2-core machine, more on a loaded one.
    extra: { env: { CANISTER_SNAPSHOT_RETRY_SCALE: '1' } },
    inject: (w, _canister, mode) => w.replica.controls.restartAfterCall(MODES[mode].key, 1_000)
  },
  {
    name: 'the replica restarts after upload_canister_snapshot_metadata, before replying (down 1 s)',
    modes: ['upload-artifact'],
    extra: { env: { CANISTER_SNAPSHOT_RETRY_SCALE: '1' } },
    inject: w => w.replica.controls.restartAfterCall('upload_canister_snapshot_metadata', 1_000)
  },
  {
    name: 'HTTP 5xx burst (3 requests)',
    quick: true,
    inject: (w, _c, mode) => w.replica.controls.failNext(3, '5xx', ['call'], MODES[mode].target)
  },
  {
    name: 'HTTP 5xx burst (3 requests) with the real backoff: the scale is ignored on GitHub runners',
    modes: ['create'],
    quick: true,
    extra: { env: { RUNNER_ENVIRONMENT: 'github-hosted', CANISTER_SNAPSHOT_RETRY_SCALE: '0.01' } },
    inject: w => w.replica.controls.failNext(3, '5xx', ['call']),
    check: backoffAtLeast(1)
  },
  {
    name: 'connection resets (3 requests), with a retry scale of 1e-9 (clamped to 0.01)',
    extra: { env: { CANISTER_SNAPSHOT_RETRY_SCALE: '1e-9' } },
    inject: (w, _c, mode) => w.replica.controls.failNext(3, 'reset', ['call'], MODES[mode].target),
    check: backoffAtLeast(0.01)
  },
  {
    name: 'a stalled response (dropped after 2 s)',
    modes: ALL_MODES.filter(m => m !== 'create-full'),
    inject: (w, _c, mode) => {
      w.replica.controls.stallMs = 2_000
      w.replica.controls.failNext(1, 'stall', ['call'], MODES[mode].target)
    }
  },
  {
    name: 'a call answered after the sync timeout',
    modes: ALL_MODES.filter(m => m !== 'create-full'),
    inject: (w, _c, mode) => {
      w.replica.controls.delayMethod('stop_canister', 1_500)
      w.replica.controls.delayMethod('read_canister_snapshot_data', 1_500)
      if (mode === 'guard-upgrade-rollback') w.replica.controls.delayMethod('load_canister_snapshot', 1_500)
    }
  },
  {
    name: 'HTTP 5xx on every start_canister call',
    quick: true,
    modes: ['create', 'restore', 'upload-artifact', 'guard-upgrade'],
    expect: () => ({ kind: 'failure', error: /^Could not start \S+ again \(HTTP 503 / }),
    inject: w => w.replica.controls.failNext(1_000, '5xx', ['call'], 'start_canister')
  },
  {
    name: 'canister stuck in Stopping',
    quick: true,
    modes: STOPPING_MODES,
    inputs: { 'stop-timeout': '2' },
    holdsStop: true,
    expect: () => ({ kind: 'failure', error: /did not stop within 2 s|stop/i }),
    // Nothing is made once the stop fails, but an upload, which comes before the stop, is complete.
    made: mode => (mode === 'upload-artifact' ? [1, 1] : [0, 0]),
    inject: (w, canister) => w.replica.state.holdInStopping(canister, true)
  },
  {
    name: 'SIGKILL while the canister is stopped',
    quick: true,
    modes: [...STOPPING_MODES, 'guard-upgrade-rollback'],
    extra: mode => ({ killWhen: whileStopped(mode) }),
    expect: kill,
    lands: 'stopped',
    inject: slowKeyCalls
  },
  {
    name: 'cancel (SIGINT) while the canister is stopped, then the post step',
    modes: ([...STOPPING_MODES, 'guard-upgrade-rollback'] as FaultMode[]).filter(m => m !== 'create-full'),
    extra: mode => ({ cancelWhen: whileStopped(mode) }),
    expect: cancel,
    lands: 'stopped',
    inject: slowKeyCalls
  }
]

// Faults of the GitHub backend, for the artifact modes.
export const GITHUB_FAULTS: Fault[] = [
  {
    name: 'blob storage drops connections (3 requests)',
    quick: true,
    modes: TRANSFER_MODES,
    inject: w => w.github.controls.failNextBlobs(3, 'reset')
  },
  {
    name: 'blob storage cuts the transfer after 1 MiB',
    quick: true,
    modes: TRANSFER_MODES,
    inject: w => w.github.controls.failNextBlobs(1, 'cut')
  },
  {
    name: 'blob storage drops connections mid-upload (3 requests, after the first)',
    modes: ['download-artifact'],
    inject: w => w.github.controls.failNextBlobs(3, 'reset', 1)
  },
  {
    name: 'results service answers 500 (2 requests)',
    modes: TRANSFER_MODES,
    inject: w => w.github.controls.failNextResults(2, 500)
  },
  {
    name: 'results service answers 500 to FinalizeArtifact, after the blob is written (2 requests)',
    modes: ['download-artifact'],
    inject: w => w.github.controls.failNextResults(2, 500, ['FinalizeArtifact'])
  },
  {
    name: 'SIGKILL part-way through the transfer',
    modes: TRANSFER_MODES,
    extra: { killWhen: /(Downloaded|Uploaded) .*\(([2-7]\d) %\)/ },
    inputs: { concurrency: '2' },
    expect: kill,
    lands: 'mid-transfer',
    // A killed upload's half-uploaded snapshot is gone once the post step has run.
    made: () => [0, 0],
    inject: w => {
      w.replica.controls.delayMethod('read_canister_snapshot_data', 300)
      w.replica.controls.delayMethod('upload_canister_snapshot_data', 300)
    }
  }
]

/** Every case of the matrix; `quick` keeps the subset `npm test` runs; FAULTS_FILTER (a regex) narrows it. */
export function cases(quick: boolean, filter?: string): Array<{ mode: FaultMode; fault: Fault }> {
  const all = ALL_MODES.flatMap(mode =>
    [...IC_FAULTS, ...GITHUB_FAULTS]
      .filter(fault => (fault.modes ?? ALL_MODES).includes(mode))
      .map(fault => ({ mode, fault }))
  )
  let chosen = all
  if (quick) {
    // Each quick fault in one mode only, the modes taken in turn: `npm test` stays short; the full matrix
    // runs every pair.
    const quickFaults = [...IC_FAULTS, ...GITHUB_FAULTS].filter(fault => fault.quick)
    chosen = quickFaults.flatMap((fault, i) => {
      const applicable = all.filter(c => c.fault === fault)
      return applicable.length ? [applicable[i % applicable.length]] : []
    })
  }
  if (!filter) return chosen
  const pattern = new RegExp(filter, 'i')
  return chosen.filter(c => pattern.test(`${c.mode} ${c.fault.name}`))
}

const nat64 = (n: bigint) => new Uint8Array(IDL.encode([IDL.Nat64], [n]))
const hex = (bytes: Uint8Array | number[]) => Buffer.from(bytes).toString('hex')
const sha256 = (bytes: Uint8Array | Buffer) => createHash('sha256').update(bytes).digest('hex')
const STACK = /\n\s+at .+:\d+:\d+/
// read_canister_snapshot_data's limit is 2 MB (interface spec); the test reads in 1 MB pieces.
const READ_PIECE = 1_000_000n
const MAX_SNAPSHOTS = 10

interface Memory {
  heap: string
  stable: string
}

/** The sha256 of a snapshot's heap and stable memory, read back from the IC. */
async function snapshotMemory(
  ic: IcManagementCanister,
  canisterId: Principal,
  id: Uint8Array
): Promise<Memory> {
  const metadata = await ic.readCanisterSnapshotMetadata({ canisterId, snapshotId: id })
  const digest = async (kind: 'wasmMemory' | 'stableMemory', size: bigint) => {
    const hash = createHash('sha256')
    for (let offset = 0n; offset < size; offset += READ_PIECE) {
      const piece = size - offset < READ_PIECE ? size - offset : READ_PIECE
      const { chunk } = await ic.readCanisterSnapshotData({
        canisterId,
        snapshotId: id,
        kind: { [kind]: { offset, size: piece } } as never
      })
      hash.update(chunk)
    }
    return hash.digest('hex')
  }
  return {
    heap: await digest('wasmMemory', metadata.wasmMemorySize),
    stable: await digest('stableMemory', metadata.stableMemorySize)
  }
}

/**
 * The canister's memory as it is now: a snapshot taken by the test (replacing the oldest if the list is full,
 * once the lists have been compared), read back, and deleted.
 */
async function canisterMemory(ic: IcManagementCanister, canisterId: Principal): Promise<Memory> {
  const list = await sortedSnapshots(ic, canisterId)
  const { id } = await outOfRateLimit(() =>
    ic.takeCanisterSnapshot({
      canisterId,
      ...(list.length >= MAX_SNAPSHOTS ? { snapshotId: Buffer.from(list[0], 'hex') } : {})
    })
  )
  try {
    return await snapshotMemory(ic, canisterId, new Uint8Array(id))
  } finally {
    await ic.deleteCanisterSnapshot({ canisterId, snapshotId: new Uint8Array(id) })
  }
}

/** Snapshot ids, oldest first (the order in which a full list loses them). */
async function sortedSnapshots(ic: IcManagementCanister, canisterId: Principal): Promise<string[]> {
  const list = await ic.listCanisterSnapshots({ canisterId })
  return [...list]
    .sort((a, b) =>
      a.taken_at_timestamp < b.taken_at_timestamp ? -1 : a.taken_at_timestamp > b.taken_at_timestamp ? 1 : 0
    )
    .map(s => hex(s.id))
}

/**
 * What a run did to the list, against what it may do: make between `min` and `max` snapshots, and lose only
 * the oldest ones that the IC's limit of 10 makes it replace.
 */
function snapshotProblem(
  before: string[],
  after: string[],
  [min, max]: [number, number]
): string | undefined {
  const made = after.filter(id => !before.includes(id))
  const gone = before.filter(id => !after.includes(id))
  const replaced = before.slice(0, Math.max(0, before.length + made.length - MAX_SNAPSHOTS))
  const range = min === max ? `${min}` : `${min} to ${max}`
  if (made.length < min || made.length > max) return `made ${made.length} snapshots, expected ${range}`
  if (gone.join() !== replaced.join())
    return `lost ${gone.join(', ') || 'none'}, expected to lose ${replaced.join(', ') || 'none'}`
  return undefined
}

interface Prepared {
  inputs: Record<string, string>
  /** The state the canister (or the download) must end in after the rerun: a problem, or undefined. */
  checkState(rerun: StepResult): Promise<string | undefined>
}

async function counterValue(world: World, id: Principal): Promise<bigint> {
  const reply = (await world.replica.state.query({
    sender: id,
    canisterId: id,
    effectiveCanisterId: id,
    methodName: 'get',
    arg: new Uint8Array(IDL.encode([], []))
  })) as { reply: Uint8Array }
  return IDL.decode([IDL.Nat64], reply.reply)[0] as bigint
}

async function update(world: World, id: Principal, methodName: string, arg: bigint): Promise<void> {
  await world.replica.state.update({
    sender: id,
    canisterId: id,
    effectiveCanisterId: id,
    methodName,
    arg: nat64(arg)
  })
}

const memoryProblem = (what: string, got: Memory, expected: Memory, only?: 'stable') =>
  (only ? got.stable === expected.stable : got.heap === expected.heap && got.stable === expected.stable)
    ? undefined
    : `${what}: heap ${got.heap.slice(0, 12)} stable ${got.stable.slice(0, 12)}, expected heap ${expected.heap.slice(0, 12)} stable ${expected.stable.slice(0, 12)}`

/** Sets up what the mode needs before the fault: existing snapshots, a snapshot to restore, an artifact. */
async function prepare(
  world: World,
  mode: FaultMode,
  job: Job,
  runId: number,
  id: Principal
): Promise<Prepared> {
  const { ic } = world
  const spec = MODES[mode]
  const base = { canister: id.toText(), ...spec.inputs }
  // 10 MiB of stable memory that does not compress: several slices, so that a kill lands part-way, and a
  // state whose every byte is compared.
  await update(world, id, 'grow_stable', 160n)
  await update(world, id, 'fill', 7n)
  const memoryBefore = await canisterMemory(ic, id)
  let last: Uint8Array | undefined
  for (let i = 0; i < spec.existing; i++)
    last = new Uint8Array((await outOfRateLimit(() => ic.takeCanisterSnapshot({ canisterId: id }))).id)
  const snapshotId = last ? hex(last) : ''

  switch (mode) {
    case 'create':
    case 'create-full':
      return {
        inputs: base,
        checkState: async () => memoryProblem('the canister', await canisterMemory(ic, id), memoryBefore)
      }
    case 'restore':
    case 'upload-artifact': {
      const expected = await snapshotMemory(ic, id, last as Uint8Array)
      let inputs: Record<string, string> = { ...base, 'snapshot-id': snapshotId }
      if (mode === 'upload-artifact') {
        const name = `prepared-${id.toText()}`
        const kept = await world.step(job, runId, {
          mode: 'download-artifact',
          ...base,
          'snapshot-id': snapshotId,
          'artifact-name': name
        })
        if (kept.code !== 0) throw new Error(`could not prepare an artifact: ${kept.errors.join(' | ')}`)
        inputs = { ...base, 'artifact-name': name, restore: 'true' }
      }
      // The state the restore must undo: another counter and other stable memory.
      await update(world, id, 'set', 99n)
      await update(world, id, 'fill', 8n)
      return {
        inputs,
        checkState: async () => {
          if ((await counterValue(world, id)) !== 5n)
            return `the counter is ${await counterValue(world, id)}, expected 5`
          return memoryProblem('the canister', await canisterMemory(ic, id), expected)
        }
      }
    }
    case 'download-artifact':
    case 'download-artifact-new':
      return {
        inputs: {
          ...base,
          // With `new` each run downloads another snapshot, into a directory of its own (the default).
          ...(mode === 'download-artifact'
            ? { 'snapshot-id': snapshotId, path: `download-${id.toText()}` }
            : { 'snapshot-id': 'new' }),
          'artifact-name': `faulty-${id.toText()}`
        },
        checkState: async result => {
          if (!result.outputs['artifact-id']) return 'no artifact-id output'
          const file = async (name: string) => sha256(await readFile(join(result.outputs.path, name)))
          const got = { heap: await file('wasm_memory.bin'), stable: await file('stable_memory.bin') }
          return memoryProblem('the downloaded files', got, memoryBefore)
        }
      }
    case 'guard-upgrade':
    case 'guard-upgrade-rollback': {
      const broken = mode === 'guard-upgrade-rollback'
      return {
        inputs: {
          ...base,
          deploy: world.deploy(id, broken ? 'broken' : 'release2'),
          'health-method': 'health',
          'health-expect': '("ok")',
          'health-retries': '0',
          'health-delay': '0'
        },
        checkState: async () => {
          const status = await ic.canisterStatus({ canisterId: id })
          const hash = hex(status.module_hash[0] ?? [])
          const want = world.moduleHashOf(broken ? 'counter' : 'release2')
          if (hash !== want) return `runs module ${hash.slice(0, 12)}, expected ${want.slice(0, 12)}`
          if ((await counterValue(world, id)) !== 5n)
            return `the counter is ${await counterValue(world, id)}, expected 5`
          // An upgrade starts the heap anew and keeps stable memory; a rollback brings both back.
          return memoryProblem(
            'the canister',
            await canisterMemory(ic, id),
            memoryBefore,
            broken ? undefined : 'stable'
          )
        }
      }
    }
  }
}

function describeExpected(expected: Expected): string {
  return expected.kind === 'failure' ? `fails: ${expected.error.source}` : expected.kind
}

/** How the step ended, and whether that is what the case expects (a harness timeout never is). */
function judge(
  step: StepResult,
  expected: Expected,
  extra: StepExtra
): { outcome: string; ok: boolean; fired?: boolean } {
  const killMatched = extra.killWhen?.test(step.stdout) ?? false
  const cancelMatched = extra.cancelWhen?.test(step.stdout) ?? false
  if (step.signal === 'SIGKILL' && !killMatched)
    return { outcome: 'timed out (the harness killed it)', ok: false }
  if (step.signal === 'SIGKILL') return { outcome: 'killed', ok: expected.kind === 'killed', fired: true }
  if (step.code === 130 || step.signal === 'SIGINT')
    return { outcome: 'cancelled', ok: expected.kind === 'cancelled' && cancelMatched, fired: cancelMatched }
  if (step.code === 0) return { outcome: 'succeeded', ok: expected.kind === 'success' }
  const ok =
    expected.kind === 'failure' &&
    step.code === 1 &&
    step.errors.length === 1 &&
    expected.error.test(step.errors[0])
  return { outcome: `failed (exit ${step.code ?? step.signal})`, ok }
}

/** Runs one case and checks every invariant. Bounded: every step has a timeout and every fault ends. */
export async function runCase(world: World, mode: FaultMode, fault: Fault, runId: number): Promise<Row> {
  const spec = MODES[mode]
  const job = await world.newJob()
  const { id } = await world.newCounter(5n)
  const prepared = await prepare(world, mode, job, runId, id)
  const before = await sortedSnapshots(world.ic, id)
  const inputs = { mode: spec.action, ...prepared.inputs }
  const extra = (typeof fault.extra === 'function' ? fault.extra(mode) : fault.extra) ?? {}
  // By default a fault changes nothing in how the step ends: it rides it out.
  const expected = fault.expect?.(mode) ?? spec.rerun
  const problems: string[] = []

  fault.inject(world, id, mode)
  const requestsBefore = world.replica.requests.length
  let faulty: StepResult
  let fired = false
  let landed: boolean | 'n/a' = 'n/a'
  try {
    faulty = await world.step(job, runId, { ...inputs, ...fault.inputs }, extra)
    if (fault.lands === 'stopped') {
      // Read at once: nothing has started the canister since the step died.
      landed = 'stopped' in (await world.ic.canisterStatus({ canisterId: id })).status
      if (!landed) problems.push('the kill or cancel did not land while the canister was stopped')
    }
  } finally {
    const armed = [world.replica.controls.faultsFired(), world.github.controls.fired()]
    if (armed.some(f => f !== undefined)) fired = armed.every(f => f !== false)
    await world.replica.listening()
    world.replica.controls.clearFaults()
    world.replica.controls.stallMs = 30_000
    world.replica.state.holdInStopping(id, false)
    world.github.controls.clear()
  }
  const judged = judge(faulty, expected, extra)
  if (extra.killWhen || extra.cancelWhen) fired = judged.fired ?? false
  if (fault.holdsStop)
    fired = world.replica.requests
      .slice(requestsBefore)
      .some(r => r.methodName === 'stop_canister' && r.effectiveCanisterId === id.toText())
  if (!fired) problems.push('the fault never fired')
  if (!judged.ok)
    problems.push(
      `ended ${judged.outcome}${faulty.errors.length ? ` (${faulty.errors.join(' | ')})` : ''}, expected ${describeExpected(expected)}`
    )
  if (fault.lands === 'mid-transfer') {
    // The last progress line the step printed: as far as it got before it died.
    const lines = [...faulty.stdout.matchAll(/(?:Downloaded|Uploaded) .*\((\d+) %\)/g)]
    const percent = Number(lines.at(-1)?.[1] ?? NaN)
    landed = percent >= 20 && percent <= 80
    if (!landed) problems.push(`the kill landed at ${percent} % of the transfer, not between 20 and 80 %`)
  }
  const ownCheck = fault.check?.(faulty)
  if (ownCheck) problems.push(ownCheck)
  const oneLine =
    faulty.code === 1
      ? faulty.errors.length === 1 && !STACK.test(faulty.stdout) && !STACK.test(faulty.stderr)
      : 'n/a'
  if (oneLine === false) problems.push('the failure is not one line without a stack trace')

  // The runner runs the post step after a failed or cancelled step, as post-if says.
  const jobStatus: JobStatus = extra.cancelWhen ? 'cancelled' : faulty.code === 0 ? 'success' : 'failure'
  const post = await world.post(job, faulty, inputs, jobStatus)
  if (post && post.code !== 0) problems.push(`the post step failed: ${post.errors.join(' | ')}`)

  const running = 'running' in (await world.ic.canisterStatus({ canisterId: id })).status
  if (!running) problems.push('the canister is not running after the post step')
  const afterFaulty = await sortedSnapshots(world.ic, id)
  const made = fault.made?.(mode) ?? (expected === spec.rerun ? [spec.makes, spec.makes] : [0, spec.makes])
  const listProblem = snapshotProblem(before, afterFaulty, made)
  if (listProblem) problems.push(`the faulty run ${listProblem}`)

  // A download keeps its artifact in the run, whose names must be unique: it is rerun as a re-run of the
  // job would run it, in the same workspace (so it resumes) under a new run attempt.
  const rerun = await world.step(job, mode.startsWith('download') ? runId + 500_000 : runId, inputs)
  const rerunJudged = judge(rerun, spec.rerun, {})
  if (!rerunJudged.ok)
    problems.push(
      `the rerun ended ${rerunJudged.outcome} (${rerun.errors.join(' | ')}), expected ${describeExpected(spec.rerun)}`
    )
  const afterRerun = await sortedSnapshots(world.ic, id)
  const rerunList = snapshotProblem(afterFaulty, afterRerun, [spec.makes, spec.makes])
  if (rerunList) problems.push(`the rerun ${rerunList}`)
  const runningAfterRerun = 'running' in (await world.ic.canisterStatus({ canisterId: id })).status
  if (!runningAfterRerun) problems.push('the canister is not running after the rerun')
  const stateProblem = await prepared.checkState(rerun)
  if (stateProblem) problems.push(`after the rerun, ${stateProblem}`)
  await world.retire(id)
  return {
    mode,
    fault: fault.name,
    expected: describeExpected(expected),
    outcome: judged.outcome,
    fired,
    landed,
    running: running && runningAfterRerun,
    snapshots: !listProblem && !rerunList,
    rerun: rerunJudged.ok,
    state: !stateProblem,
    oneLine,
    problems,
    error: faulty.code === 1 ? faulty.errors[0] : undefined
  }
}

/** The error as a table cell: pipes escaped, long ones cut (the test checks the whole line). */
function cell(error: string | undefined): string {
  if (!error) return ''
  const text = error.replace(/\|/g, '\\|')
  return text.length > 160 ? `${text.slice(0, 157)}...` : text
}

export function faultTable(rows: Row[]): string {
  const mark = (ok: boolean | 'n/a') => (ok === 'n/a' ? 'n/a' : ok ? 'yes' : '**NO**')
  return [
    '| mode | fault | expected | outcome | fired | landed | running | snapshots exact | rerun | state (sha256) | one-line error | the error |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      r =>
        `| ${MODES[r.mode].label} | ${r.fault} | ${cell(r.expected)} | ${r.outcome}${r.problems.length ? ' **NO**' : ''} | ${mark(r.fired)} | ${mark(r.landed)} | ${mark(r.running)} | ${mark(r.snapshots)} | ${mark(r.rerun)} | ${mark(r.state)} | ${mark(r.oneLine)} | ${cell(r.error)} |`
    )
  ].join('\n')
}
