// Ed25519 identities from a 32-byte seed (RFC 8032 §5.1.5). @icp-sdk/core/identity has no PEM reader, only
// `fromSecretKey(seed)`. icp-cli writes the public key beside the seed (PKCS#8 v2): it must match the seed,
// or the file is damaged and would sign as some other principal.
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { identityProblem } from './problems.js'

const SEED_LENGTH = 32

export function ed25519Identity(seed: Uint8Array, storedPublicKey?: Uint8Array): Ed25519KeyIdentity {
  if (seed.length !== SEED_LENGTH) {
    throw identityProblem(`found an Ed25519 key whose seed is ${seed.length} bytes, not ${SEED_LENGTH}`)
  }
  let identity: Ed25519KeyIdentity
  try {
    identity = Ed25519KeyIdentity.fromSecretKey(seed)
  } catch {
    throw identityProblem('found an Ed25519 key that cannot be loaded (corrupted?)')
  }
  if (storedPublicKey !== undefined && !equalBytes(storedPublicKey, identity.getPublicKey().toRaw())) {
    throw identityProblem('found an Ed25519 key whose stored public key does not match its seed (corrupted?)')
  }
  return identity
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i])
}
