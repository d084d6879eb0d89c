// The controller's identity from the `identity` input: any PEM shape dfx, icp-cli or OpenSSL writes for an
// Ed25519, secp256k1 or P-256 (prime256v1) key, however the secret wrapped it. Every form of the key is masked
// in the log before anything else happens, and every rejection is one InputError line that carries none of it.
import type { SignIdentity } from '@icp-sdk/core/agent'
import type { Principal } from '@icp-sdk/core/principal'
import { InputError } from '../errors.js'
import { findPrivateKeyBlock, type KeyBlock } from './detect.js'
import { ed25519Identity } from './ed25519.js'
import { decryptPkcs8 } from './encrypted.js'
import { maskKeyMaterial } from './mask.js'
import { normalizeIdentityInput } from './normalize.js'
import { readPrivateKey, type PrivateKey } from './private-key.js'
import { identityProblem } from './problems.js'
import { P256KeyIdentity } from './p256.js'
import { NativeHashIdentity } from './request-id.js'
import { secp256k1Identity } from './secp256k1.js'

export type KeyKind = 'ed25519' | 'secp256k1' | 'prime256v1'

export interface ControllerIdentity {
  identity: SignIdentity
  principal: Principal
  keyKind: KeyKind
  /** e.g. 'SEC1 EC PRIVATE KEY (dfx)', 'PKCS#8 v2 Ed25519 (icp-cli)', 'encrypted PKCS#8' — for logs */
  format: string
}

export function loadIdentity(pem: string, password?: string): ControllerIdentity {
  maskKeyMaterial({ texts: [pem, password ?? ''] })
  try {
    const { blocks, wrappings } = normalizeIdentityInput(pem)
    const keyBlock = findPrivateKeyBlock(blocks)
    const key = readKeyBlock(keyBlock, password)
    const identity = new NativeHashIdentity(keyIdentity(key))
    const format = [describeFormat(keyBlock, key), ...wrappings].join(', ')
    return { identity, principal: identity.getPrincipal(), keyKind: key.keyKind, format }
  } catch (error) {
    if (error instanceof InputError) throw error
    // Not expected: a library's own message may quote what it was given, so only the error's class is kept.
    throw identityProblem(
      `found a key that could not be loaded (${(error as Error)?.name ?? 'unknown error'})`
    )
  }
}

function keyIdentity({ keyKind, bytes, structure }: PrivateKey): SignIdentity {
  if (keyKind === 'ed25519') return ed25519Identity(bytes, structure.publicKey)
  if (keyKind === 'prime256v1') return P256KeyIdentity.fromSecretKey(bytes)
  return secp256k1Identity(bytes)
}

function readKeyBlock({ container, block }: KeyBlock, password: string | undefined): PrivateKey {
  if (container === 'encrypted-pkcs8') {
    return readPrivateKey(decryptPkcs8(block, password), 'pkcs8', block.label)
  }
  return readPrivateKey(block.der, container, block.label)
}

/** Names the shape after the tool that writes it, so a log says which file the secret came from. */
function describeFormat({ container }: KeyBlock, { keyKind, structure }: PrivateKey): string {
  if (container === 'encrypted-pkcs8')
    return `encrypted PKCS#8 ${keyKind === 'ed25519' ? 'Ed25519' : keyKind}`
  if (container === 'sec1')
    return keyKind === 'secp256k1' ? 'SEC1 EC PRIVATE KEY (dfx)' : 'SEC1 EC PRIVATE KEY prime256v1 (OpenSSL)'
  if (keyKind !== 'ed25519') return `PKCS#8 ${keyKind} (icp-cli)`
  return structure.pkcs8Version === 1 ? 'PKCS#8 v2 Ed25519 (icp-cli)' : 'PKCS#8 v1 Ed25519 (OpenSSL)'
}
