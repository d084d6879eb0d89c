// Upload of a snapshot directory as a new snapshot of a canister: verified first (nothing is sent otherwise),
// then the metadata, then the memories' slices with a bounded number in flight, read from disk as they go,
// then the chunk store; resumable from icp-cli's .upload_progress.json.
import { open, readFile, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import * as core from '@actions/core'
import type { Principal } from '@dfinity/principal'
import type { IcConnection } from '../ic/connect.js'
import { describe, IcRejectError } from '../ic/errors.js'
import { SnapshotData, uploadSnapshotMetadata } from '../ic/snapshot-data.js'
import { isSnapshotIdOf } from '../ic/snapshot-id.js'
import {
  BLOB_KINDS,
  blobFile,
  blobSize,
  chunkFile,
  UPLOAD_PROGRESS_FILE,
  type BlobKind
} from '../snapshot-dir/layout.js'
import { toUploadParam } from '../snapshot-dir/metadata.js'
import { verifySnapshotDir } from '../snapshot-dir/verify.js'
import { DEFAULT_CONCURRENCY } from './defaults.js'
import { step, TransferError, TransferStepError } from './errors.js'
import { runBounded } from './pool.js'
import {
  loadUploadProgress,
  removeProgress,
  saveUploadProgress,
  type BlobSizes,
  type UploadProgress
} from './progress-files.js'
import { formatMB, progressLogger, type ProgressListener } from './progress-log.js'
import { ProgressSaver } from './progress-saver.js'
import { SliceProgress, slicesOf, type Slice } from './slices.js'

export interface UploadOptions {
  connection: IcConnection
  canisterId: Principal
  dir: string
  /** Slices in flight at once (default DEFAULT_CONCURRENCY). */
  concurrency?: number
  /** Hex id of a snapshot of the canister that the new one replaces (deleted as soon as the new one exists). */
  replace?: string
  /** Continue the upload recorded in `dir`'s .upload_progress.json, if there is one for this canister. */
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

  let progress = options.resume ? await resumable(dir, sizes, canisterId) : undefined
  const resumed = progress !== undefined
  if (!progress) {
    const snapshotId = await uploadSnapshotMetadata(
      connection,
      canisterId,
      toUploadParam(metadata),
      options.replace
    )
    progress = {
      snapshotId,
      metadataUploaded: true,
      offsets: { wasm_module: 0, wasm_memory: 0, stable_memory: 0 },
      chunksUploaded: new Set()
    }
    // Saved at once: a rerun must continue this snapshot, not create another.
    await saveUploadProgress(dir, progress)
  } else {
    core.info(`Resuming the upload to snapshot ${progress.snapshotId} recorded in ${UPLOAD_PROGRESS_FILE}`)
  }
  const state: UploadProgress = progress
  const data = new SnapshotData(connection, canisterId, state.snapshotId)

  // Slices finish out of order; the file records the contiguous prefix, as icp-cli's does.
  const prefixes = Object.fromEntries(
    BLOB_KINDS.map(kind => [kind, new SliceProgress(sizes[kind], state.offsets[kind])])
  ) as Record<BlobKind, SliceProgress>
  const saver = new ProgressSaver(() => saveUploadProgress(dir, state))
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
  try {
    await runBounded(jobs, options.concurrency ?? DEFAULT_CONCURRENCY, async job => {
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
      await step(`sending ${job.kind} at ${job.offset}`, () => data.uploadSlice(job.kind, job.offset, bytes))
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
    const stale =
      resumed && error instanceof TransferStepError && error.cause instanceof IcRejectError
        ? ` If snapshot ${state.snapshotId} is gone, delete ${UPLOAD_PROGRESS_FILE} to start a new upload.`
        : ''
    throw new TransferError(
      `Upload to snapshot ${state.snapshotId} of ${canisterId.toText()} stopped: ${describe(error)}. ` +
        `${formatMB(doneBytes())} of ${formatMB(totalBytes)} are recorded in ${join(dir, UPLOAD_PROGRESS_FILE)}; ` +
        `upload the same directory with resume to send only the rest.${stale}`
    )
  }
  await saver.flush()
  await closeAll(handles)
  await removeProgress(dir, UPLOAD_PROGRESS_FILE)
  return { snapshotId: state.snapshotId, bytes: transferred, seconds: seconds(), resumed }
}

/** The recorded upload, if it is one to this canister whose metadata went up (icp-cli never records less). */
async function resumable(
  dir: string,
  sizes: BlobSizes,
  canisterId: Principal
): Promise<UploadProgress | undefined> {
  const progress = await loadUploadProgress(dir, sizes)
  if (!progress || !progress.metadataUploaded) return undefined
  if (!isSnapshotIdOf(progress.snapshotId, canisterId.toUint8Array())) {
    core.info(
      `${UPLOAD_PROGRESS_FILE} records an upload to snapshot ${progress.snapshotId} of another canister; starting a new upload`
    )
    return undefined
  }
  return progress
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
