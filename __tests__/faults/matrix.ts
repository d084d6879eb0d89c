// The fault matrix: each mode run from dist/ against the replica and the GitHub backend stand-in with one
// fault injected at one point of its flow. The fault must fire (hit a request; a case whose fault found no
// request tests nothing), and the case is checked against the invariants the action promises:
//   running   the canister runs afterwards if it ran before (after the post step, when the runner runs it)
//   kept      no snapshot that existed before is gone
//   rerun     the same step, run again with no fault (resuming where it applies), ends as it should: a new
//             snapshot, the snapshot's state loaded, or files byte-identical to a download with no fault
//   one line  a failure is reported as one line, with no stack trace
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { IDL } from '@icp-sdk/core/candid'
import type { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import type { Principal } from '@icp-sdk/core/principal'
import type { ActorSubclass } from '@icp-sdk/core/agent'
import type { Counter } from '../harness/agent.js'
import type { GitHubBackend } from '../harness/github/index.js'
import type { Job, JobStatus, StepResult } from '../harness/runner.js'
import type { Replica } from '../harness/replica/replica.js'

export type FaultMode = 'create' | 'restore' | 'download-artifact' | 'upload-artifact' | 'guard-upgrade'

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
}

export interface StepExtra {
  killWhen?: RegExp
  cancelWhen?: RegExp
  /** Added to the step's environment. */
  env?: Record<string, string>
}

export interface Fault {
  name: string
  /** The modes whose flow has the point this fault hits (default: all). */
  modes?: FaultMode[]
  /** Part of the quick subset that `npm test` runs. */
  quick?: boolean
  /** Turns the fault on; the world's faults are cleared after the step. */
  inject(world: World, canister: Principal, mode: FaultMode): void
  extra?: StepExtra
  /** Extra inputs for the faulty run (a short stop-timeout, a slow transfer). */
  inputs?: Record<string, string>
}

export interface Row {
  mode: FaultMode
  fault: string
  outcome: string
  /** The injected fault hit a request (n/a: a kill, a cancel or a held stop, which the outcome shows). */
  fired: boolean | 'n/a'
  running: boolean
  kept: boolean
  rerun: boolean
  oneLine: boolean | 'n/a'
  error?: string
}

/** SHA256SUMS without manifest.json's line, which names the run. */
async function memorySums(dir: string): Promise<string> {
  const text = await readFile(join(dir, 'SHA256SUMS'), 'utf8')
  return text
    .split('\n')
    .filter(line => line && !line.endsWith('manifest.json'))
    .join('\n')
}

const nat64 = (n: bigint) => new Uint8Array(IDL.encode([IDL.Nat64], [n]))
const hex = (bytes: Uint8Array | number[]) => Buffer.from(bytes).toString('hex')
const STACK = /\n\s+at .+:\d+:\d+/

// The call that changes the canister (or moves its data) in each mode's flow.
const KEY_CALL: Record<FaultMode, string> = {
  create: 'take_canister_snapshot',
  restore: 'load_canister_snapshot',
  'download-artifact': 'read_canister_snapshot_data',
  'upload-artifact': 'upload_canister_snapshot_data',
  'guard-upgrade': 'take_canister_snapshot'
}

// Faults on the IC side, for every mode.
export const IC_FAULTS: Fault[] = [
  {
    name: 'the replica restarts from its state dir after running the key call, before replying (down 1 s)',
    quick: true,
    // The tests' backoff is a hundredth of the real one, over before the replica is back; a quarter of it
    // (retries from 0.125 s to 2 s apart, the real ones from 0.5 s to 8 s) shows what users get.
    extra: { env: { CANISTER_SNAPSHOT_RETRY_SCALE: '0.25' } },
    inject: (w, _canister, mode) => w.replica.controls.restartAfterCall(KEY_CALL[mode], 1_000)
  },
  {
    name: 'HTTP 5xx burst (3 requests)',
    quick: true,
    inject: w => w.replica.controls.failNext(3, '5xx', ['call'])
  },
  { name: 'connection resets (3 requests)', inject: w => w.replica.controls.failNext(3, 'reset', ['call']) },
  {
    name: 'a stalled response (dropped after 2 s)',
    inject: w => {
      w.replica.controls.stallMs = 2_000
      w.replica.controls.failNext(1, 'stall', ['call'])
    }
  },
  {
    name: 'a call answered after the sync timeout',
    inject: w => {
      w.replica.controls.delayMethod('stop_canister', 1_500)
      w.replica.controls.delayMethod('read_canister_snapshot_data', 1_500)
    }
  },
  {
    name: 'HTTP 5xx on every start_canister call',
    quick: true,
    modes: ['create', 'restore', 'upload-artifact', 'guard-upgrade'],
    inject: w => w.replica.controls.failNext(1_000, '5xx', ['call'], 'start_canister')
  },
  {
    name: 'canister stuck in Stopping',
    quick: true,
    modes: ['create', 'restore', 'upload-artifact', 'guard-upgrade'],
    inputs: { 'stop-timeout': '2' },
    inject: (w, canister) => w.replica.state.holdInStopping(canister, true)
  },
  {
    name: 'SIGKILL while the canister is stopped',
    quick: true,
    modes: ['create', 'restore', 'upload-artifact', 'guard-upgrade'],
    extra: { killWhen: / is stopped$/m },
    inject: w => {
      w.replica.controls.delayMethod('take_canister_snapshot', 3_000)
      w.replica.controls.delayMethod('load_canister_snapshot', 3_000)
      w.replica.controls.delayMethod('upload_canister_snapshot_metadata', 3_000)
    }
  },
  {
    name: 'cancel (SIGINT) while the canister is stopped, then the post step',
    modes: ['create', 'restore', 'upload-artifact', 'guard-upgrade'],
    extra: { cancelWhen: / is stopped$/m },
    inject: w => {
      w.replica.controls.delayMethod('take_canister_snapshot', 3_000)
      w.replica.controls.delayMethod('load_canister_snapshot', 3_000)
    }
  }
]

// Faults of the GitHub backend, for the artifact modes.
export const GITHUB_FAULTS: Fault[] = [
  {
    name: 'blob storage drops connections (3 requests)',
    quick: true,
    inject: w => w.github.controls.failNextBlobs(3, 'reset')
  },
  {
    name: 'blob storage cuts the transfer after 1 MiB',
    quick: true,
    inject: w => w.github.controls.failNextBlobs(1, 'cut')
  },
  {
    name: 'blob storage drops connections mid-upload (3 requests, after the first)',
    modes: ['download-artifact'],
    inject: w => w.github.controls.failNextBlobs(3, 'reset', 1)
  },
  {
    name: 'results service answers 500 (2 requests)',
    inject: w => w.github.controls.failNextResults(2, 500)
  },
  {
    name: 'results service answers 500 to FinalizeArtifact, after the blob is written (2 requests)',
    modes: ['download-artifact'],
    inject: w => w.github.controls.failNextResults(2, 500, ['FinalizeArtifact'])
  },
  {
    name: 'SIGKILL part-way through the transfer',
    extra: { killWhen: /(Downloaded|Uploaded) .*\(([2-9]\d) %\)/ },
    inputs: { concurrency: '2' },
    inject: w => {
      w.replica.controls.delayMethod('read_canister_snapshot_data', 300)
      w.replica.controls.delayMethod('upload_canister_snapshot_data', 300)
    }
  }
]

/** Every case of the matrix; `quick` keeps the subset `npm test` runs. */
export function cases(quick: boolean): Array<{ mode: FaultMode; fault: Fault }> {
  const modes: FaultMode[] = ['create', 'restore', 'download-artifact', 'upload-artifact', 'guard-upgrade']
  const all = modes.flatMap(mode =>
    [...IC_FAULTS, ...(mode === 'download-artifact' || mode === 'upload-artifact' ? GITHUB_FAULTS : [])]
      .filter(fault => !fault.modes || fault.modes.includes(mode))
      .map(fault => ({ mode, fault }))
  )
  if (!quick) return all
  // Each quick fault in one mode only, the modes taken in turn: `npm test` stays short; the full matrix runs
  // every pair.
  const quickFaults = [...IC_FAULTS, ...GITHUB_FAULTS].filter(fault => fault.quick)
  return quickFaults.flatMap((fault, i) => {
    const applicable = all.filter(c => c.fault === fault)
    return applicable.length ? [applicable[i % applicable.length]] : []
  })
}

interface Prepared {
  inputs: Record<string, string>
  /** The state the rerun must end in. */
  check(stepResult: StepResult): Promise<boolean>
}

/** Sets up what the mode needs before the fault: a snapshot to restore, an artifact to upload. */
async function prepare(
  world: World,
  mode: FaultMode,
  job: Job,
  runId: number,
  id: Principal
): Promise<Prepared> {
  const { ic } = world
  const counterValue = async () =>
    IDL.decode(
      [IDL.Nat64],
      (
        (await world.replica.state.query({
          sender: id,
          canisterId: id,
          effectiveCanisterId: id,
          methodName: 'get',
          arg: new Uint8Array(IDL.encode([], []))
        })) as { reply: Uint8Array }
      ).reply
    )[0] as bigint
  const base = { canister: id.toText() }
  if (mode === 'download-artifact' || mode === 'upload-artifact') {
    // 10 MiB of stable memory that does not compress: several slices, so that a kill lands part-way.
    for (const [methodName, arg] of [
      ['grow_stable', 160n],
      ['fill', 7n]
    ] as const) {
      await world.replica.state.update({
        sender: id,
        canisterId: id,
        effectiveCanisterId: id,
        methodName,
        arg: nat64(arg)
      })
    }
  }
  if (mode === 'create') {
    const before = (await ic.listCanisterSnapshots({ canisterId: id })).length
    return {
      inputs: base,
      check: async () => (await ic.listCanisterSnapshots({ canisterId: id })).length > before
    }
  }
  if (mode === 'restore' || mode === 'upload-artifact') {
    const snapshotId = hex((await ic.takeCanisterSnapshot({ canisterId: id })).id)
    await world.replica.state.update({
      sender: id,
      canisterId: id,
      effectiveCanisterId: id,
      methodName: 'set',
      arg: nat64(99n)
    })
    if (mode === 'restore') {
      return {
        inputs: { ...base, 'snapshot-id': snapshotId },
        check: async () => (await counterValue()) === 5n
      }
    }
    const kept = await world.step(job, runId, {
      mode: 'download-artifact',
      ...base,
      'snapshot-id': snapshotId,
      'artifact-name': `prepared-${id.toText()}`
    })
    if (kept.code !== 0) throw new Error(`could not prepare an artifact: ${kept.errors.join(' | ')}`)
    return {
      inputs: { ...base, 'artifact-name': `prepared-${id.toText()}`, restore: 'true' },
      check: async () => (await counterValue()) === 5n
    }
  }
  if (mode === 'download-artifact') {
    const snapshotId = hex((await ic.takeCanisterSnapshot({ canisterId: id })).id)
    // A download with no fault, to compare the rerun's files with byte for byte.
    const reference = await world.step(job, runId + 250_000, {
      mode,
      ...base,
      'snapshot-id': snapshotId,
      path: `reference-${id.toText()}`,
      'artifact-name': `reference-${id.toText()}`
    })
    if (reference.code !== 0)
      throw new Error(`the reference download failed: ${reference.errors.join(' | ')}`)
    const expected = await memorySums(reference.outputs.path)
    return {
      inputs: {
        ...base,
        'snapshot-id': snapshotId,
        path: `download-${id.toText()}`,
        'artifact-name': `faulty-${id.toText()}`
      },
      check: async result =>
        Boolean(result.outputs['artifact-id']) && (await memorySums(result.outputs.path)) === expected
    }
  }
  return {
    inputs: {
      ...base,
      deploy: 'true',
      'health-method': 'health',
      'health-expect': '("ok")',
      'health-delay': '0'
    },
    check: async () => (await counterValue()) === 5n
  }
}

/** Runs one case and checks every invariant. Bounded: every step has a timeout and every fault ends. */
export async function runCase(world: World, mode: FaultMode, fault: Fault, runId: number): Promise<Row> {
  const job = await world.newJob()
  const { id } = await world.newCounter(5n)
  const prepared = await prepare(world, mode, job, runId, id)
  const snapshotsBefore = (await world.ic.listCanisterSnapshots({ canisterId: id })).map(s => hex(s.id))
  const inputs = { mode, ...prepared.inputs }

  fault.inject(world, id, mode)
  let faulty: StepResult
  let fired: boolean | 'n/a' = 'n/a'
  try {
    faulty = await world.step(job, runId, { ...inputs, ...fault.inputs }, fault.extra)
  } finally {
    const armed = [world.replica.controls.faultsFired(), world.github.controls.fired()]
    if (!fault.extra?.killWhen && !fault.extra?.cancelWhen && armed.some(f => f !== undefined))
      fired = armed.every(f => f !== false)
    await world.replica.listening()
    world.replica.controls.clearFaults()
    world.replica.controls.stallMs = 30_000
    world.replica.state.holdInStopping(id, false)
    world.github.controls.clear()
  }
  const outcome = describeOutcome(faulty)
  // The runner runs the post step after a failed or cancelled step, as post-if says.
  const jobStatus: JobStatus = fault.extra?.cancelWhen
    ? 'cancelled'
    : faulty.code === 0
      ? 'success'
      : 'failure'
  const post = await world.post(job, faulty, inputs, jobStatus)
  if (post && post.code !== 0) throw new Error(`the post step failed: ${post.errors.join(' | ')}`)

  const { status } = await world.ic.canisterStatus({ canisterId: id })
  const running = 'running' in status
  const after = new Set((await world.ic.listCanisterSnapshots({ canisterId: id })).map(s => hex(s.id)))
  const kept = snapshotsBefore.every(s => after.has(s))
  const oneLine =
    faulty.code === 1
      ? faulty.errors.length === 1 && !STACK.test(faulty.stdout) && !STACK.test(faulty.stderr)
      : 'n/a'

  // A download keeps its artifact in the run, whose names must be unique: it is rerun as a re-run of the
  // job would run it, in the same workspace (so it resumes) under a new run attempt.
  const rerun = await world.step(job, mode === 'download-artifact' ? runId + 500_000 : runId, inputs)
  const rerunOk = rerun.code === 0 && (await prepared.check(rerun))
  const runningAfterRerun = 'running' in (await world.ic.canisterStatus({ canisterId: id })).status
  await world.retire(id)
  return {
    mode,
    fault: fault.name,
    outcome,
    fired,
    running: running && runningAfterRerun,
    kept,
    rerun: rerunOk,
    oneLine,
    error: faulty.code === 1 ? faulty.errors[0] : undefined
  }
}

function describeOutcome(step: StepResult): string {
  if (step.signal === 'SIGKILL') return 'killed'
  if (step.code === 130 || step.signal === 'SIGINT') return 'cancelled'
  return step.code === 0 ? 'succeeded' : 'failed'
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
    '| mode | fault | fired | outcome | running | snapshots kept | rerun ends right | one-line error | the error |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      r =>
        `| ${r.mode} | ${r.fault} | ${mark(r.fired)} | ${r.outcome} | ${mark(r.running)} | ${mark(r.kept)} | ${mark(r.rerun)} | ${mark(r.oneLine)} | ${cell(r.error)} |`
    )
  ].join('\n')
}
