// Loading a snapshot onto another canister, and why that can fail for a while. In
// rs/execution_environment/src/canister_manager.rs (`load_canister_snapshot`), a snapshot loaded onto its own
// canister shares its page maps; onto another canister the memories are copied with `PageMap::clean_copy`,
// which fails while the snapshot's pages are still unflushed delta, i.e. until the next checkpoint has
// written them out. The replica answers `CanisterSnapshotNotLoadable` (IC0406, canister_manager/types.rs):
// "... Try again later. The call should succeed if you wait sufficiently long (usually ten minutes)."
// (checkpoints come every few hundred rounds). This replica has no checkpoints: a snapshot is unloadable
// elsewhere for `crossCanisterLoadDelayMs` after it was last written (taken, or data uploaded to it).
// The check runs where the IC's does: after the module is compiled and the globals are checked.
import type { Canister, Snapshot } from './canister.js'
import { ErrorCode, Rejection } from './errors.js'
import { displaySnapshotId } from './ids.js'
import type { Subnet } from './subnet.js'

const lastWritten = new WeakMap<Snapshot, bigint>()

/** Data was uploaded to the snapshot: its new pages wait for the next checkpoint. */
export function snapshotWritten(subnet: Subnet, snapshot: Snapshot): void {
  lastWritten.set(snapshot, subnet.now())
}

/** IC0406 while a snapshot of another canister cannot be copied yet. */
export function checkLoadable(subnet: Subnet, canister: Canister, snapshot: Snapshot): void {
  if (snapshot.canisterId.compareTo(canister.id) === 'eq') return
  const delayNs = BigInt(subnet.rules.crossCanisterLoadDelayMs) * 1_000_000n
  if (delayNs <= 0n) return
  const written = lastWritten.get(snapshot) ?? snapshot.takenAtNs
  if (subnet.now() - written >= delayNs) return
  // The IC's text has no ErrorHelp appended (`From<CanisterManagerError> for UserError`).
  throw Rejection.of(
    ErrorCode.CanisterRejectedMessage,
    `Snapshot ${displaySnapshotId(snapshot.id)} is not currently loadable on the specified canister ${canister.id.toText()}. ` +
      'Try again later. The call should succeed if you wait sufficiently long (usually ten minutes).'
  )
}
