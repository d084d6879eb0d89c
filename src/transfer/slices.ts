// A memory is moved in slices of SLICE_SIZE bytes at fixed offsets (0, 2,000,000, …), the same cut icp-cli
// makes, so that either tool can resume what the other began.
import { SLICE_SIZE } from '../ic/snapshot-data.js'
import type { BlobKind } from '../snapshot-dir/layout.js'

export interface Slice {
  kind: BlobKind
  offset: number
  size: number
}

/** Bytes of the slice at `offset` of a memory of `total` bytes (icp-cli `chunk_size_at`). */
export function sliceSizeAt(offset: number, total: number): number {
  return Math.max(0, Math.min(SLICE_SIZE, total - offset))
}

/** The slices of a memory from `from` on, for which `wanted` holds. */
export function* slicesOf(
  kind: BlobKind,
  total: number,
  wanted: (offset: number) => boolean = () => true,
  from = 0
): Generator<Slice> {
  for (let offset = from; offset < total; offset += SLICE_SIZE) {
    if (wanted(offset)) yield { kind, offset, size: sliceSizeAt(offset, total) }
  }
}

/**
 * Which slices of one memory are done: everything below `frontier`, plus the offsets in `ahead` (slices that
 * finished out of order). Exactly icp-cli's BlobDownloadProgress, whose JSON form it shares; an upload uses
 * only the frontier, the contiguous prefix icp-cli's upload progress records.
 */
export class SliceProgress {
  readonly ahead = new Set<number>()

  constructor(
    readonly total: number,
    public frontier = 0,
    ahead: Iterable<number> = []
  ) {
    for (const offset of ahead) this.complete(offset)
  }

  needs(offset: number): boolean {
    return offset >= this.frontier && !this.ahead.has(offset)
  }

  complete(offset: number): void {
    if (offset < this.frontier) return
    if (offset > this.frontier) {
      this.ahead.add(offset)
      return
    }
    this.frontier += sliceSizeAt(offset, this.total)
    while (this.ahead.delete(this.frontier)) this.frontier += sliceSizeAt(this.frontier, this.total)
  }

  get doneBytes(): number {
    let bytes = this.frontier
    for (const offset of this.ahead) bytes += sliceSizeAt(offset, this.total)
    return bytes
  }

  get isComplete(): boolean {
    return this.frontier >= this.total
  }
}
