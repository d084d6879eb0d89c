// Every rejection of the identity input is one line that names what was found and lists what works. None
// carries a byte of the key, its base64 or the input text: callers pass only labels and shape names here.
import { Inputs } from '../constants.js'
import { InputError } from '../errors.js'

export const SUPPORTED_SHAPES =
  'expected an Ed25519, secp256k1 or prime256v1 (P-256) private key PEM (dfx EC PRIVATE KEY, ' +
  'icp-cli/OpenSSL PRIVATE KEY, ' +
  'or ENCRYPTED PRIVATE KEY with identity-password), optionally base64-encoded'

/** `found` completes "Input 'identity': …", e.g. "found a PEM 'CERTIFICATE' block, not a private key". */
export function identityProblem(found: string): InputError {
  return new InputError(Inputs.Identity, `${found}; ${SUPPORTED_SHAPES}`)
}

/** Curve names as OpenSSL (and node:crypto's namedCurve) spell them, with the NIST alias where there is one. */
const CURVE_DESCRIPTIONS: Record<string, string> = {
  prime256v1: 'prime256v1 (P-256)',
  secp384r1: 'secp384r1 (P-384)',
  secp521r1: 'secp521r1 (P-521)'
}

const ALGORITHM_DESCRIPTIONS: Record<string, string> = {
  rsa: 'an RSA private key',
  'rsa-pss': 'an RSA-PSS private key',
  dsa: 'a DSA private key',
  ed448: 'an Ed448 private key',
  x25519: 'an X25519 (key agreement) private key',
  x448: 'an X448 (key agreement) private key'
}

/** e.g. "an RSA private key", "an EC private key on curve prime256v1 (P-256)". */
export function describeKeyType(algorithm: string, curve?: string): string {
  if (algorithm === 'ec') {
    if (curve === undefined) return 'an EC private key without a named curve'
    return `an EC private key on curve ${CURVE_DESCRIPTIONS[curve] ?? curve}`
  }
  return ALGORITHM_DESCRIPTIONS[algorithm] ?? `a private key of algorithm ${algorithm}`
}
