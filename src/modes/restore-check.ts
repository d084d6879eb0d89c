// A restore is done when the canister answers: after restore, or upload-artifact with `restore: true`, the
// guard's checks (module hash, health method, health command) run against the restored canister. A check
// that still fails after its retries loads the safety snapshot back, so the canister runs what it ran
// before the restore, and fails the step with one line.
import * as core from '@actions/core'
import type { Principal } from '@icp-sdk/core/principal'
import { Outputs } from '../constants.js'
import { describeChecks } from '../guard/checks.js'
import { buildGates, runGates } from '../guard/gates.js'
import { reportFinalState, rollBack, rollbackSentence } from '../guard/rollback.js'
import { Timeline } from '../guard/timeline.js'
import { ActionError } from '../ic/errors.js'
import type { SnapshotInfo } from '../ic/management.js'
import type { ModeContext } from './context.js'

export interface RestoredCanister {
  canisterId: Principal
  label: string
  /** The snapshot just loaded. */
  snapshotId: string
  /** The module the canister ran before the restore; undefined: it had none. */
  moduleHashBefore?: string
  /** The state before the restore, if a safety snapshot was taken: what a failed check brings back. */
  safety?: SnapshotInfo
}

/** Whether any check applies: without one, the module hash check of the mode itself is the whole check. */
export function hasRestoreChecks(context: ModeContext): boolean {
  const { guard } = context.inputs
  return Boolean(guard.healthMethod || guard.healthCommand || guard.expectedModule)
}

/** The checks, for the dry run's plan: ", then check: …", or nothing. */
export function describeRestoreChecks(context: ModeContext): string {
  const checks = describeChecks(context.inputs.guard)
  return checks.length > 0 ? `, then check: ${checks.join(', ')} (rolling back if one fails)` : ''
}

/** Runs the checks; resolves when all pass, and otherwise rolls back (if it can) and throws. */
export async function checkRestored(context: ModeContext, restored: RestoredCanister): Promise<void> {
  if (!hasRestoreChecks(context)) return
  const { inputs, management, connection, report } = context
  core.setOutput(Outputs.RolledBack, 'false')
  core.setOutput(Outputs.FailedCheck, '')
  core.startGroup(`Checks of the restored ${restored.label}`)
  const timeline = new Timeline(report)
  let failed
  try {
    failed = await runGates(
      buildGates(inputs.guard, [restored], { management, connection }),
      inputs.guard,
      timeline
    )
  } finally {
    core.endGroup()
  }
  if (!failed) {
    core.info(`The restored ${restored.label} passed every check`)
    return
  }
  core.setOutput(Outputs.FailedCheck, failed.check)
  const what = `The restored canister failed the ${failed.check} check (${failed.label}): ${failed.detail}.`
  if (!restored.safety || !restored.moduleHashBefore) {
    // Nothing to go back to: the canister was empty, or the safety snapshot was turned off.
    throw new ActionError(
      `${what} It keeps the state of ${restored.snapshotId}: there is no safety snapshot to roll back to.`
    )
  }
  const outcomes = await rollBack(
    management,
    [
      {
        id: restored.canisterId.toText(),
        label: restored.label,
        snapshotId: restored.safety.id,
        moduleHash: restored.moduleHashBefore
      }
    ],
    { stopTimeoutSeconds: inputs.stopTimeoutSeconds, timeline }
  )
  core.setOutput(Outputs.RolledBack, outcomes.every(o => o.restored) ? 'true' : 'false')
  reportFinalState(report, outcomes)
  throw new ActionError(`${what} ${rollbackSentence(outcomes, inputs.network)}`)
}
