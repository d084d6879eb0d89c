import * as core from '@actions/core'
import { Principal } from '@icp-sdk/core/principal'
import { Inputs } from '../constants.js'
import { InputError } from '../errors.js'
import { ActionError } from '../ic/errors.js'
import type { Management, SnapshotInfo } from '../ic/management.js'
import { snapshotIdFromHex } from '../ic/snapshot-id.js'
import type { ExistingSnapshotRef } from '../inputs/index.js'

/** The snapshot to load: the newest, or the given id, which may belong to another canister (same controllers). */
export async function findSnapshot(
  management: Management,
  canisterId: Principal,
  own: SnapshotInfo[],
  ref: ExistingSnapshotRef
): Promise<SnapshotInfo & { owner: Principal }> {
  if (ref.kind === 'latest') {
    const newest = own[own.length - 1]
    if (!newest)
      throw new ActionError(`${canisterId.toText()} has no snapshots, so there is no 'latest' to restore.`)
    return { ...newest, owner: canisterId }
  }
  const owner = Principal.fromUint8Array(snapshotIdFromHex(ref.id).subarray(8))
  const candidates = owner.toText() === canisterId.toText() ? own : await management.listSnapshots(owner)
  const found = candidates.find(s => s.id === ref.id)
  if (!found) {
    throw new InputError(
      Inputs.SnapshotId,
      `${owner.toText()} has no snapshot ${ref.id}; it has ${candidates.map(s => s.id).join(', ') || 'none'}`
    )
  }
  if (owner.toText() !== canisterId.toText())
    core.info(`Snapshot ${ref.id} belongs to ${owner.toText()}; loading it across canisters`)
  return { ...found, owner }
}
