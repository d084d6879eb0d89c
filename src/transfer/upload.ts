// Upload of a snapshot directory as a new snapshot of a canister: verified first (nothing is sent otherwise),
// then the metadata, then the memories' slices with a bounded number in flight, read from disk as they go,
// then the chunk store; resumable from icp-cli's .upload_progress.json.
import { open, readFile, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import * as core from '@actions/core'
import type { Principal } from '@icp-sdk/core/principal'
import type { IcConnection } from '../ic/connect.js'
import { describe, IcRejectError } from '../ic/errors.js'
import { snapshotLimitFromReject } from '../ic/snapshot-limit.js'
import { SnapshotData, uploadSnapshotMetadata } from '../ic/snapshot-data.js'
import { isSnapshotIdOf } from '../ic/snapshot-id.js'
import { MAX_SNAPSHOTS_PER_CANISTER } from '../constants.js'
import { withRetry } from '../ic/retry.js'
import { snapshotIdFromHex, snapshotIdToHex } from '../ic/snapshot-id.js'
import {
  BLOB_KINDS,
  blobFile,
  blobSize,
  chunkFile,
  METADATA_FILE,
  type BlobKind
} from '../snapshot-dir/layout.js'
import { metadataFromResponse, toUploadParam, type SnapshotMetadata } from '../snapshot-dir/metadata.js'
import { verifySnapshotDir } from '../snapshot-dir/verify.js'
import { DEFAULT_CONCURRENCY } from './defaults.js'
import { step, TransferError, TransferStepError } from './errors.js'
import { runAdaptive } from './congestion.js'
import { congestionFor, timed } from './flow.js'
import {
  loadUploadProgress,
  removeUploadProgress,
  saveUploadProgress,
  uploadProgressFileFor,
  type BlobSizes,
  type UploadProgress
} from './progress-files.js'
import { formatMB, progressLogger, type ProgressListener } from './progress-log.js'
import { ProgressSaver } from './progress-saver.js'
import { SliceProgress, slicesOf, type Slice } from './slices.js'
import { clearUnfinishedUpload, recordUnfinishedUpload } from './unfinished-upload.js'

export interface UploadOptions {
  connection: IcConnection
  canisterId: Principal
  dir: string
  /** The most slices in flight (default DEFAULT_CONCURRENCY); the level under it adapts (congestion.ts). */
  concurrency?: number
  /**
   * Hex id of a snapshot of the canister that the new one replaces: deleted once the new one is complete, or,
   * when the canister has no room for another, replaced by the IC as the upload starts.
   */
  replace?: string
  /**
   * A local directory: keep the upload's progress beside it (uploadProgressFileFor), and continue the upload
   * recorded there, if it still checks out. Never for a directory from an artifact: its upload starts anew,
   * and a failed one deletes the snapshot it began.
   */
  resume?: boolean
  onProgress?: ProgressListener
}

export interface UploadResult {
  snapshotId: string
  /** Bytes sent by this run. */
  bytes: number
  seconds: number
  /** Whether an earlier upload was continued (then `replace` was not used). */
  resumed: boolean
  /** The most slices that were in flight, and how many at the end. */
  inFlight?: { peak: number; last: number }
}

type Job = Slice | { kind: 'wasm_chunk'; hash: string }

export async function uploadSnapshot(options: UploadOptions): Promise<UploadResult> {
  const { connection, canisterId, dir } = options
  const started = performance.now()
  const seconds = () => (performance.now() - started) / 1000
  const verified = await verifySnapshotDir(dir)
  const { metadata } = verified
  const sizes = Object.fromEntries(
    BLOB_KINDS.map(kind => [kind, Number(blobSize(metadata, kind))])
  ) as BlobSizes

  const progressFile = options.resume ? uploadProgressFileFor(dir) : undefined
  let progress = progressFile
    ? await resumable(connection, progressFile, metadata, sizes, canisterId)
    : undefined
  const resumed = progress !== undefined
  // The old snapshot goes only once the new one is complete, unless there is no room for the new one.
  let replaceAfter: string | undefined
  if (!progress) {
    const atLimit =
      options.replace !== undefined &&
      (await listSnapshotIds(connection, canisterId)).length >= MAX_SNAPSHOTS_PER_CANISTER
    if (options.replace && atLimit)
      core.info(
        `${canisterId.toText()} has ${MAX_SNAPSHOTS_PER_CANISTER} snapshots, no room for another: the IC replaces ${options.replace} as the upload starts`
      )
    else replaceAfter = options.replace
    const param = toUploadParam(metadata)
    const snapshotId = await uploadSnapshotMetadata(
      connection,
      canisterId,
      param,
      atLimit ? options.replace : undefined
    ).catch(async (error: unknown) => {
      // At a limit lower than the documented one the IC's reject names it (snapshot-limit.ts).
      const limit = snapshotLimitFromReject(error)
      if (limit === undefined || !options.replace || atLimit) throw error
      core.info(
        `The IC allows ${limit} snapshots per canister (its reject says so), no room for another: the IC replaces ${options.replace} as the upload starts`
      )
      replaceAfter = undefined
      return uploadSnapshotMetadata(connection, canisterId, param, options.replace)
    })
    progress = {
      snapshotId,
      metadataUploaded: true,
      offsets: { wasm_module: 0, wasm_memory: 0, stable_memory: 0 },
      chunksUploaded: new Set()
    }
    // Saved at once: a rerun must continue this snapshot, not create another; or, when nothing can resume
    // it, the post step of a killed step deletes it.
    if (progressFile) await saveUploadProgress(progressFile, progress)
    else recordUnfinishedUpload({ canisterId: canisterId.toText(), snapshotId })
  } else {
    core.info(`Resuming the upload to snapshot ${progress.snapshotId} recorded in ${progressFile}`)
  }
  const state: UploadProgress = progress
  const data = new SnapshotData(connection, canisterId, state.snapshotId)

  // Slices finish out of order; the file records the contiguous prefix, as icp-cli's does.
  const prefixes = Object.fromEntries(
    BLOB_KINDS.map(kind => [kind, new SliceProgress(sizes[kind], state.offsets[kind])])
  ) as Record<BlobKind, SliceProgress>
  const saver = new ProgressSaver(async () => {
    if (progressFile) await saveUploadProgress(progressFile, state)
  })
  const handles: Partial<Record<BlobKind, FileHandle>> = {}
  for (const kind of BLOB_KINDS) {
    if (sizes[kind] > state.offsets[kind]) handles[kind] = await open(join(dir, blobFile(kind)), 'r')
  }
  const totalBytes = BLOB_KINDS.reduce((sum, kind) => sum + sizes[kind], 0)
  const doneBytes = () => BLOB_KINDS.reduce((sum, kind) => sum + prefixes[kind].doneBytes, 0)
  const onProgress = options.onProgress ?? progressLogger()
  let transferred = 0

  const jobs: Job[] = [
    ...BLOB_KINDS.flatMap(kind => [...slicesOf(kind, sizes[kind], () => true, state.offsets[kind])]),
    ...metadata.wasmChunkStore
      .map(hash => Buffer.from(hash).toString('hex'))
      .filter(hex => !state.chunksUploaded.has(hex))
      .map(hash => ({ kind: 'wasm_chunk' as const, hash }))
  ]
  const congestion = congestionFor(data, options.concurrency ?? DEFAULT_CONCURRENCY)
  try {
    await runAdaptive(jobs, congestion, async job => {
      if (job.kind === 'wasm_chunk') {
        const bytes = await readFile(join(dir, chunkFile(job.hash)))
        await step(`sending Wasm chunk ${job.hash}`, () => data.uploadChunk(bytes))
        state.chunksUploaded.add(job.hash)
        transferred += bytes.length
        saver.request()
        return
      }
      const bytes = await step(`reading ${blobFile(job.kind)} at ${job.offset}`, () =>
        readAt(handles[job.kind] as FileHandle, job.offset, job.size)
      )
      await step(`sending ${job.kind} at ${job.offset}`, () =>
        timed(congestion, `upload ${job.kind} at ${job.offset}`, async () => {
          await data.uploadSlice(job.kind, job.offset, bytes)
          return bytes.length
        })
      )
      prefixes[job.kind].complete(job.offset)
      state.offsets[job.kind] = prefixes[job.kind].frontier
      transferred += bytes.length
      saver.request()
      onProgress({
        direction: 'upload',
        doneBytes: doneBytes(),
        totalBytes,
        transferredBytes: transferred,
        elapsedSeconds: seconds()
      })
    })
  } catch (error) {
    await saver.flush().catch(() => undefined)
    await closeAll(handles)
    const stopped = `Upload to snapshot ${state.snapshotId} of ${canisterId.toText()} stopped: ${describe(error)}.`
    if (!progressFile) {
      // Nothing can resume it: the half-uploaded snapshot would only take a slot, and look like a snapshot.
      const removed = await deleteSnapshotQuietly(connection, canisterId, state.snapshotId)
      if (removed) clearUnfinishedUpload()
      throw new TransferError(
        `${stopped} ${removed ? `The half-uploaded snapshot ${state.snapshotId} was deleted` : `Delete the half-uploaded snapshot ${state.snapshotId} with mode 'delete'`}${replaceAfter ? `; ${replaceAfter} is kept` : ''}.`
      )
    }
    const stale =
      resumed && error instanceof TransferStepError && error.cause instanceof IcRejectError
        ? ` If snapshot ${state.snapshotId} is gone, delete ${progressFile} to start a new upload.`
        : ''
    throw new TransferError(
      `${stopped} ${formatMB(doneBytes())} of ${formatMB(totalBytes)} are recorded in ${progressFile}; ` +
        `an upload of the same directory sends only the rest.${replaceAfter ? ` ${replaceAfter} is kept.` : ''}${stale}`
    )
  }
  core.info(`Slices in flight: ${congestion.summary()}`)
  await saver.flush()
  await closeAll(handles)
  if (progressFile) await removeUploadProgress(progressFile)
  else clearUnfinishedUpload()
  if (replaceAfter) {
    await withRetry(`delete_canister_snapshot ${replaceAfter} of ${canisterId.toText()}`, () =>
      connection.management.deleteCanisterSnapshot({
        canisterId,
        snapshotId: snapshotIdFromHex(replaceAfter as string)
      })
    )
    core.info(`Deleted ${replaceAfter}, which the new snapshot ${state.snapshotId} replaces`)
  }
  return {
    snapshotId: state.snapshotId,
    bytes: transferred,
    seconds: seconds(),
    resumed,
    inFlight: { peak: congestion.peak, last: congestion.level }
  }
}

async function listSnapshotIds(connection: IcConnection, canisterId: Principal): Promise<string[]> {
  const list = await withRetry(`list_canister_snapshots of ${canisterId.toText()}`, () =>
    connection.management.listCanisterSnapshots({ canisterId })
  )
  return list.map(s => snapshotIdToHex(new Uint8Array(s.id)))
}

async function deleteSnapshotQuietly(
  connection: IcConnection,
  canisterId: Principal,
  id: string
): Promise<boolean> {
  try {
    await withRetry(`delete_canister_snapshot ${id} of ${canisterId.toText()}`, () =>
      connection.management.deleteCanisterSnapshot({ canisterId, snapshotId: snapshotIdFromHex(id) })
    )
    return true
  } catch {
    return false
  }
}

/**
 * The recorded upload, if it still checks out: metadata sent, a snapshot of this canister that still exists,
 * one that was uploaded (not taken: loading a taken one would bring back some older state), and with the
 * very metadata of this directory. Otherwise a new upload starts, and the log says why.
 */
async function resumable(
  connection: IcConnection,
  file: string,
  metadata: SnapshotMetadata,
  sizes: BlobSizes,
  canisterId: Principal
): Promise<UploadProgress | undefined> {
  const progress = await loadUploadProgress(file, sizes)
  if (!progress || !progress.metadataUploaded) return undefined
  const fresh = (why: string): undefined => {
    core.info(
      `${file} records an upload to snapshot ${progress.snapshotId}, which ${why}; starting a new upload`
    )
    return undefined
  }
  if (!isSnapshotIdOf(progress.snapshotId, canisterId.toUint8Array())) return fresh('is of another canister')
  if (!(await listSnapshotIds(connection, canisterId)).includes(progress.snapshotId))
    return fresh(`${canisterId.toText()} no longer has`)
  const there = metadataFromResponse(
    await new SnapshotData(connection, canisterId, progress.snapshotId).readMetadata()
  )
  if (there.source !== 'metadata_upload') return fresh('was taken from the canister, not uploaded')
  if (!sameUpload(toUploadParam(there), toUploadParam(metadata)))
    return fresh(`has other metadata than this directory's ${METADATA_FILE}`)
  return progress
}

/** Whether two upload parameters are equal field by field (bigints and byte arrays included). */
function sameUpload(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown) =>
    JSON.stringify(value, (_, v: unknown) =>
      typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v
    )
  return canonical(a) === canonical(b)
}

/** Reads `size` bytes at `position`: only one slice per worker is in memory at a time. */
async function readAt(handle: FileHandle, position: number, size: number): Promise<Uint8Array> {
  const buffer = Buffer.allocUnsafe(size)
  for (let filled = 0; filled < size;) {
    const { bytesRead } = await handle.read(buffer, filled, size - filled, position + filled)
    if (bytesRead === 0)
      throw new TransferError(`the file ended at byte ${position + filled} while reading a slice`)
    filled += bytesRead
  }
  return buffer
}

async function closeAll(handles: Partial<Record<BlobKind, FileHandle>>): Promise<void> {
  await Promise.all(Object.values(handles).map(handle => handle?.close().catch(() => undefined)))
}
