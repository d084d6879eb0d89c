// What the guard did, in order, for the step log and the job summary.
import * as core from '@actions/core'
import type { Report } from '../summary.js'
import { inert } from '../untrusted-text.js'

export type StepResult = 'done' | 'passed' | 'failed' | 'skipped'

const MARK: Record<StepResult, string> = { done: '✅', passed: '✅', failed: '❌', skipped: '⏭️' }

export class Timeline {
  /** Rows of the summary table, filled in as the steps happen. */
  private readonly rows: string[][] = []

  /** Puts the timeline in the report at this point; the steps recorded later appear in it too. */
  constructor(report: Report) {
    report.table('Timeline', ['Time (UTC)', 'Step', 'Result', 'Detail', 'Took'], this.rows)
  }

  /** Records a step that took `startedAt` until now. */
  add(step: string, result: StepResult, detail: string, startedAt?: number): void {
    const seconds = startedAt === undefined ? undefined : (Date.now() - startedAt) / 1000
    this.rows.push([
      new Date().toISOString().slice(11, 19),
      step,
      `${MARK[result]} ${result}`,
      detail,
      seconds === undefined ? '—' : `${seconds.toFixed(1)} s`
    ])
    // A failure is also the step's error annotation; a warning here would say it twice. The detail can be a
    // health reply or a reject message: text from the canister.
    core.info(`${MARK[result]} ${step}: ${result}${detail ? ` (${inert(detail)})` : ''}`)
  }
}

/** A command as a timeline step names it: long ones are cut, the log shows them whole. */
export function shortened(text: string, length = 60): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text
}
