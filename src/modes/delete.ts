// delete: one snapshot, or all but the newest N. The list is read first, so only ids that exist are named.
import * as core from '@actions/core'
import { Inputs, Outputs } from '../constants.js'
import { InputError } from '../errors.js'
import type { SnapshotInfo } from '../ic/management.js'
import { formatBytes, isoTime } from '../summary.js'
import type { ModeContext } from './context.js'
import { preflight } from './preflight.js'

export async function deleteSnapshots(context: ModeContext): Promise<void> {
  const { inputs, management, report } = context
  const canisterId = inputs.canisters[0].principal
  const { snapshots } = await preflight(management, canisterId, inputs.identity.principal, { code: false })
  const doomed = choose(snapshots, context)
  const prefix = inputs.dryRun ? '[dry run] would delete' : 'Deleting'
  for (const snapshot of doomed) {
    core.info(
      `${prefix} ${snapshot.id} (taken ${isoTime(snapshot.takenAtNs)}, ${formatBytes(snapshot.sizeBytes)})`
    )
    if (!inputs.dryRun) await management.deleteSnapshot(canisterId, snapshot.id)
  }
  if (doomed.length === 0) core.info('Nothing to delete')
  core.setOutput(Outputs.Deleted, JSON.stringify(inputs.dryRun ? [] : doomed.map(s => s.id)))
  report.table(
    inputs.dryRun ? 'Would delete (dry run, nothing changed)' : 'Deleted',
    ['Canister', 'Snapshot id', 'Taken at', 'Size'],
    doomed.length
      ? doomed.map(s => [
          canisterId.toText(),
          `<code>${s.id}</code>`,
          isoTime(s.takenAtNs),
          formatBytes(s.sizeBytes)
        ])
      : [[canisterId.toText(), 'none', '—', '—']]
  )
}

function choose(snapshots: SnapshotInfo[], context: ModeContext): SnapshotInfo[] {
  const { snapshot, keepLast } = context.inputs
  const canister = context.inputs.canisters[0].principal.toText()
  if (keepLast !== undefined) return snapshots.slice(0, Math.max(0, snapshots.length - keepLast))
  if (snapshot?.kind === 'latest') return snapshots.slice(-1)
  const found = snapshots.find(s => s.id === (snapshot as { id: string }).id)
  if (!found) {
    throw new InputError(
      Inputs.SnapshotId,
      `${canister} has no snapshot ${(snapshot as { id: string }).id}; it has ${snapshots.map(s => s.id).join(', ') || 'none'}`
    )
  }
  return [found]
}
