// download-artifact: a snapshot (taken now, the newest, or a given one) to disk, verified, and kept as a
// workflow artifact; with `cache`, a later download of the same snapshot is served from the cache.
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import * as core from '@actions/core'
import { Outputs } from '../constants.js'
import { keepAsArtifact } from '../github/artifact.js'
import { checkArtifactsSupported } from '../github/ghes.js'
import { restoreSnapshotDir, saveSnapshotDir, snapshotCacheKey } from '../github/cache.js'
import { ActionError } from '../ic/errors.js'
import type { SnapshotInfo } from '../ic/management.js'
import type { ExistingSnapshotRef } from '../inputs/index.js'
import { formatBytes, isoTime } from '../summary.js'
import { downloadSnapshot } from '../transfer/download.js'
import { checkArtifactName } from '../inputs/transfer.js'
import { verifySnapshotDir } from '../snapshot-dir/verify.js'
import type { ModeContext } from './context.js'
import { inert } from '../untrusted-text.js'
import { checkCacheHit } from './cache-hit.js'
import { findSnapshot } from './find-snapshot.js'
import { checkCycles, takeWork } from './cycles-preflight.js'
import { preflight } from './preflight.js'
import { canisterLabel, planSnapshots, takePlanned } from './take-snapshots.js'

export async function downloadArtifact(context: ModeContext): Promise<void> {
  const { inputs, connection, report } = context
  const [canister] = inputs.canisters
  const canisterId = canister.principal
  const label = canisterLabel(canister)

  let snapshot: SnapshotInfo
  // Before anything else: on GHES nothing could be kept, so nothing is stopped or read.
  checkArtifactsSupported(
    'download-artifact',
    'nothing was changed. On GHES, download the snapshot with `icp canister snapshot download` in a run step'
  )
  core.startGroup('Preflight')
  if (inputs.snapshot?.kind === 'new') {
    const plans = await planSnapshots(context, [canister], plan => ({
      ...takeWork(plan.replace?.sizeBytes),
      download: 'taken'
    })).finally(() => core.endGroup())
    if (inputs.dryRun)
      return dryRun(context, `take a new snapshot of ${label}, download it and keep it as an artifact`)
    ;[{ snapshot }] = await takePlanned(context, plans)
  } else {
    snapshot = await existingSnapshot(context).finally(() => core.endGroup())
  }

  const id = canisterId.toText()
  const dir =
    inputs.transfer.path ??
    join(process.env.RUNNER_TEMP || process.cwd(), 'canister-snapshots', `${id}-${snapshot.id}`)
  const artifactName = checkArtifactName(inputs.transfer.artifactName ?? `snapshot-${id}-${snapshot.id}`)
  if (inputs.dryRun)
    return dryRun(
      context,
      `download snapshot ${snapshot.id} of ${label} to ${dir} and keep it as '${artifactName}'`
    )

  const cacheKey = snapshotCacheKey(id, snapshot.id)
  let source: 'cache' | 'IC' = 'IC'
  let seconds = 0
  if (inputs.transfer.cache && (await restoreSnapshotDir(dir, cacheKey))) {
    core.info(`Restored ${dir} from the cache (key ${cacheKey}); checking it against the IC`)
    const hit = await checkCacheHit(connection, context.management, canisterId, snapshot.id, dir)
    if (hit.trusted) source = 'cache'
    else {
      core.warning(
        `The cache entry ${cacheKey} is not snapshot ${snapshot.id} as the IC has it (${inert(hit.problem)}); downloading from the IC instead`
      )
      await rm(dir, { recursive: true, force: true })
    }
  }
  if (source === 'IC') {
    core.startGroup(`Download of snapshot ${snapshot.id}`)
    try {
      const result = await downloadSnapshot({
        connection,
        canisterId,
        snapshotId: snapshot.id,
        dir,
        concurrency: inputs.transfer.concurrency,
        resume: true
      })
      seconds = result.seconds
    } finally {
      core.endGroup()
    }
  }
  const verified = await verifySnapshotDir(dir)
  if (source === 'cache' && verified.checksums !== 'sha256sums') {
    throw new ActionError(
      `The cached snapshot in ${dir} has no SHA256SUMS to verify it against; delete the cache entry ${cacheKey}.`
    )
  }
  core.info(
    `Verified ${dir}: ${verified.checksums === 'sha256sums' ? 'every file matches SHA256SUMS' : 'sizes and chunk hashes match'}`
  )

  const artifact = await keepAsArtifact(artifactName, dir, {
    retentionDays: inputs.transfer.retentionDays,
    compressionLevel: inputs.transfer.compressionLevel,
    encryptWith: inputs.transfer.encryptWith
  })
  core.info(
    `Stored artifact '${artifactName}' (id ${artifact.id}, ${formatBytes(BigInt(artifact.size))}, ${artifact.digest ?? 'no digest'})`
  )
  const cached = inputs.transfer.cache && source === 'IC' ? await saveSnapshotDir(dir, cacheKey) : false

  core.setOutput(Outputs.ArtifactId, String(artifact.id))
  core.setOutput(Outputs.ArtifactDigest, artifact.digest ?? '')
  core.setOutput(Outputs.Path, dir)
  core.setOutput(Outputs.SnapshotId, snapshot.id)
  core.setOutput(Outputs.TakenAt, isoTime(snapshot.takenAtNs))
  core.setOutput(Outputs.SizeBytes, verified.totalBytes.toString())
  const throughput = seconds > 0 ? `${(Number(verified.totalBytes) / 1e6 / seconds).toFixed(1)} MB/s` : '—'
  report.table(
    'Snapshot kept as an artifact',
    ['', ''],
    [
      ['Canister', label],
      ['Snapshot', `<code>${snapshot.id}</code> (taken ${isoTime(snapshot.takenAtNs)})`],
      [
        'Read from',
        source === 'cache'
          ? `the cache (key <code>${cacheKey}</code>), checked against the IC's metadata and module; no memory read from the IC`
          : `the IC in ${seconds.toFixed(1)} s, ${throughput}`
      ],
      ['Size on disk', formatBytes(verified.totalBytes)],
      [
        'Checksums',
        verified.checksums === 'sha256sums'
          ? `${verified.files.length} files verified against SHA256SUMS`
          : 'sizes and chunk hashes'
      ],
      ['Artifact', `'${artifactName}', id ${artifact.id}, ${formatBytes(BigInt(artifact.size))}`],
      ['Digest', `<code>${artifact.digest ?? '—'}</code>`],
      [
        'Cache',
        inputs.transfer.cache
          ? source === 'cache'
            ? 'hit'
            : cached
              ? `saved as <code>${cacheKey}</code>`
              : 'not saved'
          : 'off'
      ],
      ['Path', `<code>${dir}</code>`]
    ]
  )
}

async function existingSnapshot(context: ModeContext): Promise<SnapshotInfo> {
  const { inputs, management } = context
  const canisterId = inputs.canisters[0].principal
  const { snapshots } = await preflight(management, canisterId, inputs.identity.principal, { code: false })
  const snapshot = await findSnapshot(
    management,
    canisterId,
    snapshots,
    inputs.snapshot as ExistingSnapshotRef
  )
  // Each read is charged to the canister it names (`read_snapshot_data`), here the one whose snapshot it is.
  await checkCycles(management, [
    {
      canisterId,
      label: canisterLabel(inputs.canisters[0]),
      work: { takes: 0, loads: 0, freedBytes: 0n, download: snapshot.sizeBytes }
    }
  ])
  return snapshot
}

function dryRun(context: ModeContext, plan: string): void {
  core.info(`[dry run] would ${plan}`)
  context.report.table('Plan (dry run, nothing changed)', ['Step'], [[plan]])
}
