// What an artifact holds under `encrypt-with`: exactly one file, snapshot.tar.age, the age encryption of the
// snapshot directory's tar archive. Written from the directory and read back into an empty one, streaming.
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, readdir, rename, rm } from 'node:fs/promises'
import { basename, dirname, join, relative } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { InputError } from '../errors.js'
import { ActionError } from '../ic/errors.js'
import { inert } from '../untrusted-text.js'
import {
  decryptingStream,
  EARLIER_FORMAT_FILE,
  ENCRYPTED_ARCHIVE_FILE,
  encryptingStream
} from './encryption.js'
import { extractSnapshotArchive, packSnapshotDir, SnapshotArchiveError } from './snapshot-archive.js'

/** Writes `files` (relative to `dir`) into `target`/snapshot.tar.age; returns that file's path. */
export async function writeEncryptedArchive(
  dir: string,
  files: readonly string[],
  target: string,
  passphrase: string
): Promise<string> {
  const out = join(target, ENCRYPTED_ARCHIVE_FILE)
  await pipeline(await encryptingStream(packSnapshotDir(dir, files), passphrase), createWriteStream(out))
  return out
}

/** Every file and directory below `dir`, relative, with '/'. */
async function entriesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.map(entry => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/')).sort()
}

/**
 * How a downloaded artifact in `dir` is stored: 'encrypted' when it holds snapshot.tar.age (and then nothing
 * else), 'plain' otherwise. An artifact of the earlier per-file format is refused.
 */
export async function artifactFormat(dir: string, artifactName: string): Promise<'encrypted' | 'plain'> {
  const entries = await entriesBelow(dir)
  if (entries.includes(EARLIER_FORMAT_FILE))
    throw new ActionError(
      `The artifact '${artifactName}' was encrypted by an earlier format of this action (it holds ${EARLIER_FORMAT_FILE}); download the snapshot again.`
    )
  if (!entries.includes(ENCRYPTED_ARCHIVE_FILE)) return 'plain'
  const other = entries.find(entry => entry !== ENCRYPTED_ARCHIVE_FILE)
  if (other !== undefined)
    throw new ActionError(
      `The encrypted artifact '${artifactName}' holds '${inert(other, 200)}' beside ${ENCRYPTED_ARCHIVE_FILE}, and an encrypted artifact holds nothing else; nothing was decrypted.`
    )
  return 'encrypted'
}

/**
 * Decrypts `dir`/snapshot.tar.age and extracts it into `dir`, which then holds only the snapshot's files.
 * The archive is first moved out, so that the extraction starts in an empty directory. On any failure `dir`
 * is left empty. Returns the number of files extracted.
 */
export async function openEncryptedArchive(
  dir: string,
  passphrase: string,
  artifactName: string
): Promise<number> {
  const aside = await mkdtemp(join(dirname(dir), `.${basename(dir)}-encrypted-`))
  const archive = join(aside, ENCRYPTED_ARCHIVE_FILE)
  await rename(join(dir, ENCRYPTED_ARCHIVE_FILE), archive)
  try {
    const plain = await decryptingStream(createReadStream(archive), passphrase, artifactName)
    const files = await extractSnapshotArchive(plain, dir)
    return files.length
  } catch (error) {
    for (const entry of await readdir(dir)) await rm(join(dir, entry), { recursive: true, force: true })
    if (error instanceof SnapshotArchiveError)
      throw new ActionError(
        `The encrypted artifact '${artifactName}' is not a snapshot of this action: its archive ${error.message}; nothing was uploaded.`
      )
    if (error instanceof InputError || error instanceof ActionError) throw error
    throw new ActionError(
      `Could not decrypt the artifact '${artifactName}': ${(error as Error)?.message ?? error}`
    )
  } finally {
    await rm(aside, { recursive: true, force: true })
  }
}
