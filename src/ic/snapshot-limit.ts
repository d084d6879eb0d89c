// How many snapshots the IC lets a canister hold, as its reject says when the limit is hit. The action plans
// with the documented 10 (constants.ts), but the number is subnet configuration
// (`max_number_of_snapshots_per_canister`, rs/config/src/execution_environment.rs), so the reject is the
// authority: `CanisterSnapshotLimitExceeded`, IC0406, "Canister {id} has reached the maximum number of
// snapshots allowed: {limit}." (rs/execution_environment/src/canister_manager/types.rs).
import { IcRejectError } from './errors.js'

const LIMIT_TEXT = /has reached the maximum number of snapshots allowed: (\d{1,6})\./

/** The limit the IC named in a snapshot-limit reject, or undefined for any other failure. */
export function snapshotLimitFromReject(error: unknown): number | undefined {
  if (!(error instanceof IcRejectError) || error.errorCode !== 'IC0406') return undefined
  const match = LIMIT_TEXT.exec(error.rejectMessage)
  return match ? Number(match[1]) : undefined
}
