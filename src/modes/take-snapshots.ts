// Taking snapshots safely, shared by create and download-artifact's `snapshot-id: new`: every canister is
// checked (and its replacement chosen) before the first one is stopped.
import * as core from '@actions/core'
import type { Principal } from '@icp-sdk/core/principal'
import { Inputs, MAX_SNAPSHOTS_PER_CANISTER } from '../constants.js'
import { InputError } from '../errors.js'
import { ActionError } from '../ic/errors.js'
import { withCanisterStopped } from '../ic/lifecycle.js'
import { snapshotLimitFromReject } from '../ic/snapshot-limit.js'
import type { SnapshotInfo } from '../ic/management.js'
import type { ResolvedCanister } from '../canister-ids.js'
import { formatBytes, isoTime } from '../summary.js'
import type { ModeContext } from './context.js'
import type { StepWork } from '../ic/cycles.js'
import { checkCycles, takeWork } from './cycles-preflight.js'
import { preflight } from './preflight.js'

export interface SnapshotPlan {
  canisterId: Principal
  label: string
  moduleHash: string
  replace?: SnapshotInfo
}

export interface TakenSnapshot {
  plan: SnapshotPlan
  snapshot: SnapshotInfo
  restarted: boolean
}

export function canisterLabel(canister: ResolvedCanister): string {
  return canister.name ? `${canister.name} (${canister.principal.toText()})` : canister.principal.toText()
}

/** Checks each canister and chooses its replacement; then that each can pay for its snapshot (`work`). */
export async function planSnapshots(
  context: ModeContext,
  canisters: ResolvedCanister[],
  work: (plan: SnapshotPlan) => StepWork = plan => takeWork(plan.replace?.sizeBytes)
): Promise<SnapshotPlan[]> {
  const { inputs, management } = context
  const plans: SnapshotPlan[] = []
  for (const canister of canisters) {
    const checked = await preflight(management, canister.principal, inputs.identity.principal, { code: true })
    plans.push({
      canisterId: canister.principal,
      label: canisterLabel(canister),
      moduleHash: checked.facts.moduleHash as string,
      replace: chooseReplacement(context, canister.principal, checked.snapshots)
    })
  }
  await checkCycles(
    management,
    plans.map(plan => ({ canisterId: plan.canisterId, label: plan.label, work: work(plan) }))
  )
  return plans
}

export async function takePlanned(context: ModeContext, plans: SnapshotPlan[]): Promise<TakenSnapshot[]> {
  const { inputs, management } = context
  const taken: TakenSnapshot[] = []
  for (const plan of plans) {
    core.startGroup(`Snapshot of ${plan.label}`)
    try {
      const { result: snapshot, restarted } = await withCanisterStopped(
        management,
        plan.canisterId,
        { stopTimeoutSeconds: inputs.stopTimeoutSeconds, startAfterwards: 'if-it-was-running' },
        () => takeWithinLimit(context, plan)
      )
      core.info(
        `Took snapshot ${snapshot.id} (${formatBytes(snapshot.sizeBytes)}) at ${isoTime(snapshot.takenAtNs)}`
      )
      if (inputs.uninstallCode) {
        core.info(
          `Uninstalled the code of ${plan.label} in the same call: its memory is freed, and loading ${snapshot.id} brings it back`
        )
      }
      if (plan.replace)
        core.info(`It replaced ${plan.replace.id}, which the IC deleted once the new one existed`)
      taken.push({ plan, snapshot, restarted })
    } finally {
      core.endGroup()
    }
  }
  return taken
}

/**
 * Takes the planned snapshot. If the IC refuses because the canister is at a limit lower than the one planned
 * with, the reject names the limit: `on-limit` then applies to it as it would have in the plan.
 */
async function takeWithinLimit(context: ModeContext, plan: SnapshotPlan): Promise<SnapshotInfo> {
  const { inputs, management } = context
  try {
    return await management.takeSnapshot(plan.canisterId, plan.replace?.id, {
      uninstallCode: inputs.uninstallCode
    })
  } catch (error) {
    const limit = snapshotLimitFromReject(error)
    if (limit === undefined || plan.replace) throw error
    const id = plan.canisterId.toText()
    const snapshots = await management.listSnapshots(plan.canisterId)
    const [oldest] = snapshots
    if (inputs.onLimit !== 'replace-oldest' || !oldest) {
      throw new ActionError(
        `${id} already holds ${snapshots.length} snapshots, the most the IC allows (${limit}, as its reject says); set '${Inputs.OnLimit}: replace-oldest', '${Inputs.Replace}: oldest', or remove some with 'mode: delete'.`
      )
    }
    core.info(
      `The IC allows ${limit} snapshots per canister (its reject says so), and ${id} holds ${snapshots.length}: replacing the oldest, ${oldest.id}`
    )
    plan.replace = oldest
    return management.takeSnapshot(plan.canisterId, oldest.id, { uninstallCode: inputs.uninstallCode })
  }
}

/** The slot a new snapshot takes: none, the one `replace` names, or (at the limit) what `on-limit` allows. */
export function chooseReplacement(
  context: ModeContext,
  canisterId: Principal,
  snapshots: SnapshotInfo[]
): SnapshotInfo | undefined {
  const { replace, onLimit } = context.inputs
  const id = canisterId.toText()
  if (replace?.kind === 'id') {
    const found = snapshots.find(s => s.id === replace.id)
    if (!found) {
      throw new InputError(
        Inputs.Replace,
        `${id} has no snapshot ${replace.id}; it has ${snapshots.map(s => s.id).join(', ') || 'none'}`
      )
    }
    return found
  }
  if (replace?.kind === 'oldest') return snapshots[0]
  if (snapshots.length < MAX_SNAPSHOTS_PER_CANISTER) return undefined
  if (onLimit === 'replace-oldest') return snapshots[0]
  throw new ActionError(
    `${id} already holds ${snapshots.length} snapshots, the most the IC allows; set '${Inputs.OnLimit}: replace-oldest', '${Inputs.Replace}: oldest', or remove some with 'mode: delete'.`
  )
}
