// Undoing a deploy: every guarded canister is stopped, loaded from its guard snapshot, started, and checked
// to run its pre-deploy module again. One canister failing never keeps the others from being rolled back.
import * as core from '@actions/core'
import { Principal } from '@icp-sdk/core/principal'
import type { Network } from '../ic/connect.js'
import { describe } from '../ic/errors.js'
import { withCanisterStopped } from '../ic/lifecycle.js'
import type { Management, RunStatus } from '../ic/management.js'
import { shortHash } from '../modes/preflight.js'
import type { Report } from '../summary.js'
import type { GuardedCanister } from './guard-state.js'
import type { Timeline } from './timeline.js'

export interface RollbackOutcome {
  canister: GuardedCanister
  restored: boolean
  problem?: string
  /** As found after the attempt; undefined when even the status could not be read. */
  status?: RunStatus
  moduleHash?: string
}

export async function rollBack(
  management: Management,
  canisters: GuardedCanister[],
  options: { stopTimeoutSeconds: number; timeline: Timeline }
): Promise<RollbackOutcome[]> {
  const outcomes: RollbackOutcome[] = []
  for (const canister of canisters) {
    const startedAt = Date.now()
    core.startGroup(`Rollback of ${canister.label}`)
    try {
      const outcome = await rollBackOne(management, canister, options.stopTimeoutSeconds)
      outcomes.push(outcome)
      options.timeline.add(
        `Rollback of ${canister.label}`,
        outcome.restored ? 'done' : 'failed',
        outcome.restored
          ? `loaded ${canister.snapshotId}; runs ${shortHash(canister.moduleHash)} again`
          : (outcome.problem as string),
        startedAt
      )
    } finally {
      core.endGroup()
    }
  }
  return outcomes
}

async function rollBackOne(
  management: Management,
  canister: GuardedCanister,
  stopTimeoutSeconds: number
): Promise<RollbackOutcome> {
  const canisterId = Principal.fromText(canister.id)
  let problem: string | undefined
  try {
    await withCanisterStopped(management, canisterId, { stopTimeoutSeconds, startAfterwards: 'always' }, () =>
      management.loadSnapshot(canisterId, canister.snapshotId)
    )
    core.info(`Loaded snapshot ${canister.snapshotId} into ${canister.id}`)
  } catch (error) {
    problem = describe(error)
  }
  try {
    const { status, moduleHash } = await management.status(canisterId)
    if (!problem && moduleHash !== canister.moduleHash) {
      problem = `it runs module ${moduleHash ?? 'none'}, not the pre-deploy ${canister.moduleHash}`
    }
    if (!problem && status !== 'running') problem = `it is ${status} after the rollback`
    return { canister, restored: !problem, problem, status, moduleHash }
  } catch (error) {
    return {
      canister,
      restored: false,
      problem: problem ?? `its state could not be read: ${describe(error)}`
    }
  }
}

/** One line for the step's failure: what was undone, or exactly what is left to do by hand. */
export function rollbackSentence(outcomes: RollbackOutcome[], network: Network): string {
  const failed = outcomes.filter(o => !o.restored)
  const restored = outcomes.filter(o => o.restored)
  if (failed.length === 0) {
    return `Rolled back: ${restored.map(o => `${o.canister.label} runs ${shortHash(o.canister.moduleHash)} again from snapshot ${o.canister.snapshotId}`).join('; ')}.`
  }
  const byHand = failed.map(o => {
    const { id, snapshotId } = o.canister
    const state = o.status
      ? `is ${o.status} and runs module ${o.moduleHash ? shortHash(o.moduleHash) : 'none'}`
      : 'is in an unknown state'
    const on = icpNetworkFlags(network)
    return `${o.canister.label} ${state} (${o.problem}); restore it by hand, as a controller, with 'icp canister stop ${id} ${on}', 'icp canister snapshot restore ${id} ${snapshotId} ${on}' and 'icp canister start ${id} ${on}'`
  })
  const done = restored.length ? ` ${restored.map(o => o.canister.label).join(', ')} rolled back.` : ''
  return `ROLLBACK INCOMPLETE: ${byHand.join('; ')}.${done}`
}

// icp-cli targets the project's local network unless told otherwise; a URL network needs a root key.
function icpNetworkFlags(network: Network): string {
  return network.kind === 'ic' ? '-n ic' : `-n ${network.url} --root-key fetch`
}

export function reportFinalState(report: Report, outcomes: RollbackOutcome[]): void {
  report.table(
    'Canisters after the rollback',
    ['Canister', 'Status', 'Module', 'Guard snapshot', 'Rolled back'],
    outcomes.map(o => [
      o.canister.label,
      o.status ?? 'unknown',
      `<code>${o.moduleHash ?? 'none'}</code>`,
      `<code>${o.canister.snapshotId}</code>`,
      o.restored ? 'yes' : `**no**: ${o.problem}`
    ])
  )
}
