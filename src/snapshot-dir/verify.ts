// The check every upload starts with: the directory must hold exactly the snapshot its metadata.json describes,
// and, when this action wrote it, exactly the bytes SHA256SUMS and manifest.json list. icp-cli checks nothing
// (snapshot_transfer.rs reads whatever is there), so a truncated artifact would otherwise become a snapshot.
import { lstat, readdir, realpath } from 'node:fs/promises'
import { join } from 'node:path'
import {
  ChecksumFileError,
  parseManifest,
  parseSha256Sums,
  type SnapshotFile,
  type SnapshotManifest
} from './checksums.js'
import { kindOf, readTextIfPresent, sha256File, UnsafeFileError } from './files.js'
import {
  BLOB_KINDS,
  blobFile,
  blobSize,
  CHUNK_FILE_NAME,
  CHUNK_STORE_DIR,
  chunkFile,
  MANIFEST_FILE,
  METADATA_FILE,
  SHA256SUMS_FILE,
  TRANSFER_STATE_FILES
} from './layout.js'
import { parseMetadataJson, SnapshotMetadataError, type SnapshotMetadata } from './metadata.js'

export interface VerifiedSnapshotDir {
  dir: string
  metadata: SnapshotMetadata
  /**
   * 'sha256sums': every file matched SHA256SUMS and/or manifest.json, and no other file is there.
   * 'sizes-only': a directory without them (as icp-cli and dfx write it): sizes and chunk hashes matched.
   */
  checksums: 'sha256sums' | 'sizes-only'
  /** The snapshot's files (metadata.json, the memories, the chunks); sha256 is set where it was computed. */
  files: Array<Omit<SnapshotFile, 'sha256'> & { sha256?: string }>
  /** Bytes of the memories and the chunk store. */
  totalBytes: bigint
  manifest?: SnapshotManifest
  /** Absent when the module is empty (never, for a snapshot the IC took). */
  wasmModulePath?: string
}

/** A directory that is not the snapshot it claims to be; the message names the file and what differs. */
export class SnapshotDirError extends Error {
  constructor(
    readonly file: string,
    problem: string,
    dir: string
  ) {
    super(`${join(dir, file)} ${problem}`)
    this.name = 'SnapshotDirError'
  }
}

export interface VerifyOptions {
  /**
   * The directory came from outside this job (an artifact, a cache entry): SHA256SUMS must be there and list
   * every file, a transfer's state files included, which then have no place in it.
   */
  untrusted?: boolean
}

// metadata.json lists at most the chunk store's hashes and the module's globals: far below a MiB. SHA256SUMS
// and manifest.json list the files, a line or an entry each.
const MAX_TEXT_FILE_BYTES = 1 << 20

export async function verifySnapshotDir(
  dirGiven: string,
  options: VerifyOptions = {}
): Promise<VerifiedSnapshotDir> {
  // The real path, once: every file below is then checked not to lead out of it.
  const dir = await realpath(dirGiven).catch(() => dirGiven)
  const fail = (file: string, problem: string): never => {
    throw new SnapshotDirError(file, problem, dir)
  }
  // Every entry first: a symlink or a device anywhere below is refused before any file is read.
  const present = await listFiles(dir, '', !options.untrusted).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') fail('', 'is not a directory')
    throw error
  })
  const metadata = await readMetadata(dir)

  const sums = await readOptional(dir, SHA256SUMS_FILE, parseSha256Sums)
  const manifest = await readOptional(dir, MANIFEST_FILE, parseManifest)
  if (options.untrusted && !sums)
    fail(SHA256SUMS_FILE, 'is missing: a snapshot directory from an artifact or a cache must list its files')
  const hashes = new Map<string, string>()
  const sha256Of = async (file: string): Promise<string> => {
    const known = hashes.get(file)
    if (known) return known
    const { sha256 } = await sha256File(join(dir, file))
    hashes.set(file, sha256)
    return sha256
  }
  // An edited metadata.json is reported as such, before the sizes it now gets wrong.
  const listedMetadata = sums?.has(METADATA_FILE)
    ? { list: SHA256SUMS_FILE, sha256: sums.get(METADATA_FILE) }
    : { list: MANIFEST_FILE, sha256: manifest?.files[METADATA_FILE]?.sha256 }
  if (listedMetadata.sha256 !== undefined) {
    const actual = await sha256Of(METADATA_FILE)
    if (actual !== listedMetadata.sha256)
      fail(
        METADATA_FILE,
        `does not match ${listedMetadata.list}: its sha256 is ${actual}, ${listedMetadata.list} says ${listedMetadata.sha256}`
      )
  }

  // Sizes next: they cost a stat each and catch truncation before any hashing.
  const files: VerifiedSnapshotDir['files'] = [
    { path: METADATA_FILE, size: (await sizeOf(dir, METADATA_FILE)) as number }
  ]
  for (const kind of BLOB_KINDS) {
    const file = blobFile(kind)
    const expected = blobSize(metadata, kind)
    const size = await sizeOf(dir, file)
    if (size === undefined) {
      // icp-cli leaves out empty memories; dfx leaves out empty stable memory.
      if (expected > 0n) fail(file, `is missing; ${METADATA_FILE} says it has ${expected} bytes`)
      continue
    }
    if (BigInt(size) !== expected) fail(file, `has ${size} bytes, but ${METADATA_FILE} says ${expected}`)
    files.push({ path: file, size })
  }

  const listed = new Set(metadata.wasmChunkStore.map(hash => chunkFile(hash)))
  const stored = await chunkStoreFiles(dir)
  for (const file of stored) {
    if (!listed.has(file)) fail(file, `is not a chunk of this snapshot (${METADATA_FILE} does not list it)`)
  }
  for (const file of listed) {
    if (!stored.includes(file)) fail(file, `is missing; ${METADATA_FILE} lists it in wasm_chunk_store`)
  }

  if (sums || manifest) {
    const lists: Array<[string, Map<string, { size?: number; sha256: string }>]> = []
    if (sums) lists.push([SHA256SUMS_FILE, new Map([...sums].map(([path, sha256]) => [path, { sha256 }]))])
    if (manifest) lists.push([MANIFEST_FILE, new Map(Object.entries(manifest.files))])
    for (const [listName, list] of lists) {
      // manifest.json does not list itself, and neither file lists SHA256SUMS.
      const unlisted = present.filter(
        file =>
          !list.has(file) &&
          file !== SHA256SUMS_FILE &&
          !(file === MANIFEST_FILE && listName === MANIFEST_FILE)
      )
      if (unlisted.length > 0) fail(unlisted[0], `is not listed in ${listName}`)
      for (const [file, expected] of list) {
        const size = await sizeOf(dir, file)
        if (size === undefined) fail(file, `is missing (listed in ${listName})`)
        if (expected.size !== undefined && size !== expected.size)
          fail(file, `has ${size} bytes, but ${listName} says ${expected.size}`)
      }
    }
    for (const [listName, list] of lists) {
      for (const [file, expected] of list) {
        const actual = await sha256Of(file)
        if (actual !== expected.sha256)
          fail(
            file,
            `does not match ${listName}: its sha256 is ${actual}, ${listName} says ${expected.sha256}`
          )
      }
    }
  }

  // A chunk's name is its hash: check it even when no checksum file lists it.
  for (const file of stored) {
    const actual = await sha256Of(file)
    const named = file.slice(CHUNK_STORE_DIR.length + 1, -'.bin'.length)
    if (actual !== named) fail(file, `has sha256 ${actual}, not the hash its name and ${METADATA_FILE} give`)
    files.push({ path: file, size: (await sizeOf(dir, file)) as number })
  }

  const module = files.find(file => file.path === blobFile('wasm_module'))
  if (manifest && module && manifest.module_hash !== (await sha256Of(module.path)))
    fail(
      MANIFEST_FILE,
      `gives module_hash ${manifest.module_hash}, but wasm_module.bin hashes to ${hashes.get(module.path)}`
    )

  return {
    dir,
    metadata,
    checksums: sums || manifest ? 'sha256sums' : 'sizes-only',
    files: files.map(file => ({
      ...file,
      ...(hashes.has(file.path) ? { sha256: hashes.get(file.path) } : {})
    })),
    totalBytes: files
      .filter(file => file.path !== METADATA_FILE)
      .reduce((sum, file) => sum + BigInt(file.size), 0n),
    ...(manifest ? { manifest } : {}),
    ...(module ? { wasmModulePath: join(dir, module.path) } : {})
  }
}

async function readMetadata(dir: string): Promise<SnapshotMetadata> {
  const text = await readText(dir, METADATA_FILE)
  if (text === undefined)
    throw new SnapshotDirError(METADATA_FILE, 'is missing: this is not a snapshot directory', dir)
  try {
    return parseMetadataJson(text)
  } catch (error) {
    if (error instanceof SnapshotMetadataError)
      throw new SnapshotDirError(METADATA_FILE, `is invalid: ${error.message}`, dir)
    throw error
  }
}

async function readOptional<T>(
  dir: string,
  file: string,
  parse: (text: string) => T
): Promise<T | undefined> {
  const text = await readText(dir, file)
  if (text === undefined) return undefined
  try {
    return parse(text)
  } catch (error) {
    if (error instanceof ChecksumFileError)
      throw new SnapshotDirError(file, `is invalid: ${error.message}`, dir)
    throw error
  }
}

async function readText(dir: string, file: string): Promise<string | undefined> {
  try {
    return await readTextIfPresent(join(dir, file), MAX_TEXT_FILE_BYTES)
  } catch (error) {
    if (error instanceof UnsafeFileError) throw new SnapshotDirError(file, error.message, dir)
    throw error
  }
}

/** Size of a regular file, or undefined when there is none (listFiles has refused links already). */
async function sizeOf(dir: string, file: string): Promise<number | undefined> {
  try {
    const info = await lstat(join(dir, file))
    return info.isFile() ? info.size : undefined
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** wasm_chunk_store/*.bin; anything else in there is reported as not being a chunk. */
async function chunkStoreFiles(dir: string): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(join(dir, CHUNK_STORE_DIR))
  } catch (error) {
    // dfx writes no chunk store directory for an empty store.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  const files = names.map(name => `${CHUNK_STORE_DIR}/${name}`)
  const odd = names.find(name => !CHUNK_FILE_NAME.test(name))
  if (odd !== undefined)
    throw new SnapshotDirError(`${CHUNK_STORE_DIR}/${odd}`, 'is not a chunk file (<sha256 hex>.bin)', dir)
  return files.sort()
}

/**
 * Every file under `dir` as a '/' path. Anything but a regular file or a directory (a symlink could lead
 * anywhere) is refused. A transfer's own state files are left out only when `skipTransferState`.
 */
async function listFiles(dir: string, prefix: string, skipTransferState: boolean): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name
    if (entry.isDirectory()) found.push(...(await listFiles(dir, path, skipTransferState)))
    else if (!entry.isFile())
      throw new SnapshotDirError(
        path,
        `is ${kindOf(await lstat(join(dir, path)))}; only regular files are read`,
        dir
      )
    else if (!(skipTransferState && prefix === '' && TRANSFER_STATE_FILES.includes(entry.name)))
      found.push(path)
  }
  return found.sort()
}
