import type { Principal } from '@icp-sdk/core/principal'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { InputError } from '../errors.js'
import { parsePrincipal, whyNotCanisterId } from './principal.js'

type JsonObject = Record<string, unknown>

/** A file in the user's repository that may record canister ids, and how to find one name in it. */
export interface IdFile {
  /** Relative to the workspace, '/'-separated: as the user sees it in the repository and in the log. */
  path: string
  /** The raw entry the file records for `name` (not validated yet), or undefined when it has none. */
  entryFor(ids: JsonObject, name: string): unknown
}

export interface LoadedIdFile {
  file: IdFile
  ids: JsonObject
}

export interface IdFileMatch {
  principal: Principal
  source: string
}

/** dfx falls back to this key when a canister has no entry for the network (dfx-core canister_id_store). */
const DFX_DEFAULT_NETWORK = '__default'

/**
 * Every file that may record ids for `environment` (an icp-cli environment, which is also the dfx network
 * name), in order of precedence. icp-cli files come first: icp-cli succeeds dfx, so a repository holding both
 * is usually migrating and icp-cli's mapping is the one kept up to date. Files that disagree are an error
 * anyway, so the order only decides which file is named as the source and the order files are listed in.
 */
export function idFilesFor(environment: string): IdFile[] {
  return [...icpCliFiles(environment), ...dfxFiles(environment)]
}

function icpCliFiles(environment: string): IdFile[] {
  // Ids live in `data` for connected networks and `cache` for managed ones; which one an environment uses
  // is set in icp.yaml (even 'local' can be connected), so both are read. 'ic' is always connected.
  const stores = environment === 'ic' ? ['data'] : ['data', 'cache']
  return stores.map(store => ({
    path: `.icp/${store}/mappings/${environment}.ids.json`,
    entryFor: (ids, name) => ownEntry(ids, name)
  }))
}

function dfxFiles(environment: string): IdFile[] {
  // Persistent networks keep ids in the root file, ephemeral ones under .dfx/; dfx.json decides which a
  // custom network is, so both are read. 'ic' is always persistent.
  const paths =
    environment === 'ic'
      ? ['canister_ids.json']
      : ['canister_ids.json', `.dfx/${environment}/canister_ids.json`]
  return paths.map(path => ({ path, entryFor: (ids, name) => dfxEntry(ownEntry(ids, name), environment) }))
}

function dfxEntry(byNetwork: unknown, network: string): unknown {
  // Anything but an object is returned as is, to be reported as not being a principal.
  if (!isJsonObject(byNetwork)) return byNetwork
  return ownEntry(byNetwork, network) ?? ownEntry(byNetwork, DFX_DEFAULT_NETWORK)
}

/** Reads the files that exist; `name` is the lookup that needs them, for the error message. */
export async function loadIdFiles(workspace: string, files: IdFile[], name: string): Promise<LoadedIdFile[]> {
  const loaded = await Promise.all(
    files.map(async file => ({ file, ids: await loadIdFile(workspace, file, name) }))
  )
  return loaded.filter((entry): entry is LoadedIdFile => entry.ids !== undefined)
}

async function loadIdFile(workspace: string, file: IdFile, name: string): Promise<JsonObject | undefined> {
  const text = await readIfExists(join(workspace, ...file.path.split('/')), file, name)
  if (text === undefined) return undefined
  let json: unknown
  try {
    // A byte-order mark is what some Windows editors add; it is not a reason to fail.
    json = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    throw lookupError(name, `${file.path} is not valid JSON (${oneLine(error)})`)
  }
  if (!isJsonObject(json)) throw lookupError(name, `${file.path} is not a JSON object of canister names`)
  return json
}

async function readIfExists(absolutePath: string, file: IdFile, name: string): Promise<string | undefined> {
  try {
    return await readFile(absolutePath, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw lookupError(name, `cannot read ${file.path} (${code ?? oneLine(error)})`)
  }
}

/** The principal the files record for `name`, and the first file recording it; undefined when none does. */
export function findInIdFiles(loaded: LoadedIdFile[], name: string): IdFileMatch | undefined {
  const matches = loaded.flatMap(({ file, ids }) => {
    const entry = file.entryFor(ids, name)
    return entry === undefined ? [] : [{ principal: recordedPrincipal(file, name, entry), source: file.path }]
  })
  if (matches.length === 0) return undefined
  const distinct = new Set(matches.map(match => match.principal.toText()))
  if (distinct.size > 1) {
    const records = matches.map(match => `${match.source} has ${match.principal.toText()}`).join(', ')
    throw lookupError(
      name,
      `the files disagree: ${records}; remove the stale entry or give the principal instead`
    )
  }
  return matches[0]
}

function recordedPrincipal(file: IdFile, name: string, entry: unknown): Principal {
  const principal = typeof entry === 'string' ? parsePrincipal(entry) : undefined
  if (!principal) {
    throw lookupError(name, `${file.path} records it as ${JSON.stringify(entry)}, which is not a principal`)
  }
  const why = whyNotCanisterId(principal)
  if (why) throw lookupError(name, `${file.path} records it as '${principal.toText()}', which ${why}`)
  return principal
}

function lookupError(name: string, problem: string): InputError {
  return new InputError('canister', `cannot look up '${name}': ${problem}`)
}

/** Only own keys: a canister named 'constructor' must not find Object.prototype.constructor. */
function ownEntry(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.replace(/\s*\n\s*/g, ' ')
}
