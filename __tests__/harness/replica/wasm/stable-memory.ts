export const WASM_PAGE_SIZE = 65536

/** 4 GiB, as much as the 32-bit API addresses and a single Uint8Array (a snapshot's blob) can hold. */
export const MAX_STABLE_PAGES = 65536

// Storage comes in 1 MiB segments allocated on first write: growing never copies what exists, and memory
// grown but never written costs nothing (fresh memory is slow to touch: ~2-5 s per GiB on small VMs).
const SEGMENT_SIZE = 16 * WASM_PAGE_SIZE
const ZERO_SEGMENT = new Uint8Array(SEGMENT_SIZE)

/**
 * A canister's stable memory. Bytes beyond `byteLength` are always zero, which makes growing free.
 *
 * Messages run inside a transaction that journals each 64 KiB page before its first write. Rolling back a
 * trapped message then costs only the pages it touched, whatever the memory's size.
 */
export class StableMemory {
  private readonly segments: (Uint8Array | undefined)[] = []
  private size: number
  /** Every byte at or after this offset is zero; pages there need no copy in the journal. */
  private writtenEnd = 0
  private transaction?: { size: number; writtenEnd: number; pages: Map<number, Uint8Array | null> }

  /** Copies `initial`, skipping its all-zero segments. */
  constructor(initial: Uint8Array = new Uint8Array(0)) {
    if (initial.length % WASM_PAGE_SIZE !== 0)
      throw new RangeError(`stable memory size ${initial.length} is not a multiple of ${WASM_PAGE_SIZE}`)
    if (initial.length > MAX_STABLE_PAGES * WASM_PAGE_SIZE)
      throw new RangeError(`stable memory size ${initial.length} exceeds ${MAX_STABLE_PAGES} pages`)
    this.size = initial.length
    for (let start = 0; start < initial.length; start += SEGMENT_SIZE) {
      const part = initial.subarray(start, start + SEGMENT_SIZE)
      if (Buffer.compare(part, ZERO_SEGMENT.subarray(0, part.length)) === 0) continue
      this.segment(start / SEGMENT_SIZE).set(part)
      this.writtenEnd = start + part.length
    }
  }

  get byteLength(): number {
    return this.size
  }

  get pages(): number {
    return this.size / WASM_PAGE_SIZE
  }

  /** Returns the previous size in pages, or -1 when the memory cannot grow that far. */
  grow(pages: number): number {
    const previous = this.pages
    if (pages < 0 || previous + pages > MAX_STABLE_PAGES) return -1
    this.size += pages * WASM_PAGE_SIZE
    return previous
  }

  inBounds(offset: number, length: number): boolean {
    return offset >= 0 && length >= 0 && offset + length <= this.size
  }

  /** Copies [offset, offset + target.length) into target. */
  read(offset: number, target: Uint8Array): void {
    if (!this.inBounds(offset, target.length)) throw new RangeError('stable memory out of bounds')
    this.forEachPart(offset, target.length, (segment, start, end, at) => {
      if (segment) target.set(segment.subarray(start, end), at)
      else target.fill(0, at, at + end - start)
    })
  }

  write(offset: number, data: Uint8Array): void {
    if (!this.inBounds(offset, data.length)) throw new RangeError('stable memory out of bounds')
    if (data.length === 0) return
    this.journal(offset, data.length)
    this.forEachPart(offset, data.length, (_, start, end, at, index) =>
      this.segment(index).set(data.subarray(at, at + end - start), start)
    )
    this.writtenEnd = Math.max(this.writtenEnd, offset + data.length)
  }

  /** A copy of the contents. */
  copy(): Uint8Array {
    const out = new Uint8Array(this.size)
    this.read(0, out)
    return out
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
      const segment = this.segments[Math.floor(start / SEGMENT_SIZE)]
      const within = start % SEGMENT_SIZE
      if (saved) segment!.set(saved, within)
      else segment?.fill(0, within, within + WASM_PAGE_SIZE)
    }
    this.size = tx.size
    this.writtenEnd = tx.writtenEnd
    this.transaction = undefined
  }

  private segment(index: number): Uint8Array {
    return (this.segments[index] ??= new Uint8Array(SEGMENT_SIZE))
  }

  /** Calls `part` for each segment piece of [offset, offset + length), with `at` the offset into the range. */
  private forEachPart(
    offset: number,
    length: number,
    part: (segment: Uint8Array | undefined, start: number, end: number, at: number, index: number) => void
  ): void {
    for (let at = 0; at < length;) {
      const index = Math.floor((offset + at) / SEGMENT_SIZE)
      const start = (offset + at) % SEGMENT_SIZE
      const end = Math.min(SEGMENT_SIZE, start + length - at)
      part(this.segments[index], start, end, at, index)
      at += end - start
    }
  }

  private journal(offset: number, length: number): void {
    const tx = this.transaction
    if (!tx) return
    const last = Math.floor((offset + length - 1) / WASM_PAGE_SIZE)
    for (let page = Math.floor(offset / WASM_PAGE_SIZE); page <= last; page++) {
      if (tx.pages.has(page)) continue
      const start = page * WASM_PAGE_SIZE
      const segment = this.segments[Math.floor(start / SEGMENT_SIZE)]
      // A page still zero when the message began only needs zeroing on rollback.
      const zero = start >= tx.writtenEnd || !segment
      const within = start % SEGMENT_SIZE
      tx.pages.set(page, zero ? null : segment.slice(within, within + WASM_PAGE_SIZE))
    }
  }
}
