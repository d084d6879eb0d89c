// The private key proper, out of PKCS#8 or SEC1 DER. The structure is read by hand (key-structures.ts) so the
// algorithm and curve are known whatever the runtime's OpenSSL; the key bytes come from OpenSSL through
// node:crypto's JWK export (`d`), which also validates the key. One exception is taken by hand: Ed25519
// PKCS#8 v2 (icp-cli's export), which OpenSSL 3.0 (Node 20) rejects and OpenSSL 3.5 (Node 24) reads.
import { createPrivateKey } from 'node:crypto'
import type { KeyKind } from './index.js'
import { readPkcs8, readSec1, type KeyStructure } from './key-structures.js'
import { maskKeyMaterial } from './mask.js'
import { describeKeyType, identityProblem } from './problems.js'

export interface PrivateKey {
  keyKind: KeyKind
  /** The Ed25519 seed, or the secp256k1 or prime256v1 scalar. */
  bytes: Uint8Array
  structure: KeyStructure
}

export type PlainContainer = 'pkcs8' | 'sec1'

const CONTAINER_NAMES: Record<PlainContainer, string> = { pkcs8: 'PKCS#8', sec1: 'SEC1' }

/** `label` is only for messages: the PEM block the DER came from. */
export function readPrivateKey(der: Uint8Array, container: PlainContainer, label: string): PrivateKey {
  let structure: KeyStructure
  try {
    structure = container === 'sec1' ? readSec1(der) : readPkcs8(der)
  } catch {
    const shape = CONTAINER_NAMES[container]
    throw identityProblem(
      `found a PEM '${label}' block that is not a valid ${shape} key (truncated or corrupted?)`
    )
  }
  maskKeyMaterial({ bytes: [structure.privateKey] })
  const keyKind = keyKindOf(structure)
  if (keyKind === undefined) {
    throw identityProblem(
      `found ${describeKeyType(structure.algorithm, structure.curve)} in a PEM '${label}' block`
    )
  }
  const bytes =
    privateKeyFromOpenSsl(der, container) ?? (keyKind === 'ed25519' ? structure.privateKey : undefined)
  if (bytes === undefined) {
    throw identityProblem(
      `found a ${keyKind} key in a PEM '${label}' block that OpenSSL cannot read (corrupted?)`
    )
  }
  maskKeyMaterial({ bytes: [bytes] })
  return { keyKind, bytes, structure }
}

function keyKindOf({ algorithm, curve }: KeyStructure): KeyKind | undefined {
  if (algorithm === 'ed25519') return 'ed25519'
  if (algorithm === 'ec' && curve === 'secp256k1') return 'secp256k1'
  if (algorithm === 'ec' && curve === 'prime256v1') return 'prime256v1'
  return undefined
}

/** undefined when OpenSSL cannot read the key; its error messages are dropped, not passed on. */
function privateKeyFromOpenSsl(der: Uint8Array, container: PlainContainer): Uint8Array | undefined {
  try {
    const key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: container })
    const { d } = key.export({ format: 'jwk' })
    return typeof d === 'string' ? new Uint8Array(Buffer.from(d, 'base64url')) : undefined
  } catch {
    return undefined
  }
}
