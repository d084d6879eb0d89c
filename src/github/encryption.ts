// `encrypt-with`: the snapshot's files go into the artifact encrypted, since anyone who can read the
// repository can download its artifacts. Each file is AES-256-GCM under a key derived from the passphrase
// with scrypt, with its own random nonce and its path as associated data (files cannot be swapped or
// renamed unnoticed); ENCRYPTION.json says how. Files stream through the cipher: memory stays bounded.
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { promisify } from 'node:util'
import { Inputs } from '../constants.js'
import { InputError } from '../errors.js'

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  length: number,
  options: { N: number; r: number; p: number; maxmem: number }
) => Promise<Buffer>

export const ENCRYPTION_FILE = 'ENCRYPTION.json'
const FORMAT = 'canister-snapshot-action/aes-256-gcm-scrypt/v1'
const SUFFIX = '.enc'
const NONCE = 12
const TAG = 16
// 32 MiB of scrypt work per artifact: far costlier to guess than to derive once.
const KDF = { N: 2 ** 15, r: 8, p: 1 }

interface EncryptionRecord {
  format: string
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string }
  files: string[]
}

async function deriveKey(passphrase: string, salt: Buffer, kdf: { N: number; r: number; p: number }) {
  return scrypt(passphrase, salt, 32, { ...kdf, maxmem: 128 * kdf.N * kdf.r * kdf.p + 16 * 1024 * 1024 })
}

/** Encrypts `files` (below `dir`) into `target`, which then holds only ciphertext and ENCRYPTION.json. */
export async function encryptFiles(dir: string, files: string[], target: string, passphrase: string) {
  const salt = randomBytes(16)
  const key = await deriveKey(passphrase, salt, KDF)
  const names: string[] = []
  try {
    for (const file of files) {
      const name = relative(dir, file).split('\\').join('/')
      const out = join(target, name + SUFFIX)
      await mkdir(dirname(out), { recursive: true })
      const nonce = randomBytes(NONCE)
      const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(Buffer.from(name))
      const sink = createWriteStream(out)
      sink.write(nonce)
      await pipeline(createReadStream(file), cipher, sink, { end: false })
      await new Promise<void>((resolve, reject) =>
        sink.end(cipher.getAuthTag(), (e?: Error | null) => (e ? reject(e) : resolve()))
      )
      names.push(name)
    }
  } finally {
    key.fill(0)
  }
  const record: EncryptionRecord = {
    format: FORMAT,
    kdf: { name: 'scrypt', ...KDF, salt: salt.toString('base64') },
    files: names
  }
  await writeFile(join(target, ENCRYPTION_FILE), `${JSON.stringify(record, null, 2)}\n`)
}

export async function isEncrypted(dir: string): Promise<boolean> {
  return stat(join(dir, ENCRYPTION_FILE)).then(
    () => true,
    () => false
  )
}

/**
 * Decrypts an encrypted artifact in `dir` in place. A file is written under its name only once its tag
 * checked out; a wrong passphrase or a changed file is an error naming `encrypt-with`.
 */
export async function decryptDir(dir: string, passphrase: string, artifactName: string): Promise<void> {
  const record = JSON.parse(await readFile(join(dir, ENCRYPTION_FILE), 'utf8')) as EncryptionRecord
  if (record.format !== FORMAT) {
    throw new InputError(
      Inputs.EncryptWith,
      `artifact '${artifactName}' is encrypted in an unknown format (${record.format})`
    )
  }
  const { N, r, p, salt } = record.kdf
  const key = await deriveKey(passphrase, Buffer.from(salt, 'base64'), { N, r, p })
  try {
    for (const name of record.files) {
      const encrypted = join(dir, name + SUFFIX)
      const out = join(dir, name)
      const size = (await stat(encrypted)).size
      const handle = await open(encrypted, 'r')
      const nonce = Buffer.alloc(NONCE)
      const tag = Buffer.alloc(TAG)
      try {
        await handle.read(nonce, 0, NONCE, 0)
        await handle.read(tag, 0, TAG, size - TAG)
      } finally {
        await handle.close()
      }
      const decipher = createDecipheriv('aes-256-gcm', key, nonce).setAAD(Buffer.from(name)).setAuthTag(tag)
      const partial = `${out}.partial`
      try {
        await pipeline(
          createReadStream(encrypted, { start: NONCE, end: size - TAG - 1 }),
          decipher,
          createWriteStream(partial)
        )
      } catch {
        await rm(partial, { force: true })
        throw new InputError(
          Inputs.EncryptWith,
          `does not decrypt artifact '${artifactName}' (${name}): a wrong passphrase, or the artifact was changed`
        )
      }
      await rename(partial, out)
      await rm(encrypted)
    }
  } finally {
    key.fill(0)
  }
  await rm(join(dir, ENCRYPTION_FILE))
}
