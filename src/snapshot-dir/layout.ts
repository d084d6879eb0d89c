// The snapshot directory of icp-cli and dfx (icp-cli snapshot_transfer.rs `SnapshotPaths`):
//   metadata.json  wasm_module.bin  wasm_memory.bin  stable_memory.bin  wasm_chunk_store/<hex sha256>.bin
// plus what this action adds, which icp-cli ignores: SHA256SUMS and manifest.json.
import type { SnapshotMetadata } from './metadata.js'

/** The three memories of a snapshot, in the order icp-cli transfers them; also the Candid variant names. */
export type BlobKind = 'wasm_module' | 'wasm_memory' | 'stable_memory'
export const BLOB_KINDS: readonly BlobKind[] = ['wasm_module', 'wasm_memory', 'stable_memory']

export const METADATA_FILE = 'metadata.json'
export const CHUNK_STORE_DIR = 'wasm_chunk_store'
export const SHA256SUMS_FILE = 'SHA256SUMS'
export const MANIFEST_FILE = 'manifest.json'
export const DOWNLOAD_PROGRESS_FILE = '.download_progress.json'
export const UPLOAD_PROGRESS_FILE = '.upload_progress.json'

/**
 * Files a transfer leaves while it runs or after it stops, which belong to no snapshot: icp-cli's lock (left in
 * place), the progress files and their temporary copies.
 */
export const TRANSFER_STATE_FILES: readonly string[] = [
  '.lock',
  DOWNLOAD_PROGRESS_FILE,
  `${DOWNLOAD_PROGRESS_FILE}.tmp`,
  UPLOAD_PROGRESS_FILE,
  `${UPLOAD_PROGRESS_FILE}.tmp`
]

export function blobFile(kind: BlobKind): string {
  return `${kind}.bin`
}

/** Relative path, always with '/', as SHA256SUMS and manifest.json list it. */
export function chunkFile(hash: Uint8Array | string): string {
  const hex = typeof hash === 'string' ? hash : Buffer.from(hash).toString('hex')
  return `${CHUNK_STORE_DIR}/${hex}.bin`
}

export const CHUNK_FILE_NAME = /^[0-9a-f]{64}\.bin$/

export function blobSize(metadata: SnapshotMetadata, kind: BlobKind): bigint {
  return kind === 'wasm_module'
    ? metadata.wasmModuleSize
    : kind === 'wasm_memory'
      ? metadata.wasmMemorySize
      : metadata.stableMemorySize
}

/**
 * icp-cli's download writes wasm_module.bin and wasm_memory.bin only when they have bytes, but always writes
 * stable_memory.bin, even empty (snapshot download.rs). dfx does the opposite for stable memory, so a reader
 * accepts a missing file wherever the size is 0.
 */
export function blobFileWritten(kind: BlobKind, size: bigint): boolean {
  return size > 0n || kind === 'stable_memory'
}

/**
 * The snapshot's own files as a download writes them: metadata.json, the memories (by `blobFileWritten`) and
 * one file per chunk.
 */
export function snapshotFilePaths(metadata: SnapshotMetadata): string[] {
  return [
    METADATA_FILE,
    ...BLOB_KINDS.filter(kind => blobFileWritten(kind, blobSize(metadata, kind))).map(blobFile),
    ...metadata.wasmChunkStore.map(hash => chunkFile(hash))
  ]
}
