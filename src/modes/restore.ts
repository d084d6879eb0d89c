// restore: stop, load a snapshot, start; then prove the canister runs the snapshot's module.
import { createHash } from 'node:crypto'
import * as core from '@actions/core'
import { Principal } from '@dfinity/principal'
import { Inputs, Outputs } from '../constants.js'
import { InputError } from '../errors.js'
import { ActionError } from '../ic/errors.js'
import { withCanisterStopped } from '../ic/lifecycle.js'
import type { Management, SnapshotInfo } from '../ic/management.js'
import { snapshotIdFromHex } from '../ic/snapshot-id.js'
import type { SnapshotRef } from '../inputs.js'
import { formatBytes, isoTime } from '../summary.js'
import type { ModeContext } from './context.js'
import { preflight, shortHash } from './preflight.js'

export async function restore(context: ModeContext): Promise<void> {
  const { inputs, management, report } = context
  const [canister] = inputs.canisters
  const canisterId = canister.principal
  const label = canister.name ? `${canister.name} (${canisterId.toText()})` : canisterId.toText()

  core.startGroup('Preflight')
  let snapshot: SnapshotInfo & { owner: Principal }
  let expectedHash: string
  let hashBefore: string | undefined
  try {
    const checked = await preflight(management, canisterId, inputs.identity.principal, { code: false })
    hashBefore = checked.facts.moduleHash
    snapshot = await findSnapshot(management, canisterId, checked.snapshots, inputs.snapshot as SnapshotRef)
    const module = await management.readSnapshotModule(snapshot.owner, snapshot.id)
    expectedHash = createHash('sha256').update(module).digest('hex')
    core.info(
      `Snapshot ${snapshot.id} was taken at ${isoTime(snapshot.takenAtNs)} and holds module ${shortHash(expectedHash)}`
    )
  } finally {
    core.endGroup()
  }

  if (inputs.dryRun) {
    core.info(`[dry run] would stop ${label}, load snapshot ${snapshot.id}, and start it`)
    report.table(
      'Plan (dry run, nothing changed)',
      ['Canister', 'Snapshot', 'Module now', 'Module after'],
      [
        [
          label,
          `<code>${snapshot.id}</code>`,
          hashBefore ? shortHash(hashBefore) : 'none',
          shortHash(expectedHash)
        ]
      ]
    )
    return
  }

  core.startGroup(`Restore of ${label}`)
  try {
    await withCanisterStopped(
      management,
      canisterId,
      { stopTimeoutSeconds: inputs.stopTimeoutSeconds, startAfterwards: 'always' },
      () => management.loadSnapshot(canisterId, snapshot.id)
    )
    core.info(`Loaded snapshot ${snapshot.id}`)
  } finally {
    core.endGroup()
  }

  const after = await management.status(canisterId)
  core.setOutput(Outputs.SnapshotId, snapshot.id)
  core.setOutput(Outputs.TakenAt, isoTime(snapshot.takenAtNs))
  core.setOutput(Outputs.SizeBytes, snapshot.sizeBytes.toString())
  core.setOutput(Outputs.ModuleHash, after.moduleHash ?? '')
  report.table(
    'Restored',
    ['Canister', 'Snapshot', 'Taken at', 'Size', 'Snapshot module', 'Running module', 'Status'],
    [
      [
        label,
        `<code>${snapshot.id}</code>`,
        isoTime(snapshot.takenAtNs),
        formatBytes(snapshot.sizeBytes),
        `<code>${expectedHash}</code>`,
        `<code>${after.moduleHash ?? 'none'}</code>`,
        after.status
      ]
    ]
  )
  if (after.moduleHash !== expectedHash) {
    throw new ActionError(
      `After loading ${snapshot.id}, ${canisterId.toText()} runs module ${after.moduleHash ?? 'none'}, not the snapshot's ${expectedHash}.`
    )
  }
  core.info(`Module hash check passed: ${canisterId.toText()} runs ${expectedHash}`)
}

/** The snapshot to load: the newest, or the given id, which may belong to another canister (same controllers). */
async function findSnapshot(
  management: Management,
  canisterId: Principal,
  own: SnapshotInfo[],
  ref: SnapshotRef
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
