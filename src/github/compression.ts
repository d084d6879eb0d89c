// The zlib level of an artifact's zip when `compression-level` is `auto`: a sample of the files is deflated
// first, and the zip deflates only when that saves a tenth of the bytes. A snapshot's memory is often mostly
// zero pages, which level 1 removes almost for free; but filled memory, compressed data inside the canister
// and an encrypted archive do not compress, and deflating them anyway cost 40 % of a download's CPU time
// (`npm run bench`: 4.2 of 10.4 s for 134 MB) and held the artifact's upload to the compressor's pace.
import { open } from 'node:fs/promises'
import { deflateRawSync } from 'node:zlib'

export const AUTO = 'auto'
export type CompressionLevel = number | typeof AUTO

/** The level `auto` deflates at: zero pages compress at any level, and higher ones cost time on every GB. */
export const COMPRESSING_LEVEL = 1
// Windows spread evenly over each file; 16 of 64 KiB read at most 1 MiB of a file, in a few ms each.
const WINDOW_BYTES = 64 * 1024
const WINDOWS_PER_FILE = 16
/** Below this saving the zip stores the files as they are. */
const WORTHWHILE_SAVING = 0.1

export interface CompressionChoice {
  level: number
  /** Compressed ÷ original bytes, estimated from the sample; undefined when the level was given. */
  sampledRatio?: number
  /** How many bytes were read and deflated to choose. */
  sampledBytes: number
}

/** `level` itself when it is a number; for `auto`, 1 or 0 by how well a sample of `files` deflates. */
export async function chooseCompressionLevel(
  level: CompressionLevel,
  files: readonly string[]
): Promise<CompressionChoice> {
  if (level !== AUTO) return { level, sampledBytes: 0 }
  let original = 0
  let compressed = 0
  let sampledBytes = 0
  for (const file of files) {
    const sample = await sampleOf(file)
    for (const window of sample.windows) {
      sampledBytes += window.length
      // Each window is weighed by the share of the file it stands for, so a small file does not outvote a
      // large one.
      const weight = sample.size / (sample.windows.length * window.length)
      original += window.length * weight
      compressed += deflateRawSync(window, { level: COMPRESSING_LEVEL }).length * weight
    }
  }
  if (original === 0) return { level: COMPRESSING_LEVEL, sampledRatio: 1, sampledBytes }
  const ratio = compressed / original
  return { level: ratio <= 1 - WORTHWHILE_SAVING ? COMPRESSING_LEVEL : 0, sampledRatio: ratio, sampledBytes }
}

async function sampleOf(file: string): Promise<{ size: number; windows: Buffer[] }> {
  const handle = await open(file, 'r')
  try {
    const { size } = await handle.stat()
    if (size === 0) return { size, windows: [] }
    const count = size <= WINDOW_BYTES * WINDOWS_PER_FILE ? 1 : WINDOWS_PER_FILE
    const length = count === 1 ? size : WINDOW_BYTES
    const windows: Buffer[] = []
    for (let i = 0; i < count; i++) {
      const position = count === 1 ? 0 : Math.floor((i * (size - length)) / (count - 1))
      const window = Buffer.alloc(length)
      const { bytesRead } = await handle.read(window, 0, length, position)
      if (bytesRead > 0) windows.push(window.subarray(0, bytesRead))
    }
    return { size, windows }
  } finally {
    await handle.close()
  }
}
