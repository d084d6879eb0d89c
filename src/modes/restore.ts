// restore: stop, take a safety snapshot, load a snapshot, start; then prove the canister runs the snapshot's
// module.
import { createHash } from 'node:crypto'
import * as core from '@actions/core'
import type { Principal } from '@icp-sdk/core/principal'
import { Outputs } from '../constants.js'
import { ActionError } from '../ic/errors.js'
import type { SnapshotInfo } from '../ic/management.js'
import type { ExistingSnapshotRef } from '../inputs/index.js'
import { findSnapshot } from './find-snapshot.js'
import { formatBytes, isoTime } from '../summary.js'
import type { ModeContext } from './context.js'
import { checkCycles } from './cycles-preflight.js'
import { preflight, shortHash } from './preflight.js'
import { checkRestored, describeRestoreChecks } from './restore-check.js'
import {
  describeSafetyPlan,
  loadWithSafetySnapshot,
  planSafetySnapshot,
  type SafetyPlan
} from './safety-snapshot.js'

export async function restore(context: ModeContext): Promise<void> {
  const { inputs, management, report } = context
  const [canister] = inputs.canisters
  const canisterId = canister.principal
  const label = canister.name ? `${canister.name} (${canisterId.toText()})` : canisterId.toText()

  core.startGroup('Preflight')
  let snapshot: SnapshotInfo & { owner: Principal }
  let expectedHash: string
  let hashBefore: string | undefined
  let safety: SafetyPlan
  try {
    const checked = await preflight(management, canisterId, inputs.identity.principal, { code: false })
    hashBefore = checked.facts.moduleHash
    snapshot = await findSnapshot(
      management,
      canisterId,
      checked.snapshots,
      inputs.snapshot as ExistingSnapshotRef
    )
    const module = await management.readSnapshotModule(snapshot.owner, snapshot.id)
    expectedHash = createHash('sha256').update(module).digest('hex')
    core.info(
      `Snapshot ${snapshot.id} was taken at ${isoTime(snapshot.takenAtNs)} and holds module ${shortHash(expectedHash)}`
    )
    safety = planSafetySnapshot(context, {
      canisterId,
      label,
      moduleHash: hashBefore,
      snapshots: checked.snapshots,
      restoring: snapshot.id
    })
    await checkCycles(management, [
      {
        canisterId,
        label,
        work: {
          takes: safety.take ? 1 : 0,
          loads: 1,
          freedBytes: safety.take ? (safety.replace?.sizeBytes ?? 0n) : 0n
        }
      }
    ])
  } finally {
    core.endGroup()
  }

  if (inputs.dryRun) {
    core.info(
      `[dry run] would stop ${label}, ${describeSafetyPlan(safety)}, load snapshot ${snapshot.id}, and start it${describeRestoreChecks(context)}`
    )
    report.table(
      'Plan (dry run, nothing changed)',
      ['Canister', 'Safety snapshot', 'Snapshot', 'Module now', 'Module after'],
      [
        [
          label,
          describeSafetyPlan(safety),
          `<code>${snapshot.id}</code>`,
          hashBefore ? shortHash(hashBefore) : 'none',
          shortHash(expectedHash)
        ]
      ]
    )
    return
  }

  core.startGroup(`Restore of ${label}`)
  let safetySnapshot: SnapshotInfo | undefined
  try {
    safetySnapshot = await loadWithSafetySnapshot(context, { canisterId, label }, safety, snapshot.id)
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
  await checkRestored(context, {
    canisterId,
    label,
    snapshotId: snapshot.id,
    ...(hashBefore ? { moduleHashBefore: hashBefore } : {}),
    ...(safetySnapshot ? { safety: safetySnapshot } : {})
  })
}
