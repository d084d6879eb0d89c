// PBES2 with scrypt (RFC 7914 §7), as `icp identity export --encrypt` writes it: N = 2^17, r = 8, so the key
// derivation needs 128 MiB, four times what OpenSSL allows by default; Node cannot raise that limit for
// createPrivateKey, but its scrypt takes one. Other PBES2 forms stay with OpenSSL.
import { createDecipheriv, scryptSync } from 'node:crypto'
import { DerError, expectTag, readElements, readObjectIdentifier, readSequence, Tag } from './der.js'

const PBES2 = '1.2.840.113549.1.5.13'
const SCRYPT = '1.3.6.1.4.1.11591.4.11'
const AES_CBC: Record<string, { cipher: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { cipher: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { cipher: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { cipher: 'aes-256-cbc', keyLength: 32 }
}
// 2^20 · 8 · 128 bytes = 1 GiB: far above any parameters a tool writes, low enough to refuse a hostile file.
const MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024

export interface ScryptPbes2 {
  salt: Uint8Array
  cost: number
  blockSize: number
  parallelization: number
  cipher: string
  keyLength: number
  iv: Uint8Array
  encrypted: Uint8Array
}

/** The scrypt parameters of an EncryptedPrivateKeyInfo, or undefined when it uses another scheme. */
export function readScryptPbes2(der: Uint8Array): ScryptPbes2 | undefined {
  const [algorithm, data] = readSequence(der)
  const [schemeOid, schemeParams] = readElements(expectTag(algorithm, Tag.Sequence, 'AlgorithmIdentifier'))
  if (readObjectIdentifier(schemeOid, 'encryption scheme') !== PBES2) return undefined
  const [kdf, encryption] = readElements(expectTag(schemeParams, Tag.Sequence, 'PBES2-params'))
  const [kdfOid, kdfParams] = readElements(expectTag(kdf, Tag.Sequence, 'key derivation function'))
  if (readObjectIdentifier(kdfOid, 'key derivation function') !== SCRYPT) return undefined
  const [salt, cost, blockSize, parallelization] = readElements(
    expectTag(kdfParams, Tag.Sequence, 'scrypt-params')
  )
  const [cipherOid, iv] = readElements(expectTag(encryption, Tag.Sequence, 'encryption scheme'))
  const aes = AES_CBC[readObjectIdentifier(cipherOid, 'cipher')]
  if (!aes) return undefined
  return {
    salt: expectTag(salt, Tag.OctetString, 'salt'),
    cost: readUnsigned(cost, 'cost'),
    blockSize: readUnsigned(blockSize, 'block size'),
    parallelization: readUnsigned(parallelization, 'parallelization'),
    ...aes,
    iv: expectTag(iv, Tag.OctetString, 'IV'),
    encrypted: expectTag(data, Tag.OctetString, 'encrypted data')
  }
}

/** The PKCS#8 DER inside; throws on a wrong password (bad padding). */
export function decryptScryptPbes2(params: ScryptPbes2, password: string): Uint8Array {
  const memory = 128 * params.cost * params.blockSize * params.parallelization
  if (memory > MAX_SCRYPT_MEMORY) throw new DerError('scrypt parameters need more than 1 GiB')
  const key = scryptSync(Buffer.from(password, 'utf8'), params.salt, params.keyLength, {
    N: params.cost,
    r: params.blockSize,
    p: params.parallelization,
    maxmem: memory + 16 * 1024 * 1024
  })
  try {
    const decipher = createDecipheriv(params.cipher, key, params.iv)
    return new Uint8Array(Buffer.concat([decipher.update(params.encrypted), decipher.final()]))
  } finally {
    key.fill(0)
  }
}

function readUnsigned(element: Parameters<typeof expectTag>[0], what: string): number {
  const contents = expectTag(element, Tag.Integer, what)
  if (contents.length === 0 || contents.length > 6 || contents[0] & 0x80) throw new DerError(`bad ${what}`)
  return contents.reduce((value, byte) => value * 256 + byte, 0)
}
