// What this action adds to a snapshot directory so that it can be checked byte for byte before an upload:
// SHA256SUMS (`sha256sum -c SHA256SUMS` checks it too) and manifest.json (what the snapshot is and where it came
// from). icp-cli ignores both.
import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Principal } from '@icp-sdk/core/principal'
import { sha256File, writeFileAtomic } from './files.js'
import { isJsonObject, parseJson, prettyJson, type JsonOutput, type JsonValue } from './json.js'
import { JsonFieldError, objectField, safeU64Field, stringField } from './json-fields.js'
import { MANIFEST_FILE, SHA256SUMS_FILE, snapshotFilePaths } from './layout.js'
import type { SnapshotMetadata } from './metadata.js'

/** One file of a snapshot directory; `path` is relative with '/' separators. */
export interface SnapshotFile {
  path: string
  size: number
  sha256: string
}

export const SHA256_HEX = /^[0-9a-f]{64}$/

// ---- SHA256SUMS ----

/** sha256sum's text format: `<hex>  <path>` per line, sorted by path, ending with a newline. */
export function formatSha256Sums(files: readonly Pick<SnapshotFile, 'path' | 'sha256'>[]): string {
  return [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map(file => `${file.sha256}  ${file.path}\n`)
    .join('')
}

export class ChecksumFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ChecksumFileError'
  }
}

/** Path → sha256. Accepts sha256sum's binary marker (`<hex> *<path>`); refuses paths outside the directory. */
export function parseSha256Sums(text: string): Map<string, string> {
  const sums = new Map<string, string>()
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  lines.forEach((line, index) => {
    const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line.replace(/\r$/, ''))
    if (!match) throw new ChecksumFileError(`line ${index + 1} is not '<sha256>  <path>'`)
    const [, hex, path] = match
    checkRelativePath(path, `line ${index + 1}`)
    if (sums.has(path)) throw new ChecksumFileError(`line ${index + 1} lists ${path} a second time`)
    sums.set(path, hex.toLowerCase())
  })
  return sums
}

function checkRelativePath(path: string, where: string): void {
  if (
    path.startsWith('/') ||
    path.includes('\\') ||
    path.split('/').some(part => part === '..' || part === '')
  )
    throw new ChecksumFileError(
      `${where} names ${JSON.stringify(path)}, which is not a path inside the directory`
    )
}

// ---- manifest.json ----

export const MANIFEST_FORMAT = 1

export interface SnapshotManifest {
  format: typeof MANIFEST_FORMAT
  canister: string
  snapshot_id: string
  /** sha256 of wasm_module.bin: the module hash canister_status reports once the snapshot is loaded. */
  module_hash: string
  /** ISO 8601, from taken_at_ns. */
  taken_at: string
  /** Nanoseconds since the epoch as a decimal string: it exceeds 2^53. */
  taken_at_ns: string
  sizes: { wasm_module: number; wasm_memory: number; stable_memory: number; wasm_chunk_store: number }
  total_bytes: number
  files: Record<string, { size: number; sha256: string }>
  /** The workflow run that downloaded it, when it ran in GitHub Actions. */
  source?: { repository?: string; commit?: string; run_id?: string }
}

export function buildManifest(
  snapshot: { canister: string; snapshotId: string; metadata: SnapshotMetadata },
  files: readonly SnapshotFile[],
  env: NodeJS.ProcessEnv = process.env
): SnapshotManifest {
  const { metadata } = snapshot
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : 1))
  const module = files.find(file => file.path === 'wasm_module.bin')
  const chunkBytes = files
    .filter(file => file.path.startsWith('wasm_chunk_store/'))
    .reduce((sum, file) => sum + file.size, 0)
  const sizes = {
    wasm_module: Number(metadata.wasmModuleSize),
    wasm_memory: Number(metadata.wasmMemorySize),
    stable_memory: Number(metadata.stableMemorySize),
    wasm_chunk_store: chunkBytes
  }
  const source = {
    ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
    ...(env.GITHUB_SHA ? { commit: env.GITHUB_SHA } : {}),
    ...(env.GITHUB_RUN_ID ? { run_id: env.GITHUB_RUN_ID } : {})
  }
  return {
    format: MANIFEST_FORMAT,
    canister: snapshot.canister,
    snapshot_id: snapshot.snapshotId,
    module_hash: module?.sha256 ?? '',
    taken_at: new Date(Number(metadata.takenAtTimestamp / 1_000_000n)).toISOString(),
    taken_at_ns: metadata.takenAtTimestamp.toString(),
    sizes,
    total_bytes: sizes.wasm_module + sizes.wasm_memory + sizes.stable_memory + sizes.wasm_chunk_store,
    files: Object.fromEntries(sorted.map(file => [file.path, { size: file.size, sha256: file.sha256 }])),
    ...(Object.keys(source).length > 0 ? { source } : {})
  }
}

export function encodeManifest(manifest: SnapshotManifest): string {
  return `${prettyJson(manifest as unknown as JsonOutput)}\n`
}

// Every field is text from outside (an artifact can come from a fork's run), so each is parsed into the
// shape it must have; nothing of the file reaches the log or the summary unchecked.
const SNAPSHOT_ID_HEX = /^([0-9a-f]{2}){9,37}$/
const REPOSITORY = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/
const COMMIT = /^([0-9a-f]{40}|[0-9a-f]{64})$/
const RUN_ID = /^[1-9][0-9]{0,19}$/
const NANOSECONDS = /^[0-9]{1,20}$/
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/
const SIZE_KEYS = ['wasm_module', 'wasm_memory', 'stable_memory', 'wasm_chunk_store'] as const

function principalField(value: JsonValue | undefined, field: string): string {
  const text = stringField(value, field, /^[a-z0-9-]{1,63}$/)
  try {
    // fromText checks the CRC; toText gives the one canonical spelling.
    if (Principal.fromText(text).toText() === text) return text
  } catch {
    // Reported below.
  }
  throw new JsonFieldError(field, `is not a principal in its text form`)
}

/** Reads manifest.json strictly: each field in its shape, unknown fields dropped. */
export function parseManifest(text: string): SnapshotManifest {
  let json: JsonValue
  try {
    json = parseJson(text)
  } catch (error) {
    throw new ChecksumFileError((error as Error).message)
  }
  try {
    if (!isJsonObject(json)) throw new JsonFieldError('', 'is not an object')
    const format = safeU64Field(json.format, 'format')
    if (format !== MANIFEST_FORMAT)
      throw new JsonFieldError(
        'format',
        `is ${format}; this version of the action reads format ${MANIFEST_FORMAT}`
      )
    if (!isJsonObject(json.files)) throw new JsonFieldError('files', 'is not an object')
    const files: SnapshotManifest['files'] = {}
    for (const [path, entry] of Object.entries(json.files)) {
      checkRelativePath(path, 'files')
      if (!isJsonObject(entry)) throw new JsonFieldError(`files.${path}`, 'is not an object')
      files[path] = {
        size: safeU64Field(entry.size, `files.${path}.size`),
        sha256: stringField(entry.sha256, `files.${path}.sha256`, SHA256_HEX)
      }
    }
    if (!isJsonObject(json.sizes)) throw new JsonFieldError('sizes', 'is not an object')
    const sizes = json.sizes
    const manifest: SnapshotManifest = {
      format: MANIFEST_FORMAT,
      canister: principalField(json.canister, 'canister'),
      snapshot_id: stringField(json.snapshot_id, 'snapshot_id', SNAPSHOT_ID_HEX),
      module_hash: stringField(json.module_hash, 'module_hash', /^([0-9a-f]{64})?$/),
      taken_at: stringField(json.taken_at, 'taken_at', ISO_TIME),
      taken_at_ns: stringField(json.taken_at_ns, 'taken_at_ns', NANOSECONDS),
      sizes: Object.fromEntries(
        SIZE_KEYS.map(key => [key, safeU64Field(sizes[key], `sizes.${key}`)])
      ) as SnapshotManifest['sizes'],
      total_bytes: safeU64Field(json.total_bytes, 'total_bytes'),
      files
    }
    if (json.source !== undefined) {
      const source = objectField(json.source, 'source', ['repository', 'commit', 'run_id'], [])
      manifest.source = {
        ...(source.repository !== undefined
          ? { repository: stringField(source.repository, 'source.repository', REPOSITORY) }
          : {}),
        ...(source.commit !== undefined
          ? { commit: stringField(source.commit, 'source.commit', COMMIT) }
          : {}),
        ...(source.run_id !== undefined
          ? { run_id: stringField(source.run_id, 'source.run_id', RUN_ID) }
          : {})
      }
    }
    return manifest
  } catch (error) {
    if (error instanceof JsonFieldError) throw new ChecksumFileError(error.message)
    throw error
  }
}

/**
 * Hashes every file of the snapshot in `dir` and writes manifest.json, then SHA256SUMS (which lists the
 * manifest too). Returns the snapshot's files, without the two it wrote.
 */
export async function writeChecksums(
  dir: string,
  snapshot: { canister: string; snapshotId: string; metadata: SnapshotMetadata }
): Promise<{ files: SnapshotFile[]; manifest: SnapshotManifest }> {
  const files: SnapshotFile[] = []
  for (const path of snapshotFilePaths(snapshot.metadata)) {
    const size = await stat(join(dir, path)).then(
      s => s.size,
      () => undefined
    )
    if (size === undefined) continue
    files.push({ path, ...(await sha256File(join(dir, path))) })
  }
  const manifest = buildManifest(snapshot, files)
  const manifestText = encodeManifest(manifest)
  await writeFileAtomic(join(dir, MANIFEST_FILE), manifestText)
  const manifestFile = {
    path: MANIFEST_FILE,
    sha256: createHash('sha256').update(manifestText).digest('hex')
  }
  await writeFileAtomic(join(dir, SHA256SUMS_FILE), formatSha256Sums([...files, manifestFile]))
  return { files, manifest }
}
