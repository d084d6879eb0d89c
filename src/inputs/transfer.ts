// Inputs of the modes that move snapshots between the IC, the disk and workflow artifacts.
import { isAbsolute, relative, resolve } from 'node:path'
import * as core from '@actions/core'
import { Inputs, type Mode } from '../constants.js'
import { InputError } from '../errors.js'
import type { OtherRun } from '../github/artifact.js'
import { AUTO, type CompressionLevel } from '../github/compression.js'
import type { Principal } from '@icp-sdk/core/principal'
import { parsePrincipal, whyNotCanisterId } from '../canister-ids/principal.js'
import { DEFAULT_CONCURRENCY } from '../transfer/defaults.js'
import { getBoolean, getTrimmed, getWholeNumber } from './helpers.js'

export interface TransferInputs {
  /** Absolute. Written to (download-artifact): inside the workspace or RUNNER_TEMP; read from: anywhere. */
  path?: string
  artifactName?: string
  retentionDays?: number
  /** A zlib level, or `auto`: chosen from a sample of the files (github/compression.ts). */
  compressionLevel: CompressionLevel
  concurrency: number
  cache: boolean
  fromRun?: OtherRun
  restore: boolean
  /** upload-artifact with restore: delete the uploaded snapshot once it is loaded (`delete-after-restore`). */
  deleteAfterRestore: boolean
  /** The artifact's passphrase (masked); undefined: the artifact holds the files as they are. */
  encryptWith?: string
  /** The canister whose snapshot `upload-artifact` may load into another one (`source-canister`). */
  sourceCanister?: Principal
  /** Whether an artifact of a fork's pull-request run may be used (`allow-fork-artifact`). */
  allowForkArtifact: boolean
}

// @actions/artifact refuses these in artifact names (upload-artifact's path-and-artifact-name-validation).
const FORBIDDEN_IN_ARTIFACT_NAMES = ['"', ':', '<', '>', '|', '*', '?', '\r', '\n', '\\', '/']

export function readTransferInputs(mode: Mode): TransferInputs {
  return {
    // upload-artifact only reads the directory, and may read any, as actions/upload-artifact does; a
    // download writes into it, so it stays where the job's own files are.
    path: readPath({ writes: mode !== 'upload-artifact' }),
    artifactName: readArtifactName(),
    retentionDays: getWholeNumber(Inputs.RetentionDays, { min: 1, max: 90 }),
    compressionLevel: readCompressionLevel(),
    concurrency: getWholeNumber(Inputs.Concurrency, { min: 1, max: 64 }, DEFAULT_CONCURRENCY) as number,
    cache: getBoolean(Inputs.Cache, false),
    fromRun: readOtherRun(),
    restore: getBoolean(Inputs.Restore, false),
    deleteAfterRestore: getBoolean(Inputs.DeleteAfterRestore, false),
    encryptWith: readPassphrase(),
    sourceCanister: readSourceCanister(),
    allowForkArtifact: getBoolean(Inputs.AllowForkArtifact, false)
  }
}

function readCompressionLevel(): CompressionLevel {
  const value = getTrimmed(Inputs.CompressionLevel)
  if (value === '' || value === AUTO) return AUTO
  if (!/^\d$/.test(value)) {
    throw new InputError(
      Inputs.CompressionLevel,
      `'${value}' is not accepted; expected ${AUTO} or a whole number from 0 to 9`
    )
  }
  return Number(value)
}

function readSourceCanister(): Principal | undefined {
  const value = getTrimmed(Inputs.SourceCanister)
  if (value === '') return undefined
  const principal = parsePrincipal(value)
  const problem = principal ? whyNotCanisterId(principal) : 'is not a principal'
  if (!principal || problem) {
    throw new InputError(
      Inputs.SourceCanister,
      `'${value}' ${problem}; expected the id of the canister the snapshot was taken from, as manifest.json names it`
    )
  }
  return principal
}

// Long enough that scrypt's cost, not its length, is what stands between a reader of the artifact and the
// snapshot.
const MIN_PASSPHRASE = 16

function readPassphrase(): string | undefined {
  // Taken as given: spaces at its ends may be part of it.
  const value = core.getInput(Inputs.EncryptWith, { trimWhitespace: false })
  if (value === '') return undefined
  core.setSecret(value)
  if (value.length < MIN_PASSPHRASE) {
    throw new InputError(
      Inputs.EncryptWith,
      `is ${value.length} characters long; expected a passphrase of at least ${MIN_PASSPHRASE}, from a secret`
    )
  }
  return value
}

function readPath(use: { writes: boolean }): string | undefined {
  const value = getTrimmed(Inputs.Path)
  if (value === '') return undefined
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
  const absolute = resolve(workspace, value)
  if (!use.writes) return absolute
  if (!isInsideJobDirs(absolute)) {
    throw new InputError(
      Inputs.Path,
      `'${value}' is outside the workspace and RUNNER_TEMP; expected a directory inside one of them to write the snapshot to`
    )
  }
  return absolute
}

/** Whether a path is in the job's own directories, the workspace or RUNNER_TEMP: where the action may write. */
export function isInsideJobDirs(absolute: string): boolean {
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
  const roots = [workspace, process.env.RUNNER_TEMP].filter((root): root is string => Boolean(root))
  return roots.some(root => {
    const rel = relative(resolve(root), absolute)
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
  })
}

export function checkArtifactName(name: string): string {
  const bad = FORBIDDEN_IN_ARTIFACT_NAMES.find(c => name.includes(c))
  if (bad !== undefined) {
    const shown = bad === '\r' || bad === '\n' ? 'a line break' : `'${bad}'`
    throw new InputError(
      Inputs.ArtifactName,
      `'${name.replace(/[\r\n]/g, ' ')}' contains ${shown}, which GitHub does not allow in artifact names; avoid " : < > | * ? \\ / and line breaks`
    )
  }
  if (name.length > 255) throw new InputError(Inputs.ArtifactName, 'is longer than 255 characters')
  return name
}

function readArtifactName(): string | undefined {
  const value = getTrimmed(Inputs.ArtifactName)
  return value === '' ? undefined : checkArtifactName(value)
}

function readOtherRun(): OtherRun | undefined {
  const runId = getWholeNumber(Inputs.RunId, { min: 1, max: Number.MAX_SAFE_INTEGER })
  const repository = getTrimmed(Inputs.Repository) || process.env.GITHUB_REPOSITORY || ''
  const token = getTrimmed(Inputs.GithubToken)
  // The runner masks secrets, but `github.token` passed as an expression is not one of them.
  if (token) core.setSecret(token)
  if (runId === undefined) {
    if (getTrimmed(Inputs.Repository)) throw new InputError(Inputs.Repository, "is used only with 'run-id'")
    return undefined
  }
  const [owner, repo, ...rest] = repository.split('/')
  if (!owner || !repo || rest.length > 0) {
    throw new InputError(Inputs.Repository, `'${repository}' is not 'owner/name'`)
  }
  if (!token) {
    throw new InputError(
      Inputs.GithubToken,
      "is required with 'run-id': a token with actions:read on the repository, such as ${{ github.token }}"
    )
  }
  return { runId, owner, repo, token }
}
