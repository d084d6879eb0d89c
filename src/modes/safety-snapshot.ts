// Every restore can be undone: before a snapshot is loaded over the canister's state, that state is kept as
// a safety snapshot, in the same stop window as the load (stop, take it, load, start), so that loading the
// safety snapshot gives back exactly what the restore replaced. Shared by restore and upload-artifact.
import * as core from '@actions/core'
import type { Principal } from '@icp-sdk/core/principal'
import { Inputs, MAX_SNAPSHOTS_PER_CANISTER, Outputs } from '../constants.js'
import type { Network } from '../ic/connect.js'
import { ActionError } from '../ic/errors.js'
import { withCanisterStopped } from '../ic/lifecycle.js'
import { snapshotLimitFromReject } from '../ic/snapshot-limit.js'
import type { SnapshotInfo } from '../ic/management.js'
import { formatBytes, isoTime } from '../summary.js'
import type { ModeContext } from './context.js'

export type SafetyPlan =
  { take: true; replace?: SnapshotInfo } | { take: false; reason: 'turned off' | 'empty canister' }

export interface SafetyTarget {
  canisterId: Principal
  label: string
  /** The module the canister runs now; undefined: it is empty, so there is nothing to lose. */
  moduleHash?: string
  /** The canister's own snapshots, oldest first, as the preflight listed them. */
  snapshots: SnapshotInfo[]
  /** The snapshot about to be loaded, if it is one of the canister's own: never replaced. */
  restoring?: string
  /** upload-artifact: the upload takes a slot of its own first, unless it replaces this snapshot. */
  upload?: { replace?: SnapshotInfo }
}

/** Decided in the preflight, before the first stop or the first uploaded byte. */
export function planSafetySnapshot(context: ModeContext, target: SafetyTarget): SafetyPlan {
  const { inputs } = context
  const id = target.canisterId.toText()
  if (inputs.safetySnapshot === false) {
    core.info(
      `'${Inputs.SafetySnapshot}: false': no safety snapshot of ${id}; the state it has now cannot be brought back`
    )
    return { take: false, reason: 'turned off' }
  }
  if (!target.moduleHash) {
    core.info(`${id} has no code installed: nothing to lose, so no safety snapshot is taken`)
    return { take: false, reason: 'empty canister' }
  }
  const { upload } = target
  const afterUpload = target.snapshots.length + (upload && !upload.replace ? 1 : 0)
  if (afterUpload < MAX_SNAPSHOTS_PER_CANISTER) return { take: true }
  const uploadNote = upload ? ' (counting the uploaded one)' : ''
  if (inputs.onLimit !== 'replace-oldest') {
    throw new ActionError(
      `${id} would hold ${afterUpload} snapshots${uploadNote}, the most the IC allows, and the safety snapshot that makes this restore undoable needs one more; set '${Inputs.OnLimit}: replace-oldest', remove some with 'mode: delete', or set '${Inputs.SafetySnapshot}: false'.`
    )
  }
  // Never the snapshot being loaded, nor the one the upload replaces (the uploaded one is not listed yet).
  const spared = new Set([target.restoring, upload?.replace?.id].filter(Boolean))
  const replace = target.snapshots.find(s => !spared.has(s.id))
  if (!replace) {
    throw new ActionError(
      `${id} has no snapshot the safety snapshot may replace; remove some with 'mode: delete', or set '${Inputs.SafetySnapshot}: false'.`
    )
  }
  return { take: true, replace }
}

/** The plan's words, for the dry run's plan and the log. */
export function describeSafetyPlan(plan: SafetyPlan): string {
  if (!plan.take)
    return `no safety snapshot (${plan.reason === 'empty canister' ? 'the canister is empty' : `'${Inputs.SafetySnapshot}: false'`})`
  return `take a safety snapshot of the current state${plan.replace ? ` replacing the oldest, ${plan.replace.id}` : ''}`
}

/**
 * Stops the canister, takes the planned safety snapshot, loads `snapshotId`, and starts the canister again
 * (whatever happens). The safety snapshot's id is an output and in the summary as soon as it exists, so a
 * load that fails still leaves the way back.
 */
export async function loadWithSafetySnapshot(
  context: ModeContext,
  target: Pick<SafetyTarget, 'canisterId' | 'label'>,
  plan: SafetyPlan,
  snapshotId: string
): Promise<SnapshotInfo | undefined> {
  const { inputs, management } = context
  const { canisterId } = target
  if (plan.take && plan.replace?.id === snapshotId) {
    // Only a resumed upload can get here: it continued a snapshot that was listed in the preflight.
    throw new ActionError(
      `The safety snapshot was planned to replace ${snapshotId}, the snapshot to load; nothing was stopped or loaded. Run the step again.`
    )
  }
  const { result: safety } = await withCanisterStopped(
    management,
    canisterId,
    { stopTimeoutSeconds: inputs.stopTimeoutSeconds, startAfterwards: 'always' },
    async () => {
      let taken: SnapshotInfo | undefined
      if (plan.take) {
        const safety = await takeSafetySnapshot(context, canisterId, plan.replace, snapshotId)
        taken = safety.taken
        reportSafetySnapshot(context, target, taken, safety.replaced)
      }
      await management.loadSnapshot(canisterId, snapshotId)
      return taken
    }
  )
  if (!plan.take) {
    context.report.note(
      `No safety snapshot: ${plan.reason === 'empty canister' ? `${target.label} had no code, so nothing was lost` : `'${Inputs.SafetySnapshot}: false'`}.`
    )
  }
  return safety
}

/**
 * Takes the safety snapshot as planned. The plan counted with the documented limit of 10; a subnet may allow
 * fewer, and a take refused at the limit names it (snapshot-limit.ts): then `on-limit` decides as in the
 * plan, sparing the snapshot about to be loaded.
 */
async function takeSafetySnapshot(
  context: ModeContext,
  canisterId: Principal,
  planned: SnapshotInfo | undefined,
  loading: string
): Promise<{ taken: SnapshotInfo; replaced?: SnapshotInfo }> {
  const { inputs, management } = context
  try {
    return { taken: await management.takeSnapshot(canisterId, planned?.id), replaced: planned }
  } catch (error) {
    const limit = snapshotLimitFromReject(error)
    if (limit === undefined || planned) throw error
    const id = canisterId.toText()
    const snapshots = await management.listSnapshots(canisterId)
    if (inputs.onLimit !== 'replace-oldest') {
      throw new ActionError(
        `${id} holds ${snapshots.length} snapshots, the most the IC allows (${limit}, as its reject says), and the safety snapshot that makes this restore undoable needs one more; set '${Inputs.OnLimit}: replace-oldest', remove some with 'mode: delete', or set '${Inputs.SafetySnapshot}: false'.`
      )
    }
    const replaced = snapshots.find(s => s.id !== loading)
    if (!replaced) {
      throw new ActionError(
        `${id} has no snapshot the safety snapshot may replace; remove some with 'mode: delete', or set '${Inputs.SafetySnapshot}: false'.`
      )
    }
    core.info(
      `The IC allows ${limit} snapshots per canister (its reject says so): the safety snapshot replaces the oldest, ${replaced.id}`
    )
    return { taken: await management.takeSnapshot(canisterId, replaced.id), replaced }
  }
}

function reportSafetySnapshot(
  context: ModeContext,
  target: Pick<SafetyTarget, 'canisterId' | 'label'>,
  safety: SnapshotInfo,
  replaced: SnapshotInfo | undefined
): void {
  const id = target.canisterId.toText()
  core.setOutput(Outputs.SafetySnapshotId, safety.id)
  core.info(
    `Took safety snapshot ${safety.id} (${formatBytes(safety.sizeBytes)}) of the state before the restore${replaced ? `; it replaced ${replaced.id}` : ''}`
  )
  const on = icpNetworkFlags(context.inputs.network)
  const icp = [
    `icp canister stop ${id} ${on}`,
    `icp canister snapshot restore ${id} ${safety.id} ${on}`,
    `icp canister start ${id} ${on}`
  ]
  core.info(
    `To undo this restore, run this action with 'mode: restore', 'canister: ${id}', 'snapshot-id: ${safety.id}', or: ${icp.map(c => `'${c}'`).join(', ')}`
  )
  context.report.table(
    'Safety snapshot (to undo this restore)',
    ['', ''],
    [
      ['Canister', target.label],
      [
        'Safety snapshot',
        `<code>${safety.id}</code>, taken at ${isoTime(safety.takenAtNs)}${replaced ? ` (replaced <code>${replaced.id}</code>)` : ''}`
      ],
      [
        'Undo with this action',
        `<code>mode: restore</code>, <code>canister: ${id}</code>, <code>snapshot-id: ${safety.id}</code>`
      ],
      ['Undo with icp-cli', icp.map(c => `<code>${c}</code>`).join('<br>')]
    ]
  )
}

// icp-cli targets the project's local network unless told otherwise; a URL network needs a root key. The
// same flags as the rollback's hand-restore commands (src/guard/rollback.ts).
function icpNetworkFlags(network: Network): string {
  return network.kind === 'ic' ? '-n ic' : `-n ${network.url} --root-key fetch`
}
