// Snapshot directories kept as workflow artifacts, through @actions/artifact.
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import * as core from '@actions/core'
import { DefaultArtifactClient, type FindOptions } from '@actions/artifact'
import { Inputs } from '../constants.js'
import { InputError } from '../errors.js'
import { ActionError, describe } from '../ic/errors.js'
import { artifactFormat, openEncryptedArchive, writeEncryptedArchive } from './encrypted-artifact.js'
import { ENCRYPTED_ARCHIVE_FILE } from './encryption.js'
import { chooseCompressionLevel, type CompressionChoice, type CompressionLevel } from './compression.js'

/** Where an artifact of another run lives, and the token that may read it. */
export interface OtherRun {
  runId: number
  owner: string
  repo: string
  token: string
}

export interface StoredArtifact {
  id: number
  digest?: string
  size: number
}

// Progress and lock files belong to an unfinished transfer on this machine, not to the snapshot.
const TRANSIENT_FILES = /^\.(download_progress|upload_progress)\.json(\.tmp)?$|^\.lock$/

async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter(entry => entry.isFile() && !TRANSIENT_FILES.test(entry.name))
    .map(entry => join(entry.parentPath, entry.name))
    .sort()
}

export async function keepAsArtifact(
  name: string,
  dir: string,
  options: { retentionDays?: number; compressionLevel: CompressionLevel; encryptWith?: string }
): Promise<StoredArtifact> {
  const plain = await filesBelow(dir)
  const names = plain.map(f => relative(dir, f).split('\\').join('/'))
  core.info(
    `Uploading ${plain.length} files as artifact '${name}'${options.encryptWith ? `, encrypted into ${ENCRYPTED_ARCHIVE_FILE}` : ''}: ${names.join(', ')}`
  )
  let root = dir
  let files = plain
  try {
    if (options.encryptWith) {
      root = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'encrypted-artifact-'))
      files = [await writeEncryptedArchive(dir, names, root, options.encryptWith)]
    }
    const compression = await chooseCompressionLevel(options.compressionLevel, files)
    core.info(compressionLine(compression))
    const result = await new DefaultArtifactClient().uploadArtifact(name, files, root, {
      compressionLevel: compression.level,
      ...(options.retentionDays ? { retentionDays: options.retentionDays } : {})
    })
    if (result.id === undefined)
      throw new ActionError(`The artifact '${name}' was not stored (the service returned no id).`)
    return { id: result.id, digest: result.digest, size: result.size ?? 0 }
  } catch (error) {
    if (error instanceof ActionError) throw error
    throw new ActionError(`Could not store the artifact '${name}': ${describe(error)}`)
  } finally {
    if (root !== dir) await rm(root, { recursive: true, force: true })
  }
}

function compressionLine(choice: CompressionChoice): string {
  if (choice.sampledRatio === undefined)
    return `Zip compression: level ${choice.level} (${Inputs.CompressionLevel})`
  const percent = `${(choice.sampledRatio * 100).toFixed(0)} %`
  const sample = `${(choice.sampledBytes / 1e6).toFixed(1)} MB sampled`
  return choice.level === 0
    ? `Zip compression: none, the files are stored (auto: deflate kept ${percent} of the bytes, ${sample})`
    : `Zip compression: level ${choice.level} (auto: deflate kept ${percent} of the bytes, ${sample})`
}

/**
 * Fetches an artifact of this run, or of another run, into `dir`, decrypting it with `encryptWith`; a digest
 * mismatch is a failure, and so is an encrypted artifact without the passphrase or a plain one with it.
 */
export async function fetchArtifact(
  name: string,
  dir: string,
  from?: OtherRun,
  encryptWith?: string
): Promise<StoredArtifact> {
  const client = new DefaultArtifactClient()
  const find: FindOptions = from
    ? {
        findBy: {
          token: from.token,
          workflowRunId: from.runId,
          repositoryOwner: from.owner,
          repositoryName: from.repo
        }
      }
    : {}
  const where = from ? `run ${from.runId} of ${from.owner}/${from.repo}` : 'this run'
  let artifact
  try {
    ;({ artifact } = await client.getArtifact(name, find))
  } catch (error) {
    throw new ActionError(`No artifact '${name}' in ${where}: ${describe(error)}`)
  }
  core.info(`Downloading artifact '${name}' (id ${artifact.id}, ${artifact.size} bytes) from ${where}`)
  // The digest is only compared when it is passed in; without one, SHA256SUMS is the only check left.
  if (!artifact.digest)
    core.info(`The artifact '${name}' has no recorded digest; its files are checked against SHA256SUMS only`)
  const downloaded = await client
    .downloadArtifact(artifact.id, {
      path: dir,
      ...(artifact.digest ? { expectedHash: artifact.digest } : {}),
      ...find
    })
    .catch(error => {
      throw new ActionError(`Could not download the artifact '${name}' from ${where}: ${describe(error)}`)
    })
  if (downloaded.digestMismatch) {
    throw new ActionError(
      `The artifact '${name}' from ${where} does not match its recorded digest ${artifact.digest ?? ''}; it was changed or damaged in storage, so nothing was uploaded.`
    )
  }
  const encrypted = (await artifactFormat(dir, name)) === 'encrypted'
  if (encrypted && !encryptWith) {
    throw new InputError(Inputs.EncryptWith, `is required: artifact '${name}' is encrypted`)
  }
  if (!encrypted && encryptWith) {
    throw new InputError(Inputs.EncryptWith, `is given, but artifact '${name}' is not encrypted`)
  }
  if (encrypted) {
    const count = await openEncryptedArchive(dir, encryptWith as string, name)
    core.info(`Decrypted artifact '${name}': ${count} files from ${ENCRYPTED_ARCHIVE_FILE}`)
  }
  return { id: artifact.id, digest: artifact.digest, size: artifact.size }
}
