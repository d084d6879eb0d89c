// A snapshot directory as one tar stream (tar-stream), and back. The archive is what `encrypt-with` puts in
// the artifact, so extraction treats it as hostile even after it decrypted: only the files of the snapshot
// layout, as regular files, each once, with sizes bounded before their bytes arrive, into an empty directory.
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable, Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import * as tar from 'tar-stream'
// The decoder tar-stream's extract itself uses, so the header guard below sees the same entries it does.
import * as tarHeaders from 'tar-stream/headers.js'
import { ActionError } from '../ic/errors.js'
import {
  BLOB_KINDS,
  blobFile,
  blobSize,
  CHUNK_STORE_DIR,
  chunkFile,
  MANIFEST_FILE,
  METADATA_FILE,
  SHA256SUMS_FILE,
  type BlobKind
} from '../snapshot-dir/layout.js'
import { parseMetadataJson, type SnapshotMetadata } from '../snapshot-dir/metadata.js'
import { inert } from '../untrusted-text.js'

/** metadata.json, manifest.json and SHA256SUMS: a few KiB for any snapshot (at most 1000 globals and 100 chunks). */
export const SMALL_FILE_MAX_BYTES = 4 * 1024 * 1024
/** A Wasm chunk store chunk is at most 1 MiB (interface spec, upload_chunk). */
export const CHUNK_MAX_BYTES = 1024 * 1024

const SMALL_FILES = [METADATA_FILE, MANIFEST_FILE, SHA256SUMS_FILE]
const CHUNK_ENTRY = new RegExp(`^${CHUNK_STORE_DIR}/[0-9a-f]{64}\\.bin$`)

/** An archive that is not a snapshot's; the message (a phrase, "entry 'x' is …") names the entry. */
export class SnapshotArchiveError extends Error {
  constructor(problem: string) {
    super(problem)
    this.name = 'SnapshotArchiveError'
  }
}

class ArchiveEntryError extends SnapshotArchiveError {
  constructor(entry: string, problem: string) {
    super(`entry '${inert(entry, 200)}' ${problem}`)
  }
}

/**
 * The archive of `files` (paths relative to `dir`, with '/'), small files first so that an extraction knows
 * from metadata.json how large each memory must be before its bytes arrive. A file outside the snapshot
 * layout is an error: the directory was verified, so it would be a bug.
 */
export function packSnapshotDir(dir: string, files: readonly string[]): Readable {
  const rank = (file: string): number => {
    const small = SMALL_FILES.indexOf(file)
    if (small >= 0) return small
    if (CHUNK_ENTRY.test(file)) return SMALL_FILES.length
    const blob = BLOB_KINDS.findIndex(kind => blobFile(kind) === file)
    if (blob >= 0) return SMALL_FILES.length + 1 + blob
    throw new ActionError(`${join(dir, file)} is not a file of a snapshot directory; it cannot be archived.`)
  }
  const ordered = [...files].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))
  const pack = tar.pack()
  const write = async (): Promise<void> => {
    let chunkDir = false
    for (const file of ordered) {
      if (!chunkDir && CHUNK_ENTRY.test(file)) {
        chunkDir = true
        await new Promise<void>((resolve, reject) =>
          pack.entry({ name: `${CHUNK_STORE_DIR}/`, type: 'directory', mode: 0o755 }, e =>
            e ? reject(e) : resolve()
          )
        )
      }
      const path = join(dir, file)
      const { size, mtime } = await stat(path)
      const entry = pack.entry({ name: file, type: 'file', size, mode: 0o644, mtime })
      await pipeline(createReadStream(path), entry)
    }
    pack.finalize()
  }
  write().catch(error => pack.destroy(error))
  // tar-stream's streams are streamx streams; Readable.from makes a node Readable of its async iterator.
  return Readable.from(pack, { objectMode: false })
}

/**
 * Passes the tar stream through unchanged, refusing at its header every entry that is not a regular file or a
 * directory: links, devices, and also pax and GNU long-name records, which tar-stream would buffer whole in
 * memory (extract.js `_longHeader`) before any entry is seen. This action's archives never need them: every
 * name of the layout is shorter than 100 bytes.
 */
class TarHeaderGuard extends Transform {
  private skip = 0
  private header = Buffer.alloc(0)

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      let offset = 0
      while (offset < chunk.length) {
        if (this.skip > 0) {
          const n = Math.min(this.skip, chunk.length - offset)
          this.skip -= n
          offset += n
          continue
        }
        const part = chunk.subarray(offset, offset + 512 - this.header.length)
        this.header = Buffer.concat([this.header, part])
        offset += part.length
        if (this.header.length === 512) {
          this.skip = this.dataAfter(this.header)
          this.header = Buffer.alloc(0)
        }
      }
      callback(null, chunk)
    } catch (error) {
      callback(error as Error)
    }
  }

  /** Bytes of entry data (padded to 512) that follow this header block. */
  private dataAfter(block: Buffer): number {
    const header = tarHeaders.decode(block, 'utf-8', false)
    if (header === null) return 0 // a zero block: the end of the archive
    if (header.type !== 'file' && header.type !== 'directory')
      throw new ArchiveEntryError(header.name, `is a ${header.type}, not a regular file or a directory`)
    if (header.type === 'directory') {
      if (header.size !== 0)
        throw new ArchiveEntryError(header.name, `is a directory with ${header.size} bytes`)
      return 0
    }
    return Math.ceil(header.size / 512) * 512
  }
}

/**
 * Extracts the snapshot archive `archive` into the empty directory `dir`. Every entry must be a file of the
 * snapshot layout (see layout.ts), once; metadata.json, manifest.json and SHA256SUMS are bounded, the
 * memories must have the sizes metadata.json gives (so it must come before them), chunks must be listed in
 * it; metadata.json and manifest.json must be there. Returns the files written, relative to `dir`.
 */
export async function extractSnapshotArchive(archive: Readable, dir: string): Promise<string[]> {
  if ((await readdir(dir)).length > 0)
    throw new ActionError(`${dir} is not empty; an archive is only extracted into an empty directory.`)
  const extract = tar.extract()
  const feeding = pipeline(archive, new TarHeaderGuard(), extract as unknown as NodeJS.WritableStream)
  // Handled here at once: it may reject while the loop below waits, and is read again in the catch.
  const fed = feeding.then(
    () => undefined,
    (error: unknown) => error
  )
  const written = new Set<string>()
  let metadata: SnapshotMetadata | undefined
  try {
    for await (const entry of extract) {
      const { name, type, size = 0 } = entry.header
      const fail = (problem: string): never => {
        throw new ArchiveEntryError(name, problem)
      }
      if (type !== 'file' && type !== 'directory') fail(`is a ${type}, not a regular file or a directory`)
      const path = type === 'directory' ? name.replace(/\/$/, '') : name
      if (written.has(path)) fail('appears twice')
      if (type === 'directory') {
        if (path !== CHUNK_STORE_DIR) fail('is not a directory of a snapshot')
        await mkdir(join(dir, path), { recursive: true })
        entry.resume()
      } else if (SMALL_FILES.includes(path)) {
        if (size > SMALL_FILE_MAX_BYTES)
          fail(`has ${size} bytes; at most ${SMALL_FILE_MAX_BYTES} are accepted`)
        const chunks: Buffer[] = []
        for await (const chunk of entry) chunks.push(chunk)
        const bytes = Buffer.concat(chunks)
        if (path === METADATA_FILE) {
          try {
            metadata = parseMetadataJson(bytes.toString('utf8'))
          } catch (error) {
            fail(`is not a snapshot's metadata: ${inert((error as Error).message, 300)}`)
          }
        }
        await writeFile(join(dir, path), bytes, { flag: 'wx' })
      } else {
        const kind = BLOB_KINDS.find(k => blobFile(k) === path)
        if (kind === undefined && !CHUNK_ENTRY.test(path)) fail('is not a file of a snapshot directory')
        if (metadata === undefined) fail(`comes before ${METADATA_FILE}, which gives its size`)
        const known = metadata as SnapshotMetadata
        if (kind !== undefined) {
          const expected = blobSize(known, kind as BlobKind)
          if (BigInt(size) !== expected) fail(`has ${size} bytes, but ${METADATA_FILE} says ${expected}`)
        } else {
          if (!known.wasmChunkStore.some(hash => chunkFile(hash) === path))
            fail(`is not a chunk of this snapshot (${METADATA_FILE} does not list it)`)
          if (size > CHUNK_MAX_BYTES) fail(`has ${size} bytes; a chunk has at most ${CHUNK_MAX_BYTES}`)
          await mkdir(join(dir, CHUNK_STORE_DIR), { recursive: true })
        }
        await pipeline(entry, createWriteStream(join(dir, path), { flags: 'wx' }))
      }
      written.add(path)
    }
    await feeding
  } catch (error) {
    extract.destroy()
    archive.destroy()
    // A payload that failed to decrypt explains whatever the extraction then saw.
    const feedingError = await fed
    if (feedingError instanceof ActionError) throw feedingError
    // The decryption's own errors (ActionError) say what happened; anything else is the archive's fault.
    if (error instanceof ActionError || error instanceof SnapshotArchiveError) throw error
    // tar-stream reports a malformed archive with a plain Error; a file system error has a code.
    if (!(error instanceof Error) || error.constructor !== Error || 'code' in error) throw error
    throw new SnapshotArchiveError(
      `is not a tar archive: ${inert((error as Error)?.message ?? String(error), 300)}`
    )
  }
  for (const required of [METADATA_FILE, MANIFEST_FILE])
    if (!written.has(required)) throw new SnapshotArchiveError(`holds no ${required}`)
  return [...written].filter(path => path !== CHUNK_STORE_DIR)
}
