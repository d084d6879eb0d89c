// File operations the snapshot directory needs: whole-file hashing in bounded memory and atomic replacement.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { lstat, open, readFile, rename, rm } from 'node:fs/promises'
import type { Stats } from 'node:fs'

/** A file that is not what a snapshot directory may hold; the message says what it is. */
export class UnsafeFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UnsafeFileError'
  }
}

/**
 * A small text file's content, or undefined when there is no such file. The file must be a regular file (a
 * symlink could point anywhere) of at most `maxBytes`, checked before a byte is read.
 */
export async function readTextIfPresent(path: string, maxBytes: number): Promise<string | undefined> {
  let info
  try {
    info = await lstat(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  if (!info.isFile()) throw new UnsafeFileError(`is ${kindOf(info)}, not a regular file`)
  if (info.size > maxBytes)
    throw new UnsafeFileError(`has ${info.size} bytes; a file of this kind has at most ${maxBytes}`)
  return readFile(path, 'utf8')
}

export function kindOf(info: Stats): string {
  if (info.isSymbolicLink()) return 'a symbolic link'
  if (info.isDirectory()) return 'a directory'
  if (info.isFile()) return 'a regular file'
  return 'a special file (device, socket or FIFO)'
}

/** Streams the file through sha256 a MiB at a time: memory stays flat whatever its size. */
export async function sha256File(path: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    size += chunk.length
    hash.update(chunk)
  }
  return { size, sha256: hash.digest('hex') }
}

/**
 * Writes a temporary file, flushes it to disk and renames it over `path`, so a reader (or a rerun after a
 * crash) sees the old content or the new, never half of it: how icp-cli saves its download progress.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  // One writer per file at a time; icp-cli names its temporary `.download_progress.json.tmp` the same way.
  const tmp = `${path}.tmp`
  const file = await open(tmp, 'w')
  try {
    await file.writeFile(data)
    await file.sync()
  } catch (error) {
    await file.close()
    await rm(tmp, { force: true })
    throw error
  }
  await file.close()
  await rename(tmp, path)
}
