// guard-upgrade: snapshot every canister of the group, then either run the deploy and its checks here (and
// roll back when any fails), or leave the guard in force for the job's later steps and the post step.
import * as core from '@actions/core'
import { Inputs, Outputs } from '../constants.js'
import { describeChecks, type GuardInputs } from '../guard/checks.js'
import { buildGates, exitDescription, runGates, type FailedCheck } from '../guard/gates.js'
import { clearGuard, saveGuard, type GuardedCanister } from '../guard/guard-state.js'
import { reportFinalState, rollBack, rollbackSentence } from '../guard/rollback.js'
import { runCommand } from '../guard/shell.js'
import { shortened, Timeline } from '../guard/timeline.js'
import { ActionError, describe } from '../ic/errors.js'
import { formatBytes } from '../summary.js'
import type { ModeContext } from './context.js'
import { shortHash } from './preflight.js'
import { planSnapshots, takePlanned, type SnapshotPlan } from './take-snapshots.js'

export async function guardUpgrade(context: ModeContext): Promise<void> {
  const { inputs, report } = context
  const { guard } = inputs
  core.startGroup('Preflight')
  const plans = await planSnapshots(context, inputs.canisters).finally(() => core.endGroup())
  if (inputs.dryRun) return reportPlan(context, plans)

  const timeline = new Timeline(report)
  const guarded = await takeGuardSnapshots(context, plans, timeline)
  core.setOutput(Outputs.RolledBack, 'false')
  core.setOutput(Outputs.FailedCheck, '')
  if (!guard.deploy) return leaveGuardToThePostStep(context, guarded, timeline)
  saveGuard({ scope: 'deploy', canisters: guarded })
  const failed = await deployAndCheck(context, guard, guarded, timeline)
  if (!failed) return keepDeploy(context, guarded, timeline)
  await rollBackDeploy(context, guarded, failed, timeline)
}

async function takeGuardSnapshots(
  context: ModeContext,
  plans: SnapshotPlan[],
  timeline: Timeline
): Promise<GuardedCanister[]> {
  const startedAt = Date.now()
  const taken = await takePlanned(context, plans)
  for (const { plan, snapshot } of taken) {
    const replaced = plan.replace ? `, replacing ${plan.replace.id}` : ''
    timeline.add(
      `Snapshot of ${plan.label}`,
      'done',
      `${snapshot.id} (${formatBytes(snapshot.sizeBytes)})${replaced}; module ${shortHash(plan.moduleHash)}`,
      startedAt
    )
  }
  const guarded = taken.map(({ plan, snapshot }) => ({
    id: plan.canisterId.toText(),
    label: plan.label,
    snapshotId: snapshot.id,
    moduleHash: plan.moduleHash
  }))
  core.setOutput(
    Outputs.SnapshotIds,
    JSON.stringify(Object.fromEntries(guarded.map(g => [g.id, g.snapshotId])))
  )
  core.setOutput(Outputs.SnapshotId, guarded[0].snapshotId)
  core.setOutput(Outputs.ModuleHashBefore, perCanister(guarded.map(g => [g.id, g.moduleHash])))
  return guarded
}

function leaveGuardToThePostStep(context: ModeContext, guarded: GuardedCanister[], timeline: Timeline): void {
  saveGuard({ scope: 'job', canisters: guarded })
  const detail =
    'if a later step of the job fails or the job is cancelled, the post step restores these snapshots'
  timeline.add('Guard in force for the rest of the job', 'done', detail)
  context.report.table(
    'Guarded canisters',
    ['Canister', 'Guard snapshot', 'Module before the deploy'],
    guarded.map(g => [g.label, `<code>${g.snapshotId}</code>`, `<code>${g.moduleHash}</code>`])
  )
}

async function deployAndCheck(
  context: ModeContext,
  guard: GuardInputs,
  guarded: GuardedCanister[],
  timeline: Timeline
): Promise<FailedCheck | undefined> {
  const deploy = guard.deploy as string
  const label = `Deploy: ${shortened(deploy)}`
  const startedAt = Date.now()
  core.startGroup(`Deploy: ${deploy}`)
  let exit: string | undefined
  try {
    const { exitCode, signal } = await runCommand(deploy, {
      onCancelled: signal =>
        core.warning(
          `Cancelled (${signal}) during the deploy; the deploy command was stopped, and the post step rolls back ${guarded.map(g => g.label).join(', ')}.`
        )
    })
    if (exitCode !== 0) exit = exitDescription(exitCode, signal)
  } catch (error) {
    exit = `could not be started: ${describe(error)}`
  } finally {
    core.endGroup()
  }
  await reportModulesAfterDeploy(context, guarded)
  if (exit) {
    timeline.add(label, 'failed', exit, startedAt)
    return { check: 'deploy', label, detail: exit }
  }
  timeline.add(label, 'done', 'exited with 0', startedAt)
  const targets = context.inputs.canisters.map((c, i) => ({
    canisterId: c.principal,
    label: guarded[i].label
  }))
  return runGates(buildGates(guard, targets, context), guard, timeline)
}

async function reportModulesAfterDeploy(context: ModeContext, guarded: GuardedCanister[]): Promise<void> {
  const after: Array<[string, string]> = []
  for (const [i, g] of guarded.entries()) {
    try {
      const { moduleHash } = await context.management.status(context.inputs.canisters[i].principal)
      after.push([g.id, moduleHash ?? ''])
      core.info(`${g.label} runs ${moduleHash ?? 'no module'} after the deploy (before: ${g.moduleHash})`)
    } catch (error) {
      core.warning(`Could not read the module of ${g.label} after the deploy: ${describe(error)}`)
    }
  }
  core.setOutput(Outputs.ModuleHashAfter, perCanister(after))
}

async function keepDeploy(
  context: ModeContext,
  guarded: GuardedCanister[],
  timeline: Timeline
): Promise<void> {
  const { management, inputs, report } = context
  // From here a failure of a later step must not undo a deploy that passed its checks.
  clearGuard()
  const kept = new Map<string, string>()
  for (const [i, g] of guarded.entries()) {
    if (inputs.guard.keepSnapshot) {
      kept.set(g.id, 'kept')
      continue
    }
    try {
      await management.deleteSnapshot(inputs.canisters[i].principal, g.snapshotId)
      kept.set(g.id, `deleted (${Inputs.KeepSnapshot}: false)`)
      timeline.add(`Delete guard snapshot of ${g.label}`, 'done', g.snapshotId)
    } catch (error) {
      kept.set(g.id, `kept: could not delete it (${describe(error)})`)
      core.warning(
        `The deploy passed, but the guard snapshot ${g.snapshotId} of ${g.label} could not be deleted: ${describe(error)}`
      )
    }
  }
  const rows: string[][] = []
  for (const [i, g] of guarded.entries()) {
    const { status, moduleHash } = await management.status(inputs.canisters[i].principal)
    rows.push([
      g.label,
      status,
      `<code>${g.moduleHash}</code>`,
      `<code>${moduleHash ?? 'none'}</code>`,
      `<code>${g.snapshotId}</code> ${kept.get(g.id)}`
    ])
  }
  report.table(
    'Canisters after the deploy',
    ['Canister', 'Status', 'Module before', 'Module now', 'Guard snapshot'],
    rows
  )
  core.info(`The deploy passed every check; ${guarded.map(g => g.label).join(', ')} keep the new module.`)
}

async function rollBackDeploy(
  context: ModeContext,
  guarded: GuardedCanister[],
  failed: FailedCheck,
  timeline: Timeline
): Promise<void> {
  const { management, inputs, report } = context
  core.setOutput(Outputs.FailedCheck, failed.check)
  const outcomes = await rollBack(management, guarded, {
    stopTimeoutSeconds: inputs.stopTimeoutSeconds,
    timeline
  })
  const left = outcomes.filter(o => !o.restored).map(o => o.canister)
  // What could not be rolled back here, the post step tries again.
  if (left.length > 0) saveGuard({ scope: 'deploy', canisters: left })
  else clearGuard()
  core.setOutput(Outputs.RolledBack, left.length === 0 ? 'true' : 'false')
  reportFinalState(report, outcomes)
  throw new ActionError(`${failedSentence(failed)} ${rollbackSentence(outcomes, inputs.network)}`)
}

function failedSentence(failed: FailedCheck): string {
  if (failed.check === 'deploy') return `The deploy command ${failed.detail}.`
  return `The deploy failed the ${failed.check} check (${failed.label}): ${failed.detail}.`
}

function reportPlan(context: ModeContext, plans: SnapshotPlan[]): void {
  const { guard } = context.inputs
  const gates = describeChecks(guard)
  for (const plan of plans) {
    core.info(
      `[dry run] would snapshot ${plan.label}${plan.replace ? ` replacing ${plan.replace.id}` : ''}, module ${shortHash(plan.moduleHash)}`
    )
  }
  core.info(
    guard.deploy
      ? `[dry run] would run \`${guard.deploy}\`, then check: ${gates.join(', ') || 'the deploy exit code only'}`
      : '[dry run] would leave the guard in force for the rest of the job'
  )
  context.report.table(
    'Plan (dry run, nothing changed)',
    ['Canister', 'Replaces', 'Deploy', 'Checks'],
    plans.map(p => [
      p.label,
      p.replace?.id ?? '—',
      guard.deploy ? `\`${guard.deploy}\`` : 'later steps',
      gates.join(', ') || '—'
    ])
  )
}

/** One canister: the plain value; a group: a JSON object from principal to value. */
function perCanister(entries: Array<[string, string]>): string {
  if (entries.length === 0) return ''
  return entries.length === 1 ? entries[0][1] : JSON.stringify(Object.fromEntries(entries))
}
