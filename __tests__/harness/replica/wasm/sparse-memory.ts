export const WASM_PAGE_SIZE = 65536

// Storage comes in 1 MiB segments allocated on first write: growing never copies what exists, and memory
// grown but never written costs nothing (fresh memory is slow to touch: ~2-5 s per GiB on small VMs). It is
// also what lets a memory be larger than the 4 GiB that one Uint8Array can hold in Node 20: the IC's stable
// memory goes to 500 GiB and a Wasm64 heap to 6 GiB.
const SEGMENT_SIZE = 16 * WASM_PAGE_SIZE
const ZERO_SEGMENT = new Uint8Array(SEGMENT_SIZE)

/** Bytes of a memory, a multiple of 64 KiB long; bytes never written are zero and take no space. */
export class SparseMemory {
  protected readonly segments: (Uint8Array | undefined)[] = []
  protected size: number
  /** Every byte at or after this offset is zero. */
  protected writtenEnd = 0

  constructor(byteLength = 0) {
    if (!Number.isSafeInteger(byteLength) || byteLength < 0 || byteLength % WASM_PAGE_SIZE !== 0)
      throw new RangeError(`memory size ${byteLength} is not a multiple of ${WASM_PAGE_SIZE}`)
    this.size = byteLength
  }

  /** A copy of `bytes`, without their all-zero segments. */
  static of(bytes: Uint8Array): SparseMemory {
    const memory = new SparseMemory(bytes.length)
    memory.load(bytes)
    return memory
  }

  /** A memory of `byteLength` from the segments `entries` lists (as `entries()` gave them). */
  static fromEntries(byteLength: number, entries: [number, Uint8Array][]): SparseMemory {
    const memory = new SparseMemory(byteLength)
    for (const [index, bytes] of entries) memory.putSegment(index, bytes)
    return memory
  }

  get byteLength(): number {
    return this.size
  }

  get pages(): number {
    return this.size / WASM_PAGE_SIZE
  }

  /** The bytes of the memory that lie in segments written so far: all of it unless it is sparse. */
  get allocatedBytes(): number {
    return this.entries().reduce((sum, [, bytes]) => sum + bytes.length, 0)
  }

  /**
   * The written segments, by index, each cut at the memory's end (views, not copies): a 128 KiB heap is one
   * 128 KiB entry. A segment past the end, which a grow that was rolled back can leave, all zero, is left out.
   */
  entries(): [number, Uint8Array][] {
    const out: [number, Uint8Array][] = []
    this.segments.forEach((segment, index) => {
      const start = index * SEGMENT_SIZE
      if (segment && start < this.size)
        out.push([index, segment.subarray(0, Math.min(SEGMENT_SIZE, this.size - start))])
    })
    return out
  }

  /** Copies `bytes` into segment `index`, at its start (the last segment of a memory may be shorter). */
  protected putSegment(index: number, bytes: Uint8Array): void {
    const start = index * SEGMENT_SIZE
    if (!Number.isSafeInteger(index) || index < 0 || bytes.length > Math.min(SEGMENT_SIZE, this.size - start))
      throw new RangeError(`segment ${index} does not fit a memory of ${this.size} bytes`)
    this.segment(index).set(bytes)
    this.writtenEnd = Math.max(this.writtenEnd, start + bytes.length)
  }

  inBounds(offset: number, length: number): boolean {
    return offset >= 0 && length >= 0 && offset + length <= this.size
  }

  /** Copies [offset, offset + target.length) into target. */
  read(offset: number, target: Uint8Array): void {
    if (!this.inBounds(offset, target.length)) throw new RangeError('memory out of bounds')
    this.forEachPart(offset, target.length, (segment, start, end, at) => {
      if (segment) target.set(segment.subarray(start, end), at)
      else target.fill(0, at, at + end - start)
    })
  }

  /** A copy of [offset, end). */
  slice(offset: number, end: number): Uint8Array {
    const out = new Uint8Array(end - offset)
    this.read(offset, out)
    return out
  }

  write(offset: number, data: Uint8Array): void {
    if (!this.inBounds(offset, data.length)) throw new RangeError('memory out of bounds')
    if (data.length === 0) return
    this.beforeWrite(offset, data.length)
    this.forEachPart(offset, data.length, (_, start, end, at, index) =>
      this.segment(index).set(data.subarray(at, at + end - start), start)
    )
    this.writtenEnd = Math.max(this.writtenEnd, offset + data.length)
  }

  /** A copy that shares nothing with this memory. */
  clone(): SparseMemory {
    return SparseMemory.fromEntries(this.size, this.entries())
  }

  /** The contents in one buffer; only for memories that fit one (4 GiB in Node 20). */
  copy(): Uint8Array {
    return this.slice(0, this.size)
  }

  /** Writes `bytes` from offset 0, skipping their all-zero segments. */
  protected load(bytes: Uint8Array): void {
    for (let start = 0; start < bytes.length; start += SEGMENT_SIZE) {
      const part = bytes.subarray(start, start + SEGMENT_SIZE)
      if (Buffer.compare(part, ZERO_SEGMENT.subarray(0, part.length)) === 0) continue
      this.segment(start / SEGMENT_SIZE).set(part)
      this.writtenEnd = start + part.length
    }
  }

  /** Called before every write, with the range it changes. */
  protected beforeWrite(_offset: number, _length: number): void {}

  protected segment(index: number): Uint8Array {
    return (this.segments[index] ??= new Uint8Array(SEGMENT_SIZE))
  }

  /** Calls `part` for each segment piece of [offset, offset + length), with `at` the offset into the range. */
  protected forEachPart(
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

  protected get segmentSize(): number {
    return SEGMENT_SIZE
  }

  protected segmentAt(offset: number): Uint8Array | undefined {
    return this.segments[Math.floor(offset / SEGMENT_SIZE)]
  }
}
