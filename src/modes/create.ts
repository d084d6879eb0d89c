// create: stop, take a snapshot, start again if it was running. Every canister is checked before any stops.
import * as core from '@actions/core'
import { Inputs, Outputs } from '../constants.js'
import { formatBytes, isoTime } from '../summary.js'
import type { ModeContext } from './context.js'
import { shortHash } from './preflight.js'
import { planSnapshots, takePlanned } from './take-snapshots.js'

export async function create(context: ModeContext): Promise<void> {
  const { inputs, report } = context
  core.startGroup('Preflight')
  const plans = await planSnapshots(context, inputs.canisters).finally(() => core.endGroup())

  if (inputs.dryRun) {
    for (const plan of plans) {
      core.info(
        `[dry run] would stop ${plan.label}, take a snapshot${plan.replace ? ` replacing ${plan.replace.id}` : ''}${inputs.uninstallCode ? ' and uninstall its code in the same call' : ''}, and start it again if it was running`
      )
    }
    report.table(
      'Plan (dry run, nothing changed)',
      ['Canister', 'Replaces'],
      plans.map(p => [p.label, p.replace?.id ?? '—'])
    )
    return
  }

  const taken = await takePlanned(context, plans)
  const [first] = taken
  core.setOutput(Outputs.SnapshotId, first.snapshot.id)
  core.setOutput(Outputs.TakenAt, isoTime(first.snapshot.takenAtNs))
  core.setOutput(Outputs.SizeBytes, first.snapshot.sizeBytes.toString())
  core.setOutput(Outputs.ModuleHash, first.plan.moduleHash)
  core.setOutput(
    Outputs.SnapshotIds,
    JSON.stringify(Object.fromEntries(taken.map(t => [t.plan.canisterId.toText(), t.snapshot.id])))
  )
  report.table(
    'Snapshots taken',
    ['Canister', 'Snapshot id', 'Taken at', 'Size', 'Module', 'Replaced', 'Running after'],
    taken.map(({ plan, snapshot, restarted }) => [
      plan.label,
      `<code>${snapshot.id}</code>`,
      isoTime(snapshot.takenAtNs),
      formatBytes(snapshot.sizeBytes),
      `<code>${shortHash(plan.moduleHash)}</code>`,
      plan.replace ? `<code>${plan.replace.id}</code>` : '—',
      `${restarted ? 'yes' : 'no (it was not running before)'}${inputs.uninstallCode ? ', empty: code uninstalled' : ''}`
    ])
  )
  if (inputs.uninstallCode) {
    report.note(
      `'${Inputs.UninstallCode}': the code and memory of ${taken.length === 1 ? 'the canister are' : 'each canister are'} gone; the snapshot is the only copy of the state. Load it with <code>mode: restore</code> to bring the canister back.`
    )
  }
}
