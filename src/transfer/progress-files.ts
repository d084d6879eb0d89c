// icp-cli's progress files, read and written in its format so that either tool can resume the other's
// transfer (icp-cli snapshot_transfer.rs `DownloadProgress`, `UploadProgress`; serde_json pretty, saved
// atomically). Each is deleted once its transfer has finished.
import { rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { SLICE_SIZE } from '../ic/snapshot-data.js'
import { readTextIfPresent, writeFileAtomic } from '../snapshot-dir/files.js'
import { parseJson, prettyJson, type JsonValue } from '../snapshot-dir/json.js'
import {
  arrayField,
  booleanField,
  join as joinField,
  JsonFieldError,
  objectField,
  safeU64Field,
  stringField
} from '../snapshot-dir/json-fields.js'
import {
  BLOB_KINDS,
  DOWNLOAD_PROGRESS_FILE,
  UPLOAD_PROGRESS_FILE,
  type BlobKind
} from '../snapshot-dir/layout.js'
import { TransferError } from './errors.js'
import { SliceProgress } from './slices.js'

export type BlobSizes = Record<BlobKind, number>
export type DownloadProgress = Record<BlobKind, SliceProgress>

export interface UploadProgress {
  snapshotId: string
  metadataUploaded: boolean
  /** Contiguous prefixes of each memory that the snapshot has received. */
  offsets: Record<BlobKind, number>
  /** Lowercase hex hashes of the chunks uploaded. */
  chunksUploaded: Set<string>
}

// ---- .download_progress.json: {"wasm_module":{"frontier":N,"ahead":[offsets]},"wasm_memory":…,"stable_memory":…}

export function newDownloadProgress(sizes: BlobSizes): DownloadProgress {
  return Object.fromEntries(
    BLOB_KINDS.map(kind => [kind, new SliceProgress(sizes[kind])])
  ) as DownloadProgress
}

export async function loadDownloadProgress(
  dir: string,
  sizes: BlobSizes
): Promise<DownloadProgress | undefined> {
  return load(dir, DOWNLOAD_PROGRESS_FILE, json => {
    const root = objectField(json, '', BLOB_KINDS)
    return Object.fromEntries(
      BLOB_KINDS.map(kind => {
        const blob = objectField(root[kind], kind, ['frontier', 'ahead'])
        const frontier = slicePosition(blob.frontier, joinField(kind, 'frontier'), sizes[kind], true)
        const ahead = arrayField(blob.ahead, joinField(kind, 'ahead')).map((offset, i) =>
          slicePosition(offset, joinField(joinField(kind, 'ahead'), i), sizes[kind], false)
        )
        return [kind, new SliceProgress(sizes[kind], frontier, ahead)]
      })
    ) as DownloadProgress
  })
}

export function encodeDownloadProgress(progress: DownloadProgress): string {
  const json = Object.fromEntries(
    BLOB_KINDS.map(kind => [
      kind,
      { frontier: progress[kind].frontier, ahead: [...progress[kind].ahead].sort((a, b) => a - b) }
    ])
  )
  return prettyJson(json)
}

/** Takes the encoded state, so that a caller can encode it before flushing the data it vouches for. */
export async function saveDownloadProgress(dir: string, encoded: string): Promise<void> {
  await writeFileAtomic(join(dir, DOWNLOAD_PROGRESS_FILE), encoded)
}

/** A slice boundary: a multiple of the slice size below the memory's end (or at it, for a frontier). */
function slicePosition(value: JsonValue, field: string, total: number, frontier: boolean): number {
  const offset = safeU64Field(value, field)
  const atEnd = frontier && offset === total
  if (!atEnd && (offset % SLICE_SIZE !== 0 || offset > total || (!frontier && offset === total)))
    throw new JsonFieldError(
      field,
      `is ${offset}, not the start of a ${SLICE_SIZE}-byte slice of ${total} bytes`
    )
  return offset
}

// ---- .upload_progress.json ----

/**
 * Where a local directory's upload progress is kept: beside it, not in it. Nothing inside a directory that is
 * verified and uploaded may steer the upload, and a directory can come from anywhere (an artifact another step
 * downloaded); the file beside it was written by this action, on this machine. A sibling rather than a place
 * under RUNNER_TEMP, so that it lasts as long as the directory does.
 */
export function uploadProgressFileFor(dir: string): string {
  return `${resolve(dir)}${UPLOAD_PROGRESS_FILE}`
}

export async function loadUploadProgress(
  file: string,
  sizes: BlobSizes
): Promise<UploadProgress | undefined> {
  const keys = [
    'snapshot_id',
    'metadata_uploaded',
    'wasm_module_offset',
    'wasm_memory_offset',
    'stable_memory_offset',
    'wasm_chunks_uploaded'
  ]
  return loadFile(file, json => {
    const root = objectField(json, '', keys)
    const offsets = Object.fromEntries(
      BLOB_KINDS.map(kind => {
        const field = `${kind}_offset`
        const offset = safeU64Field(root[field], field)
        if (offset > sizes[kind])
          throw new JsonFieldError(field, `is ${offset}, beyond the ${sizes[kind]} bytes of ${kind}`)
        return [kind, offset]
      })
    ) as Record<BlobKind, number>
    return {
      snapshotId: stringField(root.snapshot_id, 'snapshot_id', /^([0-9a-f]{2})+$/),
      metadataUploaded: booleanField(root.metadata_uploaded, 'metadata_uploaded'),
      offsets,
      chunksUploaded: new Set(
        arrayField(root.wasm_chunks_uploaded, 'wasm_chunks_uploaded').map((hash, i) =>
          stringField(hash, joinField('wasm_chunks_uploaded', i), /^[0-9a-f]{64}$/)
        )
      )
    }
  })
}

export async function saveUploadProgress(file: string, progress: UploadProgress): Promise<void> {
  const json = {
    snapshot_id: progress.snapshotId,
    metadata_uploaded: progress.metadataUploaded,
    wasm_module_offset: progress.offsets.wasm_module,
    wasm_memory_offset: progress.offsets.wasm_memory,
    stable_memory_offset: progress.offsets.stable_memory,
    wasm_chunks_uploaded: [...progress.chunksUploaded].sort()
  }
  await writeFileAtomic(file, prettyJson(json))
}

// ---- both ----

export async function removeProgress(
  dir: string,
  file: typeof DOWNLOAD_PROGRESS_FILE | typeof UPLOAD_PROGRESS_FILE
) {
  await rm(join(dir, file), { force: true })
  await rm(join(dir, `${file}.tmp`), { force: true })
}

export async function removeUploadProgress(file: string): Promise<void> {
  await rm(file, { force: true })
  await rm(`${file}.tmp`, { force: true })
}

async function load<T>(dir: string, file: string, decode: (json: JsonValue) => T): Promise<T | undefined> {
  return loadFile(join(dir, file), decode)
}

// A progress file lists offsets and chunk hashes: a few KiB at most.
const MAX_PROGRESS_BYTES = 1 << 20

async function loadFile<T>(path: string, decode: (json: JsonValue) => T): Promise<T | undefined> {
  let text: string | undefined
  try {
    text = await readTextIfPresent(path, MAX_PROGRESS_BYTES)
    if (text === undefined) return undefined
    return decode(parseJson(text))
  } catch (error) {
    throw new TransferError(
      `${path} cannot be resumed from: ${(error as Error).message}. Delete it to start the transfer over.`
    )
  }
}
