// `ENCRYPTED PRIVATE KEY` is EncryptedPrivateKeyInfo (RFC 5958 §3), in practice PBES2 from `openssl pkcs8
// -topk8` or `icp identity export --encrypt` (scrypt, decrypted by hand: see scrypt-pbes2.ts). OpenSSL
// decrypts the rest; the result goes back out as plain PKCS#8 DER, read like any other `PRIVATE KEY`.
import { createPrivateKey } from 'node:crypto'
import { Inputs } from '../constants.js'
import { InputError } from '../errors.js'
import { readSequence } from './der.js'
import { maskKeyMaterial } from './mask.js'
import type { PemBlock } from './normalize.js'
import { identityProblem } from './problems.js'
import { decryptScryptPbes2, readScryptPbes2, type ScryptPbes2 } from './scrypt-pbes2.js'

export function decryptPkcs8(block: PemBlock, password: string | undefined): Uint8Array {
  if (!password) throw new InputError(Inputs.IdentityPassword, 'is required: the identity PEM is encrypted')
  // A cut-off or damaged file must not be blamed on the password.
  try {
    readSequence(block.der)
  } catch {
    throw identityProblem(`found a PEM '${block.label}' block whose contents are not valid DER (truncated?)`)
  }
  let der: Uint8Array
  try {
    const scrypt = scryptParameters(block.der)
    if (scrypt) {
      der = decryptScryptPbes2(scrypt, password)
      // A wrong password passes the padding check about once in 256 tries, and then yields garbage.
      readSequence(der)
    } else {
      const key = createPrivateKey({ key: block.text, format: 'pem', passphrase: password })
      der = new Uint8Array(key.export({ type: 'pkcs8', format: 'der' }))
    }
  } catch {
    // OpenSSL reports a wrong password as a bad decrypt, or, when the padding happens to check out, as
    // garbage that does not decode; its messages are dropped either way.
    throw new InputError(Inputs.IdentityPassword, 'does not decrypt the identity PEM')
  }
  maskKeyMaterial({ bytes: [der] })
  return der
}

function scryptParameters(der: Uint8Array): ScryptPbes2 | undefined {
  try {
    return readScryptPbes2(der)
  } catch {
    // Not the shape icp-cli writes: OpenSSL gets to judge it.
    return undefined
  }
}
