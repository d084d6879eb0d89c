// secp256k1 identities from the 32-byte private scalar (SEC 1 §3.2.1). `Secp256k1KeyIdentity.fromPem` is not
// used: it reads only SEC1 whose first line is `BEGIN EC PRIVATE KEY`, so neither icp-cli's PKCS#8 nor a
// file that starts with `EC PARAMETERS`.
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1'
import { identityProblem } from './problems.js'

const SCALAR_LENGTH = 32

export function secp256k1Identity(scalar: Uint8Array): Secp256k1KeyIdentity {
  if (scalar.length !== SCALAR_LENGTH) {
    throw identityProblem(
      `found a secp256k1 key whose private key is ${scalar.length} bytes, not ${SCALAR_LENGTH}`
    )
  }
  try {
    // Throws for 0 or a scalar not below the group order.
    return Secp256k1KeyIdentity.fromSecretKey(scalar)
  } catch {
    throw identityProblem('found a secp256k1 key whose private key is out of range (corrupted?)')
  }
}
