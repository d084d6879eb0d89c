// Cycles as the IC accounts them on a 13-node application subnet: every canister's balance, freezing
// threshold and reserved cycles; what ingress and the snapshot methods charge; and the IC's rejects when a
// canister cannot pay. Sources (dfinity/ic):
// - fees: rs/config/src/subnet_config.rs (`CyclesAccountManagerConfig::application_subnet`,
//   `DEFAULT_CANISTERS_SNAPSHOT_BASELINE_INSTRUCTIONS`, `DEFAULT_CANISTERS_SNAPSHOT_DATA_BASELINE_INSTRUCTIONS`,
//   `DEFAULT_UPLOAD_CHUNK_INSTRUCTIONS`), as in the developer docs' docs/references/cycle-costs.md;
// - formulas: rs/cycles_account_manager/src/cycles_account_manager.rs (`execution_cost`,
//   `freeze_threshold_cycles`, `idle_cycles_burned_rate`, `storage_reservation_cycles`,
//   `ingress_induction_cost`);
// - checks and their order: rs/execution_environment/src/canister_manager.rs
//   (`cycles_and_memory_usage_checks`, `take_canister_snapshot`, `delete_canister_snapshot`,
//   `read_snapshot_data`, `write_snapshot_data`, `create_snapshot_from_metadata`);
// - texts: canister_manager/types.rs (`From<CanisterManagerError> for UserError`, `error_help`) and
//   rs/interfaces (`CanisterOutOfCyclesError`). Cycles print with `_` separators (`Cycles`'s Display).
import type { Principal } from '@icp-sdk/core/principal'
import type { Ingress } from '../types.js'
import { snapshotSize, type Canister } from './canister.js'
import { Rejection } from './errors.js'
import type { Subnet } from './subnet.js'

const GIB = 1n << 30n
const SECONDS_PER_DAY = 86_400n

/** `CyclesAccountManagerConfig::application_subnet` (13 nodes, the reference subnet size: no scaling). */
export const FEES = {
  updateMessageExecution: 5_000_000n,
  /** Per 10 instructions of a Wasm32 (and of a management) execution: 1 cycle per instruction. */
  tenUpdateInstructions: 10n,
  ingressMessageReception: 1_200_000n,
  ingressByteReception: 2_000n,
  gibStoragePerSecond: 127_000n,
  computePercentAllocatedPerSecond: 10_000_000n,
  maxStorageReservationPeriodSeconds: 300_000_000n
} as const

/** Taking, loading or creating (by metadata upload) a snapshot: 2B instructions plus one per snapshot byte. */
export const SNAPSHOT_BASELINE_INSTRUCTIONS = 2_000_000_000n
/** Reading a slice of snapshot data: 5M instructions plus one per byte asked for. */
export const SNAPSHOT_DATA_BASELINE_INSTRUCTIONS = 5_000_000n
/** Writing a chunk into an uploaded snapshot's chunk store counts as uploading a Wasm chunk. */
export const UPLOAD_CHUNK_INSTRUCTIONS = 200_000_000n
/** `wasm_chunk_store::chunk_size()`: every stored chunk counts as 1 MiB. */
const CHUNK_BYTES = 1n << 20n
/** `MAX_DELAYED_INGRESS_COST_PAYLOAD_SIZE`: a small update_settings is free, so that a frozen canister can be fixed. */
const MAX_DELAYED_INGRESS_COST_PAYLOAD_SIZE = 366
/**
 * `ResourceSaturation` of an application subnet: no storage reservation below 750 GiB of subnet memory
 * usage, up to 10 years of payments at its 2 TiB capacity (cycle-costs.md, "Storage reservation").
 */
export const SUBNET_MEMORY_THRESHOLD = 750n * GIB
export const SUBNET_MEMORY_CAPACITY = 2048n * GIB
/** What a seeded test canister holds unless told otherwise: a few T, as a funded mainnet canister does. */
export const SEEDED_CANISTER_CYCLES = 10_000_000_000_000n

const DOC = 'http://internetcomputer.org/docs/current/references/execution-errors#'

/** `separate_with_underscores`, as the replica prints cycles. */
export function formatCycles(cycles: bigint): string {
  return cycles.toString().replace(/\B(?=(\d{3})+(?!\d))/g, '_')
}

const max0 = (value: bigint): bigint => (value > 0n ? value : 0n)

/** `CanisterState::memory_usage`: code, memories, chunk store and the canister's snapshots. */
export function memoryUsage(subnet: Subnet, canister: Canister): bigint {
  const instance = canister.code?.instance
  return (
    BigInt(instance?.heapSize ?? 0) +
    BigInt(instance?.stableSize ?? 0) +
    BigInt(canister.code?.module.bytes.length ?? 0) +
    BigInt(canister.chunkStore.byteLength) +
    snapshotsSize(subnet, canister)
  )
}

export function snapshotsSize(subnet: Subnet, canister: Canister): bigint {
  return subnet.snapshotsOf(canister.id).reduce((sum, s) => sum + snapshotSize(s), 0n)
}

/** `memory_cost`: bytes × fee × seconds / GiB. */
function memoryCost(bytes: bigint, seconds: bigint): bigint {
  return (bytes * FEES.gibStoragePerSecond * seconds) / GIB
}

/** `idle_cycles_burned_rate` per day: memory (at least its allocation) and compute allocation. */
export function idleCyclesBurnedPerDay(canister: Canister, usage: bigint): bigint {
  const allocation = canister.settings.memory_allocation
  const memory = allocation > usage ? allocation : usage
  return (
    memoryCost(memory, SECONDS_PER_DAY) +
    FEES.computePercentAllocatedPerSecond * SECONDS_PER_DAY * canister.settings.compute_allocation
  )
}

/** `freeze_threshold_cycles`: the idle burn over the freezing threshold, less the reserved balance. */
export function freezingThresholdCycles(canister: Canister, usage: bigint): bigint {
  const threshold =
    (idleCyclesBurnedPerDay(canister, usage) * canister.settings.freezing_threshold) / SECONDS_PER_DAY
  return max0(threshold - canister.reservedCycles)
}

/** `execution_cost`: the per-message fee plus the instructions. */
export function executionCost(instructions: bigint): bigint {
  return FEES.updateMessageExecution + (instructions * FEES.tenUpdateInstructions) / 10n
}

/** `management_canister_cost`: instructions the management canister runs natively, without a message fee. */
export function managementCost(instructions: bigint): bigint {
  return (instructions * FEES.tenUpdateInstructions) / 10n
}

/** `ingress_induction_cost_from_bytes`: per message and per byte of the signed request. */
export function ingressCost(bytes: number): bigint {
  return FEES.ingressMessageReception + FEES.ingressByteReception * BigInt(bytes)
}

/** The storage reservation of `allocated` more bytes (`storage_reservation_cycles`, a triangle's area). */
export function storageReservationCycles(subnet: Subnet, allocated: bigint): bigint {
  const usage = subnetMemoryUsage(subnet)
  return totalReservation(usage + allocated) - totalReservation(usage)
}

function totalReservation(usage: bigint): bigint {
  const above = max0(usage - SUBNET_MEMORY_THRESHOLD)
  const seconds =
    (above * FEES.maxStorageReservationPeriodSeconds) / (SUBNET_MEMORY_CAPACITY - SUBNET_MEMORY_THRESHOLD)
  return memoryCost(above, seconds / 2n)
}

/** Every canister's memory plus what the `subnetMemoryUsage` control says the rest of the subnet holds. */
export function subnetMemoryUsage(subnet: Subnet): bigint {
  return subnet.allCanisters().reduce((sum, c) => sum + memoryUsage(subnet, c), subnet.otherMemoryUsage)
}

/** `CanisterOutOfCyclesError`'s Display; the top-up amount is revealed to controllers only. */
function outOfCycles(
  canister: Canister,
  available: bigint,
  requested: bigint,
  threshold: bigint,
  sender: Principal
) {
  return canister.isController(sender)
    ? `Canister ${canister.id.toText()} is out of cycles: please top up the canister with at least ` +
        `${formatCycles(max0(threshold + requested - available))} additional cycles`
    : `Canister ${canister.id.toText()} is out of cycles`
}

export const cyclesErrors = {
  // IC0207 (`CanisterOutOfCycles`, reject code 2): `CanisterSnapshotNotEnoughCycles`.
  snapshotNotEnoughCycles: (detail: string) =>
    Rejection.of(
      207,
      `Canister snapshotting failed with: \`${detail}\`\n` +
        'Try sending more cycles with the request. See documentation: canister-snapshot-not-enough-cycles'
    ),
  // IC0207 at ingress induction (`should_accept_ingress_message`).
  ingressOutOfCycles: (detail: string) => Rejection.of(207, detail),
  // IC0532 `InsufficientCyclesInMemoryGrow`.
  insufficientCyclesInMemoryGrow: (bytes: bigint, available: bigint, required: bigint) =>
    Rejection.of(
      532,
      `Canister cannot grow memory by ${bytes} bytes due to insufficient cycles. ` +
        `At least ${formatCycles(max0(required - available))} additional cycles are required.\n` +
        `Top up the canister with more cycles. See documentation: ${DOC}insufficient-cycles-in-memory-grow-1`
    ),
  // IC0534 `ReservedCyclesLimitExceededInMemoryGrow` (its text really says "would exceeded").
  reservedCyclesLimitExceeded: (bytes: bigint, requested: bigint, limit: bigint) =>
    Rejection.of(
      534,
      `Canister cannot grow memory by ${bytes} bytes due to its reserved cycles limit. ` +
        `The current limit (${formatCycles(limit)}) would exceeded by ${formatCycles(requested - limit)}.\n` +
        "Try increasing this canister's reserved cycles limit or moving it to a subnet with lower memory usage. " +
        `See documentation: ${DOC}reserved-cycles-limit-exceeded-in-memory-grow`
    )
}

/** What `cycles_and_memory_usage_checks` validated, for `chargeValidated` to apply. */
export interface ValidatedCharge {
  canister: Canister
  cyclesForInstructions: bigint
  reservation: bigint
}

/**
 * `cycles_and_memory_usage_checks`, in its order: the canister must not be frozen at its new memory usage
 * (IC0532), must pay for the instructions above that threshold (IC0207), and must be able to reserve
 * storage cycles from what is left (IC0532) within its reserved-cycles limit (IC0534).
 */
export function checkCyclesAndMemory(
  subnet: Subnet,
  canister: Canister,
  sender: Principal,
  change: { cyclesForInstructions: bigint; oldUsage: bigint; newUsage: bigint }
): ValidatedCharge {
  const { cyclesForInstructions, oldUsage, newUsage } = change
  const allocation = canister.settings.memory_allocation
  const allocated = (n: bigint) => (allocation > n ? allocation : n)
  const allocatedBytes = max0(allocated(newUsage) - allocated(oldUsage))
  const threshold = freezingThresholdCycles(canister, newUsage)
  if (canister.cycles < threshold)
    throw cyclesErrors.insufficientCyclesInMemoryGrow(allocatedBytes, canister.cycles, threshold)
  if (threshold + cyclesForInstructions > canister.cycles)
    throw cyclesErrors.snapshotNotEnoughCycles(
      outOfCycles(canister, canister.cycles, cyclesForInstructions, threshold, sender)
    )
  const reservation = storageReservationCycles(subnet, allocatedBytes)
  const mainBalance = max0(canister.cycles - cyclesForInstructions)
  if (reservation > mainBalance)
    throw cyclesErrors.insufficientCyclesInMemoryGrow(allocatedBytes, mainBalance, reservation)
  const limit = canister.settings.reserved_cycles_limit
  if (canister.reservedCycles + reservation > limit)
    throw cyclesErrors.reservedCyclesLimitExceeded(
      allocatedBytes,
      canister.reservedCycles + reservation,
      limit
    )
  return { canister, cyclesForInstructions, reservation }
}

/** `cycles_and_memory_usage_updates`: the instructions are burnt and the reservation moves aside. */
export function chargeValidated({ canister, cyclesForInstructions, reservation }: ValidatedCharge): void {
  canister.cycles -= cyclesForInstructions + reservation
  canister.reservedCycles += reservation
}

/**
 * `consume_cycles_for_management_canister_instructions`: a charge for instructions above the freezing
 * threshold at the current memory usage, or IC0207.
 */
export function chargeSnapshotInstructions(
  subnet: Subnet,
  canister: Canister,
  sender: Principal,
  instructions: bigint
): void {
  const cost = managementCost(instructions)
  const threshold = freezingThresholdCycles(canister, memoryUsage(subnet, canister))
  if (threshold + cost > canister.cycles)
    throw cyclesErrors.snapshotNotEnoughCycles(
      outOfCycles(canister, canister.cycles, cost, threshold, sender)
    )
  canister.cycles -= cost
}

/** The would-be snapshot's cost of `take_canister_snapshot` and `upload_canister_snapshot_metadata`. */
export function snapshotCreationCost(snapshotBytes: bigint): bigint {
  return executionCost(SNAPSHOT_BASELINE_INSTRUCTIONS + snapshotBytes)
}

/** `read_snapshot_data` charges up front for the baseline and the most the slice can hold. */
export function readDataInstructions(kind: { wasm_chunk?: unknown; size?: bigint }): bigint {
  return SNAPSHOT_DATA_BASELINE_INSTRUCTIONS + (kind.size ?? CHUNK_BYTES)
}

/** `get_bytes_and_instructions` of `write_snapshot_data`: the bytes written (a chunk counts as 1 MiB). */
export function writeDataInstructions(isChunk: boolean, chunkBytes: number): bigint {
  return isChunk ? CHUNK_BYTES : BigInt(chunkBytes)
}

/** A stored chunk counts 1 MiB in the snapshot's memory, whatever its length. */
export const STORED_CHUNK_BYTES = CHUNK_BYTES

/**
 * `ingress_induction_cost`: the canister a message is for pays for its bytes (a management call: the
 * effective canister; a small update_settings is free). Unpaid, the message is refused with IC0207.
 * Messages that did not come over HTTP (the state machine's own tests) carry no size and cost nothing.
 */
export function chargeIngress(subnet: Subnet, ingress: Ingress, management: boolean): void {
  if (ingress.messageBytes === undefined) return
  if (
    management &&
    ingress.methodName === 'update_settings' &&
    ingress.arg.length <= MAX_DELAYED_INGRESS_COST_PAYLOAD_SIZE
  )
    return
  const payer = subnet.canister(management ? ingress.effectiveCanisterId : ingress.canisterId)
  if (!payer) return
  const cost = ingressCost(ingress.messageBytes)
  const threshold = freezingThresholdCycles(payer, memoryUsage(subnet, payer))
  if (threshold + cost > payer.cycles)
    throw cyclesErrors.ingressOutOfCycles(outOfCycles(payer, payer.cycles, cost, threshold, ingress.sender))
  payer.cycles -= cost
}
