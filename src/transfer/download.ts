// Download of a snapshot into an icp-cli snapshot directory: metadata.json, then the memories' slices with a
// bounded number in flight across all three, then the chunk store; resumable from icp-cli's progress file;
// finished with SHA256SUMS and manifest.json.
import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { mkdir, open, readdir, readFile, rm, stat, writeFile, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import * as core from '@actions/core'
import type { Principal } from '@icp-sdk/core/principal'
import type { IcConnection } from '../ic/connect.js'
import { describe } from '../ic/errors.js'
import { SnapshotData } from '../ic/snapshot-data.js'
import { writeChecksums, type SnapshotFile } from '../snapshot-dir/checksums.js'
import { sha256File, writeFileAtomic } from '../snapshot-dir/files.js'
import {
  BLOB_KINDS,
  blobFile,
  blobFileWritten,
  blobSize,
  CHUNK_STORE_DIR,
  chunkFile,
  DOWNLOAD_PROGRESS_FILE,
  MANIFEST_FILE,
  METADATA_FILE,
  SHA256SUMS_FILE,
  TRANSFER_STATE_FILES,
  type BlobKind
} from '../snapshot-dir/layout.js'
import {
  encodeMetadataJson,
  metadataFromResponse,
  parseMetadataJson,
  type SnapshotMetadata
} from '../snapshot-dir/metadata.js'
import { SnapshotDirError, verifySnapshotDir } from '../snapshot-dir/verify.js'
import { DEFAULT_CONCURRENCY } from './defaults.js'
import { step, TransferError } from './errors.js'
import { runAdaptive } from './congestion.js'
import { congestionFor, timed } from './flow.js'
import {
  encodeDownloadProgress,
  loadDownloadProgress,
  newDownloadProgress,
  removeProgress,
  saveDownloadProgress,
  type BlobSizes,
  type DownloadProgress
} from './progress-files.js'
import { formatMB, progressLogger, type ProgressListener } from './progress-log.js'
import { ProgressSaver } from './progress-saver.js'
import { SliceProgress, slicesOf, type Slice } from './slices.js'

export interface DownloadOptions {
  connection: IcConnection
  canisterId: Principal
  /** Lowercase hex, as icp-cli prints it. */
  snapshotId: string
  dir: string
  /** The most slices in flight (default DEFAULT_CONCURRENCY); the level under it adapts (congestion.ts). */
  concurrency?: number
  /** Continue a download found in `dir` (ours or icp-cli's); without it `dir` must be empty. */
  resume?: boolean
  /** Called after each slice; by default a line is logged every few seconds. */
  onProgress?: ProgressListener
}

export interface DownloadResult {
  /** Bytes read from the IC by this run: less than the snapshot's size when it resumed. */
  bytes: number
  seconds: number
  /** The snapshot's files with their sha256, as SHA256SUMS lists them (without manifest.json). */
  files: SnapshotFile[]
  metadata: SnapshotMetadata
  /** Whether `dir` held part (or all) of this download already. */
  resumed: boolean
  /** The most slices that were in flight, and how many at the end (none if nothing was read). */
  inFlight?: { peak: number; last: number }
}

type Job = Slice | { kind: 'wasm_chunk'; hash: Uint8Array }

export async function downloadSnapshot(options: DownloadOptions): Promise<DownloadResult> {
  const { connection, canisterId, snapshotId, dir } = options
  const started = performance.now()
  const seconds = () => (performance.now() - started) / 1000
  const data = new SnapshotData(connection, canisterId, snapshotId)
  const metadata = metadataFromResponse(await data.readMetadata())
  // Encoding first: a snapshot that metadata.json cannot describe fails before anything is written.
  const metadataJson = encodeMetadataJson(metadata)
  const snapshot = { canister: canisterId.toText(), snapshotId, metadata }

  const resumed = await prepareDir(dir, metadataJson, options.resume ?? false, snapshot)
  const sizes = Object.fromEntries(
    BLOB_KINDS.map(kind => [kind, Number(blobSize(metadata, kind))])
  ) as BlobSizes
  const saved = resumed ? await loadDownloadProgress(dir, sizes) : undefined

  if (resumed && !saved) {
    const complete = await alreadyComplete(dir)
    if (complete) return { bytes: 0, seconds: seconds(), files: complete, metadata, resumed }
  }
  // Rewritten at the end; until then a stale pair must not vouch for a half-written directory.
  await rm(join(dir, SHA256SUMS_FILE), { force: true })
  await rm(join(dir, MANIFEST_FILE), { force: true })

  const progress = saved ?? newDownloadProgress(sizes)
  const handles = await openBlobFiles(dir, metadata, progress)
  const saver = new ProgressSaver(async () => {
    // Only slices whose bytes are on disk may be recorded as done: take the state, flush the files, then save.
    const state = encodeDownloadProgress(progress)
    await Promise.all(Object.values(handles).map(handle => handle?.datasync()))
    await saveDownloadProgress(dir, state)
  })
  const totalBytes = BLOB_KINDS.reduce((sum, kind) => sum + sizes[kind], 0)
  const onProgress = options.onProgress ?? progressLogger()
  let transferred = 0

  const jobs: Job[] = [
    ...BLOB_KINDS.flatMap(kind => [...slicesOf(kind, sizes[kind], offset => progress[kind].needs(offset))]),
    ...metadata.wasmChunkStore.map(hash => ({ kind: 'wasm_chunk' as const, hash }))
  ]
  const congestion = congestionFor(data, options.concurrency ?? DEFAULT_CONCURRENCY)
  try {
    await runAdaptive(jobs, congestion, async job => {
      if (job.kind === 'wasm_chunk') {
        const hex = Buffer.from(job.hash).toString('hex')
        transferred += await step(`reading Wasm chunk ${hex}`, () => downloadChunk(data, dir, job.hash))
        return
      }
      const bytes = await step(`reading ${job.kind} at ${job.offset}`, () =>
        timed(congestion, `read ${job.kind} at ${job.offset}`, () =>
          data.readSlice(job.kind, job.offset, job.size)
        )
      )
      await step(`writing ${blobFile(job.kind)} at ${job.offset}`, () =>
        writeAll(handles[job.kind] as FileHandle, bytes, job.offset)
      )
      progress[job.kind].complete(job.offset)
      transferred += bytes.length
      saver.request()
      onProgress({
        direction: 'download',
        doneBytes: BLOB_KINDS.reduce((sum, kind) => sum + progress[kind].doneBytes, 0),
        totalBytes,
        transferredBytes: transferred,
        elapsedSeconds: seconds()
      })
    })
  } catch (error) {
    await saver.flush().catch(() => undefined)
    await closeAll(handles)
    const done = BLOB_KINDS.reduce((sum, kind) => sum + progress[kind].doneBytes, 0)
    throw new TransferError(
      `Download of snapshot ${snapshotId} of ${canisterId.toText()} stopped: ${describe(error)}. ` +
        `${formatMB(done)} of ${formatMB(totalBytes)} are kept in ${dir} with ${DOWNLOAD_PROGRESS_FILE}; ` +
        `a download of snapshot ${snapshotId} into the same path fetches only the rest.`
    )
  }
  core.info(`Slices in flight: ${congestion.summary()}`)
  await saver.flush()
  await closeAll(handles)

  // Checksums before the progress file goes: if this run dies in between, a resume finds nothing left to fetch.
  const { files } = await writeChecksums(dir, snapshot)
  await removeProgress(dir, DOWNLOAD_PROGRESS_FILE)
  return {
    bytes: transferred,
    seconds: seconds(),
    files,
    metadata,
    resumed,
    inFlight: { peak: congestion.peak, last: congestion.level }
  }
}

/**
 * Creates `dir` (and wasm_chunk_store/) or checks what is in it; returns whether a download is resumed.
 * icp-cli refuses a directory with metadata.json or a memory file unless resuming (snapshot download.rs).
 */
async function prepareDir(
  dir: string,
  metadataJson: string,
  resume: boolean,
  snapshot: { canister: string; snapshotId: string }
): Promise<boolean> {
  await mkdir(join(dir, CHUNK_STORE_DIR), { recursive: true })
  const entries = (await readdir(dir)).filter(name => !TRANSFER_STATE_FILES.includes(name))
  const chunkStoreEmpty = (await readdir(join(dir, CHUNK_STORE_DIR))).length === 0
  const occupied = entries.filter(name => !(name === CHUNK_STORE_DIR && chunkStoreEmpty))
  if (occupied.length === 0) {
    await removeProgress(dir, DOWNLOAD_PROGRESS_FILE)
    await writeFileAtomic(join(dir, METADATA_FILE), metadataJson)
    return false
  }
  if (!resume)
    throw new TransferError(
      `Directory ${dir} is not empty. Use resume to continue a previous download or choose an empty directory.`
    )
  const existing = await readFile(join(dir, METADATA_FILE), 'utf8').catch(() => undefined)
  if (existing === undefined)
    throw new TransferError(
      `Cannot resume: no existing download found in ${dir} (it holds ${occupied[0]} but no ${METADATA_FILE}); choose an empty directory.`
    )
  // Compared by content, not bytes: dfx or another icp-cli version may format the same metadata differently.
  let same: boolean
  try {
    same = encodeMetadataJson(parseMetadataJson(existing)) === metadataJson
  } catch {
    same = false
  }
  if (!same)
    throw new TransferError(
      `Cannot resume: ${join(dir, METADATA_FILE)} is not the metadata of snapshot ${snapshot.snapshotId} of ` +
        `${snapshot.canister}; choose an empty directory for this snapshot.`
    )
  if (existing !== metadataJson) await writeFileAtomic(join(dir, METADATA_FILE), metadataJson)
  return true
}

/**
 * The files of a finished download, which wrote SHA256SUMS last, if they still match it. Otherwise (no
 * SHA256SUMS, as after icp-cli, or a file that changed since) everything is fetched again, as icp-cli does.
 */
async function alreadyComplete(dir: string): Promise<SnapshotFile[] | undefined> {
  const finished = await stat(join(dir, SHA256SUMS_FILE)).then(
    () => true,
    () => false
  )
  if (!finished) return undefined
  try {
    const verified = await verifySnapshotDir(dir)
    return verified.files.filter((file): file is SnapshotFile => file.sha256 !== undefined)
  } catch (error) {
    if (!(error instanceof SnapshotDirError)) throw error
    core.info(`${describe(error)}; downloading the snapshot again`)
    return undefined
  }
}

/**
 * Opens each memory file for positional writes, sized to the memory (icp-cli pre-allocates with set_len too),
 * and writes an empty stable_memory.bin as icp-cli does.
 */
async function openBlobFiles(
  dir: string,
  metadata: SnapshotMetadata,
  progress: DownloadProgress
): Promise<Partial<Record<BlobKind, FileHandle>>> {
  const handles: Partial<Record<BlobKind, FileHandle>> = {}
  for (const kind of BLOB_KINDS) {
    const path = join(dir, blobFile(kind))
    const size = Number(blobSize(metadata, kind))
    if (size === 0) {
      if (blobFileWritten(kind, 0n)) await writeFile(path, '')
      else await rm(path, { force: true })
      continue
    }
    // Not 'a' mode: appends would ignore the position.
    const handle = await open(path, constants.O_RDWR | constants.O_CREAT, 0o644)
    // A file of another length was not pre-sized by this download (nor by icp-cli's): its progress is void.
    if ((await handle.stat()).size !== size) {
      progress[kind] = new SliceProgress(size)
      await handle.truncate(size)
    }
    handles[kind] = handle
  }
  return handles
}

async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let written = 0; written < bytes.length;) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, position + written)
    written += bytesWritten
  }
}

async function closeAll(handles: Partial<Record<BlobKind, FileHandle>>): Promise<void> {
  await Promise.all(Object.values(handles).map(handle => handle?.close().catch(() => undefined)))
}

/** Fetches one chunk unless its file is there with the right hash; returns the bytes read from the IC. */
async function downloadChunk(data: SnapshotData, dir: string, hash: Uint8Array): Promise<number> {
  const hex = Buffer.from(hash).toString('hex')
  const path = join(dir, chunkFile(hash))
  const onDisk = await sha256File(path).catch(() => undefined)
  if (onDisk?.sha256 === hex) return 0
  const bytes = await data.readChunk(hash)
  const actual = createHash('sha256').update(bytes).digest('hex')
  if (actual !== hex)
    throw new TransferError(`the IC returned a Wasm chunk with sha256 ${actual} for chunk ${hex}`)
  await writeFile(path, bytes)
  return bytes.length
}
