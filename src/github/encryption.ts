// `encrypt-with`: anyone who can read the repository can download its artifacts, so the snapshot goes into
// the artifact as ONE age file (age-encryption.org/v1, scrypt passphrase recipient) of a tar archive of the
// snapshot directory. age's header MAC binds the header to the passphrase, and its payload is a chunked AEAD
// (64 KiB chunks, each with its own counter nonce and a last-chunk flag), so dropping, reordering, swapping or
// cutting off any part of the archive fails to decrypt. Both directions stream: memory stays bounded.
import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import { Decrypter, Encrypter, type Identity, type Stanza } from 'age-encryption'
import { Inputs } from '../constants.js'
import { InputError } from '../errors.js'
import { ActionError } from '../ic/errors.js'
import { inert } from '../untrusted-text.js'

/** The one file of an encrypted artifact; `age -d snapshot.tar.age | tar -x` opens it by hand. */
export const ENCRYPTED_ARCHIVE_FILE = 'snapshot.tar.age'
/** What an artifact of an earlier, per-file format held; nothing was released in it, so it is only refused. */
export const EARLIER_FORMAT_FILE = 'ENCRYPTION.json'

/**
 * log2 of scrypt's N when encrypting: 18 is the age CLI's own default (age's scrypt.go), so an artifact is as
 * costly to guess as `age -p` output. The pure-JS scrypt here takes about 1.4 to 2.1 s and 256 MiB at 18
 * (0.2 s at 15, 0.45 s at 16, 0.75 s at 17, measured on this project's 2-core CI machine): once per step,
 * small beside a snapshot transfer.
 */
export const SCRYPT_WORK_FACTOR = 18
/**
 * Work factors a header may ask for. The header is read before its MAC can be checked, so its work factor is
 * attacker's text: age-encryption would run scrypt up to 2^20 (1 GiB, many seconds); this action never writes
 * more than SCRYPT_WORK_FACTOR, and never less than 15.
 */
export const SCRYPT_WORK_FACTOR_BOUNDS = { min: 15, max: SCRYPT_WORK_FACTOR } as const

type WebBytes = ReadableStream<Uint8Array>

/** Encrypts `plain` (the tar archive) to the passphrase; the result streams as it is read. */
export async function encryptingStream(plain: Readable, passphrase: string): Promise<Readable> {
  const encrypter = new Encrypter()
  encrypter.setPassphrase(passphrase)
  encrypter.setScryptWorkFactor(SCRYPT_WORK_FACTOR)
  const encrypted = await encrypter.encrypt(Readable.toWeb(plain) as unknown as WebBytes)
  return Readable.fromWeb(encrypted as unknown as NodeReadableStream<Uint8Array>)
}

/** A header that this action did not write and that is refused before any scrypt work. */
class RefusedHeader extends Error {}

/**
 * Looks at the header's stanzas before the passphrase identity does (age-encryption's Decrypter asks its
 * identities in the order they were added): one scrypt stanza whose work factor is within bounds passes on
 * to it; anything else stops here, before scrypt runs.
 */
class ScryptWorkFactorBounds implements Identity {
  unwrapFileKey(stanzas: Stanza[]): null {
    const [stanza] = stanzas
    if (stanzas.length !== 1 || stanza.args[0] !== 'scrypt')
      throw new RefusedHeader(
        `is not encrypted with a passphrase alone (its header names ${stanzas.length === 0 ? 'no recipient' : stanzas.map(s => inert(s.args[0] ?? '', 40)).join(', ')})`
      )
    // age-encryption.org/v1/scrypt: `-> scrypt <salt> <log2 N>`, log2 N a decimal without leading zeros.
    const logN = stanza.args[2] ?? ''
    const { min, max } = SCRYPT_WORK_FACTOR_BOUNDS
    if (!/^[1-9][0-9]{0,2}$/.test(logN) || Number(logN) < min || Number(logN) > max)
      throw new RefusedHeader(
        `asks for scrypt work factor 2^${inert(logN, 20)}; this action writes 2^${SCRYPT_WORK_FACTOR} and accepts 2^${min} to 2^${max}`
      )
    return null
  }
}

/**
 * Decrypts the age file `encrypted` with the passphrase; the header (and its MAC) is checked before this
 * returns, the payload chunk by chunk as the result is read. A payload that fails its check ends the result
 * with an ActionError naming the artifact.
 */
export async function decryptingStream(
  encrypted: Readable,
  passphrase: string,
  artifactName: string
): Promise<Readable> {
  const decrypter = new Decrypter()
  decrypter.addIdentity(new ScryptWorkFactorBounds())
  decrypter.addPassphrase(passphrase)
  let plain: WebBytes
  try {
    plain = await decrypter.decrypt(Readable.toWeb(encrypted) as unknown as WebBytes)
  } catch (error) {
    encrypted.destroy()
    if (error instanceof RefusedHeader)
      throw new ActionError(
        `The encrypted artifact '${artifactName}' ${error.message}: it was not made by this action, so nothing was decrypted.`
      )
    if (isFileError(error)) throw error
    // age-encryption: "no identity matched any of the file's recipients" when the passphrase does not open
    // the stanza, "invalid header HMAC" when it does but the header was changed.
    throw new InputError(
      Inputs.EncryptWith,
      `does not decrypt artifact '${artifactName}': a wrong passphrase, or the artifact was changed`
    )
  }
  return Readable.from(payload(plain, artifactName), { objectMode: false })
}

async function* payload(plain: WebBytes, artifactName: string): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of plain as unknown as AsyncIterable<Uint8Array>) yield chunk
  } catch (error) {
    if (isFileError(error)) throw error
    // The header checked out, so the passphrase is right: a chunk's tag failed, or the last chunk is missing.
    throw new ActionError(
      `The encrypted artifact '${artifactName}' was changed or cut short after it was encrypted (${inert(String((error as Error)?.message ?? error), 200)}); nothing was uploaded.`
    )
  }
}

function isFileError(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException)?.code === 'string' && error instanceof Error
}
