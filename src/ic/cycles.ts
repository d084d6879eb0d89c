// What a step costs a canister in cycles, estimated before anything changes. The fees are those of a 13-node
// application subnet (dfinity/ic rs/config/src/subnet_config.rs, `CyclesAccountManagerConfig`; the developer
// docs' references/cycle-costs.md); the formulas follow rs/cycles_account_manager (`execution_cost`,
// `freeze_threshold_cycles`, `ingress_induction_cost`) and rs/execution_environment/src/canister_manager.rs
// (`take_canister_snapshot`, `load_canister_snapshot`, `create_snapshot_from_metadata`,
// `write_snapshot_data`, `read_snapshot_data`, `cycles_and_memory_usage_checks`).

/** Fees on a 13-node application subnet; a larger subnet scales them by its size / 13. */
export const FEES = {
  /** Per update message executed (`update_message_execution_fee`). */
  updateMessage: 5_000_000n,
  /** Per instruction: 10 cycles per 10 instructions (`ten_update_instructions_execution_fee`). */
  perInstruction: 1n,
  /** Per ingress message, charged to the canister it is about (`ingress_message_reception_fee`). */
  ingressMessage: 1_200_000n,
  /** Per byte of a signed ingress message (`ingress_byte_reception_fee`). */
  ingressByte: 2_000n,
  /** Storage per GiB per second (`gib_storage_per_second_fee`). */
  gibSecond: 127_000n
} as const

/** `DEFAULT_CANISTERS_SNAPSHOT_BASELINE_INSTRUCTIONS`: taking, loading or creating a snapshot. */
export const SNAPSHOT_BASELINE_INSTRUCTIONS = 2_000_000_000n
/** `DEFAULT_CANISTERS_SNAPSHOT_DATA_BASELINE_INSTRUCTIONS`: each read of snapshot data. */
export const SNAPSHOT_DATA_BASELINE_INSTRUCTIONS = 5_000_000n
/** What the envelope (sender, signature, key, request fields) adds to a call's argument, generously. */
export const ENVELOPE_BYTES = 1_000n
/** Ingress of the small calls around a step (status, list, stop, take, start): a few per canister. */
export const SMALL_CALLS = 12n

const GIB = 1n << 30n
const SECONDS_PER_DAY = 86_400n

/** A canister's cycles facts from canister_status (interface spec, "IC method canister_status"). */
export interface CyclesFacts {
  cycles: bigint
  reservedCycles: bigint
  freezingThresholdSeconds: bigint
  memorySize: bigint
  /** The part of memory_size that is the canister's snapshots (memory_metrics.snapshots_size). */
  snapshotsSize: bigint
  idleCyclesBurnedPerDay: bigint
}

/** What a step does to one canister. */
export interface StepWork {
  /** Snapshots taken of the canister's current state (create; a restore's safety snapshot). */
  takes: number
  /** Snapshots loaded into it. */
  loads: number
  /** Bytes of snapshots the step deletes or replaces, which free memory. */
  freedBytes: bigint
  /** Bytes of a snapshot uploaded to the canister. */
  upload?: bigint
  /** Bytes of a snapshot downloaded from it; 'taken': the one the step takes. */
  download?: bigint | 'taken'
}

/** interface spec, read/upload_canister_snapshot_data: data moves in slices of at most 2,000,000 bytes. */
export const DATA_SLICE_BYTES = 2_000_000n

function dataCalls(bytes: bigint): bigint {
  // The module, two memories and the chunks each start a slice of their own: a few more than bytes / slice.
  return (bytes + DATA_SLICE_BYTES - 1n) / DATA_SLICE_BYTES + 3n
}

export interface CostEstimate {
  /** Cycles the step burns. */
  burnt: bigint
  /** The freezing threshold at the memory the canister holds afterwards. */
  threshold: bigint
  /** burnt + threshold: what the balance must hold for every call to pass. */
  required: bigint
  /** How many more cycles the canister needs; 0 when it has enough. */
  shortfall: bigint
  /** The parts of `burnt`, for the message. */
  parts: { label: string; cycles: bigint }[]
}

/** `execution_cost`: the message fee plus the instructions. */
export function executionCost(instructions: bigint): bigint {
  return FEES.updateMessage + instructions * FEES.perInstruction
}

/** `ingress_induction_cost_from_bytes`. */
export function ingressCost(messageBytes: bigint): bigint {
  return FEES.ingressMessage + FEES.ingressByte * messageBytes
}

/** `memory_cost` for one day. */
function storagePerDay(bytes: bigint): bigint {
  return (bytes * FEES.gibSecond * SECONDS_PER_DAY) / GIB
}

/**
 * The cost of a step and the balance it needs. A snapshot copies the canister's state (memory_size less its
 * snapshots); taking one costs 2B + 1 per byte instructions plus the message fee; uploading one costs the same
 * for its metadata, 1 instruction per byte written, and each message's ingress; each read costs 5M + 1 per
 * byte; loading costs 2B. The freezing threshold is taken at the memory the canister holds afterwards, since
 * the IC refuses a snapshot that would freeze it (IC0532).
 */
export function estimateCost(facts: CyclesFacts, work: StepWork): CostEstimate {
  const state = facts.memorySize > facts.snapshotsSize ? facts.memorySize - facts.snapshotsSize : 0n
  const parts: CostEstimate['parts'] = []
  if (work.takes > 0)
    parts.push({
      label: `${work.takes === 1 ? 'snapshot' : `${work.takes} snapshots`} of ${state} bytes`,
      cycles: BigInt(work.takes) * executionCost(SNAPSHOT_BASELINE_INSTRUCTIONS + state)
    })
  if (work.upload !== undefined) {
    const bytes = work.upload
    const calls = dataCalls(bytes) + 1n
    parts.push({
      label: `upload of ${bytes} bytes`,
      cycles:
        executionCost(SNAPSHOT_BASELINE_INSTRUCTIONS + bytes) +
        bytes * FEES.perInstruction +
        calls * ingressCost(ENVELOPE_BYTES) +
        bytes * FEES.ingressByte
    })
  }
  if (work.download !== undefined) {
    const bytes = work.download === 'taken' ? state : work.download
    const calls = dataCalls(bytes)
    parts.push({
      label: `download of ${bytes} bytes`,
      cycles:
        calls * (SNAPSHOT_DATA_BASELINE_INSTRUCTIONS * FEES.perInstruction + ingressCost(ENVELOPE_BYTES)) +
        bytes * FEES.perInstruction
    })
  }
  if (work.loads > 0)
    parts.push({
      label: 'load',
      cycles: BigInt(work.loads) * SNAPSHOT_BASELINE_INSTRUCTIONS * FEES.perInstruction
    })
  parts.push({ label: 'calls', cycles: SMALL_CALLS * ingressCost(ENVELOPE_BYTES) })
  const burnt = parts.reduce((sum, p) => sum + p.cycles, 0n)

  const grown = BigInt(work.takes) * state + (work.upload ?? 0n)
  const after = facts.memorySize + grown > work.freedBytes ? facts.memorySize + grown - work.freedBytes : 0n
  // The idle burn canister_status reports, plus the storage of what the step adds.
  const idleAfter =
    after >= facts.memorySize
      ? facts.idleCyclesBurnedPerDay + storagePerDay(after - facts.memorySize)
      : facts.idleCyclesBurnedPerDay
  const rawThreshold = (idleAfter * facts.freezingThresholdSeconds) / SECONDS_PER_DAY
  const threshold = rawThreshold > facts.reservedCycles ? rawThreshold - facts.reservedCycles : 0n
  const required = burnt + threshold
  return {
    burnt,
    threshold,
    required,
    shortfall: required > facts.cycles ? required - facts.cycles : 0n,
    parts
  }
}

/** `1_234_567` → `1.23B`: cycles as people count them (T, B, M). */
export function formatCycles(cycles: bigint): string {
  const units: [bigint, string][] = [
    [1_000_000_000_000n, 'T'],
    [1_000_000_000n, 'B'],
    [1_000_000n, 'M']
  ]
  for (const [size, unit] of units)
    if (cycles >= size)
      return `${(Number((cycles * 100n) / size) / 100).toFixed(2).replace(/\.?0+$/, '')}${unit}`
  return cycles.toString()
}

/** A top-up amount for `icp canister top-up --amount`: whole billions, rounded up. */
export function topUpAmount(shortfall: bigint): string {
  const billions = (shortfall + 999_999_999n) / 1_000_000_000n
  return `${billions > 0n ? billions : 1n}b`
}
