// A canister's Wasm chunk store (interface spec, "IC method upload_chunk"): chunks of at most 1 MiB kept
// under their sha256, up to the replica's 100 MiB store size (rs/config `WASM_CHUNK_STORE_MAX_SIZE`).
import { createHash } from 'node:crypto'
import { toHex } from './ids.js'

export const CHUNK_SIZE = 1024 * 1024
export const CHUNK_STORE_MAX_SIZE = 100 * CHUNK_SIZE

export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest())
}

export class ChunkStore {
  // Keyed by hex hash; values are never mutated, so copies of the store may share them.
  private readonly chunks: Map<string, { hash: Uint8Array; bytes: Uint8Array }>

  constructor(entries: Iterable<[string, { hash: Uint8Array; bytes: Uint8Array }]> = []) {
    this.chunks = new Map(entries)
  }

  get size(): number {
    return this.chunks.size
  }

  /** Bytes of chunk data held. */
  get byteLength(): number {
    let total = 0
    for (const chunk of this.chunks.values()) total += chunk.bytes.length
    return total
  }

  /**
   * Stores a chunk and returns its hash. A chunk already present is accepted again whatever the store's
   * fill (the replica checks presence first); otherwise the error text of `WasmChunkStore::can_insert_chunk`.
   */
  insert(bytes: Uint8Array): { hash: Uint8Array } | { error: string } {
    const hash = sha256(bytes)
    const key = toHex(hash)
    if (this.chunks.has(key)) return { hash }
    if (bytes.length > CHUNK_SIZE)
      return { error: `Wasm chunk size ${bytes.length} exceeds the maximum chunk size of ${CHUNK_SIZE}` }
    if (this.chunks.size * CHUNK_SIZE >= CHUNK_STORE_MAX_SIZE)
      return {
        error:
          `Wasm chunk store has already reached maximum capacity of ${CHUNK_STORE_MAX_SIZE} bytes or the ` +
          `maximum number of entries, ${CHUNK_STORE_MAX_SIZE / CHUNK_SIZE}`
      }
    this.chunks.set(key, { hash, bytes: bytes.slice() })
    return { hash }
  }

  get(hash: Uint8Array): Uint8Array | undefined {
    return this.chunks.get(toHex(hash))?.bytes
  }

  /** Hashes in ascending byte order, as the replica lists its BTreeMap keys. */
  hashes(): Uint8Array[] {
    return [...this.chunks.keys()].sort().map(key => (this.chunks.get(key) as { hash: Uint8Array }).hash)
  }

  clear(): void {
    this.chunks.clear()
  }

  /** An independent store holding the same chunks (chunk bytes are shared, being immutable). */
  clone(): ChunkStore {
    return new ChunkStore(this.chunks)
  }
}
