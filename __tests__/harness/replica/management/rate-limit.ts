// Heap-delta rate limiting of the snapshot methods, as dfinity/ic does it. In
// rs/execution_environment/src/canister_manager.rs, `take_canister_snapshot`, `load_canister_snapshot` and
// `create_snapshot_from_metadata` refuse with `CanisterHeapDeltaRateLimited` (IC0210) while the canister's
// `heap_delta_debit >= heap_delta_rate_limit`, and `write_snapshot_data` refuses with a `WasmChunkStoreError`
// (IC0504) that says so; each adds what it wrote to the debit. At the end of every round the scheduler takes
// the limit off every canister's debit (rs/execution_environment/src/scheduler.rs, "heap_delta_debit
// .saturating_sub(heap_delta_rate_limit)"). So a canister may overshoot in one round and then waits a few.
import type { Canister, Snapshot } from './canister.js'
import { errors, help, DOC, Rejection } from './errors.js'
import type { Subnet } from './subnet.js'

/** `heap_delta_rate_limit` of `SchedulerConfig::application_subnet` (rs/config/src/subnet_config.rs). */
export const APPLICATION_SUBNET_HEAP_DELTA_RATE_LIMIT = 75 * 1024 * 1024
/**
 * A round's length. subnet_config.rs: "Subnets run with different finalization rate, so a round may take 1 to
 * 4 seconds"; application subnets make about one block a second.
 */
export const ROUND_MS = 1_000

/** `ErrorCode::CanisterHeapDeltaRateLimited` (packages/ic-error-types): a SYS_TRANSIENT reject. */
const CANISTER_HEAP_DELTA_RATE_LIMITED = 210

interface Debit {
  bytes: number
  /** When `bytes` was last brought up to date, in nanoseconds. */
  atNs: bigint
}

// Kept beside the canister rather than in it: the debit is scheduler state, which a checkpoint (the state
// dir) does not need.
const debits = new WeakMap<Canister, Debit>()

function roundOf(subnet: Subnet, ns: bigint): number {
  return Math.floor(Number(ns / 1_000_000n) / subnet.rules.roundMs)
}

/** The canister's debit now: what it wrote, less the limit for every round that ended since. */
export function heapDeltaDebit(subnet: Subnet, canister: Canister): number {
  const debit = debits.get(canister)
  if (!debit) return 0
  const now = subnet.now()
  const credit =
    Math.max(0, roundOf(subnet, now) - roundOf(subnet, debit.atNs)) * subnet.rules.heapDeltaRateLimit
  debit.bytes = credit >= debit.bytes ? 0 : debit.bytes - credit
  debit.atNs = now
  return debit.bytes
}

function overLimit(subnet: Subnet, canister: Canister): number | undefined {
  const limit = subnet.rules.heapDeltaRateLimit
  if (!Number.isFinite(limit)) return undefined
  const debit = heapDeltaDebit(subnet, canister)
  return debit >= limit ? debit : undefined
}

/** take, load and upload_canister_snapshot_metadata: IC0210 while the canister is over the limit. */
export function checkHeapDelta(subnet: Subnet, canister: Canister): void {
  const debit = overLimit(subnet, canister)
  if (debit === undefined) return
  // canister_manager/types.rs, `CanisterHeapDeltaRateLimited`, with its ErrorHelp.
  throw Rejection.of(
    CANISTER_HEAP_DELTA_RATE_LIMITED,
    `Canister ${canister.id.toText()} is heap delta rate limited: current delta debit is ${debit}, but limit is ${subnet.rules.heapDeltaRateLimit}.` +
      help(
        'Try waiting a few seconds before retrying the operation.',
        `${DOC}canister-heap-delta-rate-limited`
      )
  )
}

/** upload_canister_snapshot_data: the same check, worded as `write_snapshot_data` words it (IC0504). */
export function checkHeapDeltaForData(subnet: Subnet, canister: Canister): void {
  const debit = overLimit(subnet, canister)
  if (debit === undefined) return
  throw errors.wasmChunkStore(
    `Canister is heap delta rate limited. Current delta debit: ${debit}, limit: ${subnet.rules.heapDeltaRateLimit}`
  )
}

/**
 * Brings every canister's debit up to date under the rules in force, before a test changes them: the rounds
 * that already ended paid off the limit of their time, not the new one.
 */
export function settleHeapDeltaDebits(subnet: Subnet): void {
  for (const canister of subnet.allCanisters()) heapDeltaDebit(subnet, canister)
}

/** Adds what a call wrote to the canister's debit. */
export function chargeHeapDelta(subnet: Subnet, canister: Canister, bytes: number): void {
  if (bytes <= 0) return
  const bytesNow = heapDeltaDebit(subnet, canister)
  debits.set(canister, { bytes: bytesNow + bytes, atNs: subnet.now() })
}

/**
 * `CanisterSnapshot::heap_delta` (rs/replicated_state/src/canister_snapshots.rs): the delta pages of the
 * memories and the chunk store. This replica keeps no checkpoints, so every page ever written counts as
 * delta: the most a take or a load can cost. Pages never written are no delta on the IC either.
 */
export function snapshotHeapDelta(snapshot: Snapshot): number {
  return snapshot.heap.allocatedBytes + snapshot.stable.allocatedBytes + snapshot.chunkStore.byteLength
}
