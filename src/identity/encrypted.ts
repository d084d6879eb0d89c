// `ENCRYPTED PRIVATE KEY` is EncryptedPrivateKeyInfo (RFC 5958 §3), in practice PBES2 from `openssl pkcs8
// -topk8` or `icp identity import --decryption-password-from-file`. OpenSSL decrypts it; the result goes
// back out as plain PKCS#8 DER so that it is read like any other `PRIVATE KEY`.
import { createPrivateKey } from 'node:crypto'
import { Inputs } from '../constants.js'
import { InputError } from '../errors.js'
import { readSequence } from './der.js'
import { maskKeyMaterial } from './mask.js'
import type { PemBlock } from './normalize.js'
import { identityProblem } from './problems.js'

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
    const key = createPrivateKey({ key: block.text, format: 'pem', passphrase: password })
    der = new Uint8Array(key.export({ type: 'pkcs8', format: 'der' }))
  } catch {
    // OpenSSL reports a wrong password as a bad decrypt, or, when the padding happens to check out, as
    // garbage that does not decode; its messages are dropped either way.
    throw new InputError(Inputs.IdentityPassword, 'does not decrypt the identity PEM')
  }
  maskKeyMaterial({ bytes: [der] })
  return der
}
