import { SparseMemory, WASM_PAGE_SIZE } from './sparse-memory.js'

export { WASM_PAGE_SIZE }

/**
 * `MAX_STABLE_MEMORY_IN_BYTES` of dfinity/ic (rs/types/types): 500 GiB, as pages. Only the 64-bit System API
 * reaches past 4 GiB; the storage is sparse, so a canister pays in host memory only for what it writes.
 */
export const MAX_STABLE_PAGES = (500 * 1024 * 1024 * 1024) / WASM_PAGE_SIZE
/** What the 32-bit System API addresses: 4 GiB. */
export const MAX_STABLE_PAGES_32 = 65536

/**
 * A canister's stable memory. Bytes beyond `byteLength` are always zero, which makes growing free.
 *
 * Messages run inside a transaction that journals each 64 KiB page before its first write. Rolling back a
 * trapped message then costs only the pages it touched, whatever the memory's size.
 */
export class StableMemory extends SparseMemory {
  private transaction?: { size: number; writtenEnd: number; pages: Map<number, Uint8Array | null> }

  /** A copy of `initial`, which the memory never changes. */
  constructor(initial: SparseMemory | Uint8Array = new SparseMemory()) {
    super(0)
    if (initial instanceof Uint8Array) initial = SparseMemory.of(initial)
    if (initial.pages > MAX_STABLE_PAGES)
      throw new RangeError(`stable memory size ${initial.byteLength} exceeds ${MAX_STABLE_PAGES} pages`)
    this.size = initial.byteLength
    for (const [index, bytes] of initial.entries()) this.putSegment(index, bytes)
  }

  /** Returns the previous size in pages, or -1 when the memory cannot grow that far. */
  grow(pages: number): number {
    const previous = this.pages
    if (pages < 0 || previous + pages > MAX_STABLE_PAGES) return -1
    this.size += pages * WASM_PAGE_SIZE
    return previous
  }

  begin(): void {
    this.transaction = { size: this.size, writtenEnd: this.writtenEnd, pages: new Map() }
  }

  commit(): void {
    this.transaction = undefined
  }

  rollback(): void {
    const tx = this.transaction
    if (!tx) return
    for (const [page, saved] of tx.pages) {
      const start = page * WASM_PAGE_SIZE
      const segment = this.segmentAt(start)
      const within = start % this.segmentSize
      if (saved) segment!.set(saved, within)
      else segment?.fill(0, within, within + WASM_PAGE_SIZE)
    }
    this.size = tx.size
    this.writtenEnd = tx.writtenEnd
    this.transaction = undefined
  }

  protected override beforeWrite(offset: number, length: number): void {
    const tx = this.transaction
    if (!tx) return
    const last = Math.floor((offset + length - 1) / WASM_PAGE_SIZE)
    for (let page = Math.floor(offset / WASM_PAGE_SIZE); page <= last; page++) {
      if (tx.pages.has(page)) continue
      const start = page * WASM_PAGE_SIZE
      const segment = this.segmentAt(start)
      // A page still zero when the message began only needs zeroing on rollback.
      const zero = start >= tx.writtenEnd || !segment
      const within = start % this.segmentSize
      tx.pages.set(page, zero ? null : segment.slice(within, within + WASM_PAGE_SIZE))
    }
  }
}
