// create: stop, take a snapshot, start again if it was running. Every canister is checked before any stops.
import * as core from '@actions/core'
import type { Principal } from '@dfinity/principal'
import { Inputs, MAX_SNAPSHOTS_PER_CANISTER, Outputs } from '../constants.js'
import { InputError } from '../errors.js'
import { ActionError } from '../ic/errors.js'
import { withCanisterStopped } from '../ic/lifecycle.js'
import type { SnapshotInfo } from '../ic/management.js'
import { formatBytes, isoTime } from '../summary.js'
import type { ModeContext } from './context.js'
import { preflight, shortHash } from './preflight.js'

interface Plan {
  canisterId: Principal
  label: string
  moduleHash: string
  replace?: SnapshotInfo
}

export async function create(context: ModeContext): Promise<void> {
  const { inputs, management, report } = context
  const plans: Plan[] = []
  core.startGroup('Preflight')
  try {
    for (const canister of inputs.canisters) {
      const checked = await preflight(management, canister.principal, inputs.identity.principal, {
        code: true
      })
      plans.push({
        canisterId: canister.principal,
        label: canister.name
          ? `${canister.name} (${canister.principal.toText()})`
          : canister.principal.toText(),
        moduleHash: checked.facts.moduleHash as string,
        replace: chooseReplacement(context, canister.principal, checked.snapshots)
      })
    }
  } finally {
    core.endGroup()
  }

  if (inputs.dryRun) {
    for (const plan of plans) {
      core.info(
        `[dry run] would stop ${plan.label}, take a snapshot${plan.replace ? ` replacing ${plan.replace.id}` : ''}, and start it again if it was running`
      )
    }
    report.table(
      'Plan (dry run, nothing changed)',
      ['Canister', 'Replaces'],
      plans.map(p => [p.label, p.replace?.id ?? '—'])
    )
    return
  }

  const taken: Array<{ plan: Plan; snapshot: SnapshotInfo; restarted: boolean }> = []
  for (const plan of plans) {
    core.startGroup(`Snapshot of ${plan.label}`)
    try {
      const { result: snapshot, restarted } = await withCanisterStopped(
        management,
        plan.canisterId,
        { stopTimeoutSeconds: inputs.stopTimeoutSeconds, startAfterwards: 'if-it-was-running' },
        () => management.takeSnapshot(plan.canisterId, plan.replace?.id)
      )
      core.info(
        `Took snapshot ${snapshot.id} (${formatBytes(snapshot.sizeBytes)}) at ${isoTime(snapshot.takenAtNs)}`
      )
      if (plan.replace)
        core.info(`It replaced ${plan.replace.id}, which the IC deleted once the new one existed`)
      taken.push({ plan, snapshot, restarted })
    } finally {
      core.endGroup()
    }
  }

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
      restarted ? 'yes' : 'no (it was not running before)'
    ])
  )
}

function chooseReplacement(
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
