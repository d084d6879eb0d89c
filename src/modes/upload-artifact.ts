// upload-artifact: a snapshot directory (an artifact of this or another run, or a local path) verified,
// uploaded to a canister as a new snapshot, and, with `restore`, loaded into it.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import * as core from '@actions/core'
import type { ResolvedCanister } from '../canister-ids.js'
import { Inputs, Outputs } from '../constants.js'
import { fetchArtifact, type StoredArtifact } from '../github/artifact.js'
import { checkArtifactsSupported } from '../github/ghes.js'
import { ActionError } from '../ic/errors.js'
import { verifySnapshotDir } from '../snapshot-dir/verify.js'
import { formatBytes } from '../summary.js'
import { uploadSnapshot } from '../transfer/upload.js'
import type { ModeContext } from './context.js'
import { checkCycles } from './cycles-preflight.js'
import { shortHash } from './preflight.js'
import type { SnapshotInfo } from '../ic/management.js'
import type { Principal } from '@icp-sdk/core/principal'
import { checkOtherRun, checkProvenance, type SnapshotSource } from './provenance.js'
import {
  describeSafetyPlan,
  loadWithSafetySnapshot,
  planSafetySnapshot,
  type SafetyPlan
} from './safety-snapshot.js'
import { isInsideJobDirs } from '../inputs/transfer.js'
import { preflight } from './preflight.js'
import { checkRestored, describeRestoreChecks } from './restore-check.js'
import { canisterLabel, chooseReplacement } from './take-snapshots.js'

export async function uploadArtifact(context: ModeContext): Promise<void> {
  const { inputs, management, connection, report } = context
  const [canister] = inputs.canisters
  const canisterId = canister.principal
  const label = canisterLabel(canister)
  const { transfer } = inputs

  let dir: string
  let artifact: StoredArtifact | undefined
  let source: SnapshotSource
  if (transfer.path) {
    dir = transfer.path
    source = { kind: 'path', dir }
  } else {
    // Before another run is looked up or anything is read: on GHES no artifact can be fetched.
    checkArtifactsSupported(
      'upload-artifact from an artifact',
      'nothing was changed. On GHES, give `path`: a snapshot directory on the runner'
    )
    const name = transfer.artifactName as string
    // Where another run's code came from is known before a byte of its artifact is read.
    const origin = transfer.fromRun
      ? await checkOtherRun(transfer.fromRun, transfer.allowForkArtifact)
      : undefined
    dir = await mkdtemp(join(process.env.RUNNER_TEMP || process.cwd(), 'canister-snapshot-'))
    artifact = await fetchArtifact(name, dir, transfer.fromRun, transfer.encryptWith)
    source = {
      kind: 'artifact',
      name,
      ...(transfer.fromRun ? { fromRun: transfer.fromRun } : {}),
      ...(origin ? { origin } : {})
    }
  }

  // Nothing reaches the IC before every file is verified and its provenance checked.
  const verified = await verifySnapshotDir(dir, { untrusted: source.kind === 'artifact' })
  core.info(
    `Verified ${dir}: ${verified.checksums === 'sha256sums' ? 'every file matches SHA256SUMS' : 'sizes and chunk hashes match (no SHA256SUMS)'}`
  )
  const provenance = checkProvenance({
    ...(verified.manifest ? { manifest: verified.manifest } : {}),
    source,
    target: canisterId,
    restore: transfer.restore,
    ...(transfer.sourceCanister ? { allowedSource: transfer.sourceCanister } : {})
  })
  core.info(`Provenance: ${provenance.description}`)
  const sourceCanister = provenance.sourceCanister
  const moduleHash = verified.manifest?.module_hash || (await moduleHashOf(verified.wasmModulePath))

  core.startGroup('Preflight')
  const [plan, safety] = await planUploadAndSafety(context, canister, verified.totalBytes).finally(() =>
    core.endGroup()
  )
  if (inputs.dryRun) {
    const plan_ = `upload ${dir} to ${label}${plan.moduleHash ? '' : ' (empty)'} as a new snapshot${plan.replace ? ` replacing ${plan.replace.id}` : ''}${safety ? `, then stop, ${describeSafetyPlan(safety)}, load it and start` : ''}${transfer.restore ? describeRestoreChecks(context) : ''}${transfer.deleteAfterRestore ? ', then delete the uploaded snapshot' : ''}`
    core.info(`[dry run] would ${plan_}`)
    report.table('Plan (dry run, nothing changed)', ['Step'], [[plan_]])
    return
  }

  core.startGroup(`Upload to ${label}`)
  const uploaded = await uploadSnapshot({
    connection,
    canisterId,
    dir,
    concurrency: transfer.concurrency,
    // Only a local directory resumes, from state kept beside it (icp-cli's .upload_progress.json), and only
    // one in the job's own directories: elsewhere the action reads, and writes nothing. An artifact's upload
    // starts anew.
    resume: source.kind === 'path' && isInsideJobDirs(dir),
    ...(plan.replace ? { replace: plan.replace.id } : {})
  }).finally(() => core.endGroup())
  core.info(`Uploaded as snapshot ${uploaded.snapshotId} of ${canisterId.toText()}`)
  core.setOutput(Outputs.SnapshotId, uploaded.snapshotId)
  core.setOutput(Outputs.SizeBytes, verified.totalBytes.toString())

  let runningHash: string | undefined
  let safetySnapshot: SnapshotInfo | undefined
  if (transfer.restore) {
    core.startGroup(`Restore of ${label}`)
    safetySnapshot = await loadWithSafetySnapshot(
      context,
      { canisterId, label },
      safety as SafetyPlan,
      uploaded.snapshotId
    ).finally(() => core.endGroup())
    runningHash = (await management.status(canisterId)).moduleHash
  }
  core.setOutput(Outputs.Restored, String(transfer.restore))
  if (runningHash !== undefined) core.setOutput(Outputs.ModuleHash, runningHash)

  const transferred = sourceCanister && sourceCanister !== canisterId.toText()
  const throughput =
    uploaded.seconds > 0 ? `${(Number(verified.totalBytes) / 1e6 / uploaded.seconds).toFixed(1)} MB/s` : '—'
  report.table(
    'Snapshot uploaded',
    ['', ''],
    [
      ['Target canister', label],
      [
        'Source',
        artifact
          ? `artifact '${transfer.artifactName}' (id ${artifact.id}${transfer.fromRun ? `, run ${transfer.fromRun.runId}` : ''})`
          : `<code>${dir}</code>`
      ],
      ['Provenance', provenance.description],
      [
        'Snapshotted canister',
        sourceCanister
          ? `${sourceCanister}${transferred ? ' (state transferred to another canister)' : ''}`
          : 'unknown (no manifest.json)'
      ],
      [
        'Checksums',
        verified.checksums === 'sha256sums'
          ? `${verified.files.length} files verified against SHA256SUMS`
          : 'sizes and chunk hashes'
      ],
      [
        'New snapshot',
        `<code>${uploaded.snapshotId}</code>${plan.replace ? ` (replaced <code>${plan.replace.id}</code>)` : ''}`
      ],
      ['Uploaded', `${formatBytes(verified.totalBytes)} in ${uploaded.seconds.toFixed(1)} s, ${throughput}`],
      [
        'Restored',
        transfer.restore
          ? `yes; running module <code>${runningHash ? shortHash(runningHash) : 'none'}</code>`
          : 'no'
      ]
    ]
  )
  if (transferred)
    core.info(
      `State transfer: the snapshot was taken from ${sourceCanister} and now belongs to ${canisterId.toText()}`
    )
  if (transfer.restore && moduleHash && runningHash !== moduleHash) {
    throw new ActionError(
      `After loading ${uploaded.snapshotId}, ${canisterId.toText()} runs module ${runningHash ?? 'none'}, not the snapshot's ${moduleHash}.`
    )
  }
  if (transfer.restore) {
    await checkRestored(context, {
      canisterId,
      label,
      snapshotId: uploaded.snapshotId,
      ...(plan.moduleHash ? { moduleHashBefore: plan.moduleHash } : {}),
      ...(safetySnapshot ? { safety: safetySnapshot } : {})
    })
  }
  if (transfer.deleteAfterRestore) {
    await deleteUploaded(context, canisterId, uploaded.snapshotId)
    report.note(
      `'${Inputs.DeleteAfterRestore}': the uploaded snapshot <code>${uploaded.snapshotId}</code> was deleted once ${label} ran its state.`
    )
  }
}

interface UploadPlan {
  canisterId: Principal
  label: string
  /** The module the target runs now; undefined: it is empty (a migration's new canister). */
  moduleHash?: string
  replace?: SnapshotInfo
}

/** The upload's slot and, with `restore`, the safety snapshot's: both decided before the first byte is sent. */
async function planUploadAndSafety(
  context: ModeContext,
  canister: ResolvedCanister,
  uploadBytes: bigint
): Promise<[UploadPlan, SafetyPlan | undefined]> {
  const { inputs, management } = context
  // Unlike a take, an upload needs no code in the target: state moved into an empty canister is how a
  // canister is migrated (interface spec, upload_canister_snapshot_metadata and load_canister_snapshot).
  const checked = await preflight(management, canister.principal, inputs.identity.principal, { code: false })
  const plan: UploadPlan = {
    canisterId: canister.principal,
    label: canisterLabel(canister),
    ...(checked.facts.moduleHash ? { moduleHash: checked.facts.moduleHash } : {}),
    replace: chooseReplacement(context, canister.principal, checked.snapshots)
  }
  const safety = inputs.transfer.restore
    ? planSafetySnapshot(context, {
        canisterId: plan.canisterId,
        label: plan.label,
        ...(plan.moduleHash ? { moduleHash: plan.moduleHash } : {}),
        snapshots: checked.snapshots,
        upload: { replace: plan.replace }
      })
    : undefined
  // The upload, and with `restore` the safety snapshot and the load, all paid before the first byte goes.
  const safetyTaken = safety?.take === true
  await checkCycles(management, [
    {
      canisterId: plan.canisterId,
      label: plan.label,
      work: {
        takes: safetyTaken ? 1 : 0,
        loads: safety ? 1 : 0,
        freedBytes: (plan.replace?.sizeBytes ?? 0n) + (safetyTaken ? (safety.replace?.sizeBytes ?? 0n) : 0n),
        upload: uploadBytes
      }
    }
  ])
  return [plan, safety]
}

/**
 * `delete-after-restore`: the uploaded snapshot goes once the canister runs its state (migration refuses a
 * canister that holds snapshots). Only after the load succeeded and the module was checked, so nothing the
 * canister does not already hold is lost; the safety snapshot, if one was taken, stays as the way back.
 */
async function deleteUploaded(
  context: ModeContext,
  canisterId: Principal,
  snapshotId: string
): Promise<void> {
  await context.management.deleteSnapshot(canisterId, snapshotId)
  const left = await context.management.listSnapshots(canisterId)
  core.info(
    `Deleted the uploaded snapshot ${snapshotId} now that ${canisterId.toText()} runs its state; ${left.length === 0 ? 'the canister holds no snapshots' : `${left.length} snapshot(s) remain: ${left.map(s => s.id).join(', ')}`}`
  )
}

async function moduleHashOf(path: string | undefined): Promise<string | undefined> {
  if (!path) return undefined
  const hash = createHash('sha256')
  await pipeline(createReadStream(path), hash)
  return hash.digest('hex')
}
