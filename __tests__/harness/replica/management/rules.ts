// The mainnet rules a test can turn: how much heap delta a canister may write per round, how long a snapshot
// stays unloadable onto another canister, how many snapshots a canister may hold. The replica's controls own
// one of these and the subnet reads it on every call, so a change applies to the next call.
import { ROUND_MS, APPLICATION_SUBNET_HEAP_DELTA_RATE_LIMIT } from './rate-limit.js'

export interface SubnetRules {
  /** Bytes of heap delta a canister may add per round; Infinity turns the rate limit off. */
  heapDeltaRateLimit: number
  /** How long a round lasts, in milliseconds: the debit shrinks by the limit once per round. */
  roundMs: number
  /**
   * How long after its last write a snapshot cannot be loaded onto another canister (IC0406 "not currently
   * loadable"); 0 (the default) turns it off.
   */
  crossCanisterLoadDelayMs: number
  /** `max_number_of_snapshots_per_canister` of the replica's config. */
  maxSnapshotsPerCanister: number
}

/** `MAX_NUMBER_OF_SNAPSHOTS_PER_CANISTER` of the replica's config (rs/config/src/execution_environment.rs). */
export const MAX_SNAPSHOTS_PER_CANISTER = 10

/** An application subnet's rules, with loads across canisters always possible (as right after a checkpoint). */
export function mainnetRules(): SubnetRules {
  return {
    heapDeltaRateLimit: APPLICATION_SUBNET_HEAP_DELTA_RATE_LIMIT,
    roundMs: ROUND_MS,
    crossCanisterLoadDelayMs: 0,
    maxSnapshotsPerCanister: MAX_SNAPSHOTS_PER_CANISTER
  }
}
