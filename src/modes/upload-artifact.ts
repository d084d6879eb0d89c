// upload-artifact: a snapshot directory (an artifact of this or another run, or a local path) verified,
// uploaded to a canister as a new snapshot, and, with `restore`, loaded into it.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import * as core from '@actions/core'
import type { ResolvedCanister } from '../canister-ids.js'
import { Outputs } from '../constants.js'
import { fetchArtifact, type StoredArtifact } from '../github/artifact.js'
import { checkArtifactsSupported } from '../github/ghes.js'
import { ActionError } from '../ic/errors.js'
import { verifySnapshotDir } from '../snapshot-dir/verify.js'
import { formatBytes } from '../summary.js'
import { uploadSnapshot } from '../transfer/upload.js'
import type { ModeContext } from './context.js'
import { shortHash } from './preflight.js'
import { checkOtherRun, checkProvenance, type SnapshotSource } from './provenance.js'
import {
  describeSafetyPlan,
  loadWithSafetySnapshot,
  planSafetySnapshot,
  type SafetyPlan
} from './safety-snapshot.js'
import { canisterLabel, planSnapshots, type SnapshotPlan } from './take-snapshots.js'

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
  const [plan, safety] = await planUploadAndSafety(context, canister).finally(() => core.endGroup())
  if (inputs.dryRun) {
    const plan_ = `upload ${dir} to ${label} as a new snapshot${plan.replace ? ` replacing ${plan.replace.id}` : ''}${safety ? `, then stop, ${describeSafetyPlan(safety)}, load it and start` : ''}`
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
    // Only a local directory resumes, from state kept beside it; an artifact's upload starts anew.
    resume: source.kind === 'path',
    ...(plan.replace ? { replace: plan.replace.id } : {})
  }).finally(() => core.endGroup())
  core.info(`Uploaded as snapshot ${uploaded.snapshotId} of ${canisterId.toText()}`)
  core.setOutput(Outputs.SnapshotId, uploaded.snapshotId)
  core.setOutput(Outputs.SizeBytes, verified.totalBytes.toString())

  let runningHash: string | undefined
  if (transfer.restore) {
    core.startGroup(`Restore of ${label}`)
    await loadWithSafetySnapshot(
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
}

/** The upload's slot and, with `restore`, the safety snapshot's: both decided before the first byte is sent. */
async function planUploadAndSafety(
  context: ModeContext,
  canister: ResolvedCanister
): Promise<[SnapshotPlan, SafetyPlan | undefined]> {
  const [plan] = await planSnapshots(context, [canister])
  if (!context.inputs.transfer.restore) return [plan, undefined]
  const safety = planSafetySnapshot(context, {
    canisterId: plan.canisterId,
    label: plan.label,
    moduleHash: plan.moduleHash,
    snapshots: await context.management.listSnapshots(plan.canisterId),
    upload: { replace: plan.replace }
  })
  return [plan, safety]
}

async function moduleHashOf(path: string | undefined): Promise<string | undefined> {
  if (!path) return undefined
  const hash = createHash('sha256')
  await pipeline(createReadStream(path), hash)
  return hash.digest('hex')
}
