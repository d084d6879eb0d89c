// The post step's half of guard-upgrade: it runs only when the job failed or was cancelled, and rolls back
// every canister the main step left guarded (all of them after a job-level guard, those not yet rolled
// back after an in-step one).
import * as core from '@actions/core'
import type { Network } from '../ic/connect.js'
import type { Management } from '../ic/management.js'
import { Report } from '../summary.js'
import { clearGuard, type GuardRecord } from './guard-state.js'
import { reportFinalState, rollBack, rollbackSentence } from './rollback.js'
import { Timeline } from './timeline.js'

// The stop timeout is the main step's input, read again: the post step gets the same inputs.
export async function rollBackGuard(
  management: Management,
  guard: GuardRecord,
  options: { stopTimeoutSeconds: number; network: Network }
): Promise<boolean> {
  const report = new Report('Canister snapshot: guard-upgrade rollback')
  const timeline = new Timeline(report)
  const why =
    guard.scope === 'deploy'
      ? 'the step was cancelled or ended during its deploy'
      : 'a later step of the job failed or the job was cancelled'
  timeline.add('Rollback triggered', 'done', why)
  core.info(`Rolling back ${guard.canisters.map(c => c.label).join(', ')}: ${why}.`)
  try {
    const outcomes = await rollBack(management, guard.canisters, {
      stopTimeoutSeconds: options.stopTimeoutSeconds,
      timeline
    })
    reportFinalState(report, outcomes)
    const sentence = rollbackSentence(outcomes, options.network)
    const complete = outcomes.every(o => o.restored)
    if (complete) {
      clearGuard()
      core.notice(`guard-upgrade: ${why}. ${sentence}`)
    } else {
      core.setFailed(`guard-upgrade: ${why}. ${sentence}`)
    }
    report.note(`**Rollback by the post step:** ${why}. ${sentence}`)
    return complete
  } finally {
    await report.write().catch(error => core.warning(`Could not write the job summary: ${String(error)}`))
  }
}
