// The replica's key material: one BLS root key (it acts as the root subnet, so no delegation) and one node
// key that signs query responses (interface spec, "Certification" and "Query call signatures").
import { bls12_381 } from '@noble/curves/bls12-381'
import { ed25519 } from '@noble/curves/ed25519'
import { sha256 } from '@noble/hashes/sha2'
import { concatBytes } from '@noble/hashes/utils'
import { Principal } from '@icp-sdk/core/principal'

// interface spec, "Root of trust": DER prefix of a BLS12-381 G2 public key.
const BLS_DER_PREFIX = Buffer.from(
  '308182301d060d2b0601040182dc7c0503010201060c2b0601040182dc7c05030201036100',
  'hex'
)
const ED25519_DER_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

const STATE_ROOT_DOMAIN = concatBytes(new Uint8Array([13]), new TextEncoder().encode('ic-state-root'))
const RESPONSE_DOMAIN = concatBytes(new Uint8Array([11]), new TextEncoder().encode('ic-response'))

export interface ReplicaKeys {
  rootKeyDer: Uint8Array
  subnetId: Principal
  nodeId: Principal
  nodeKeyDer: Uint8Array
  signStateRoot(rootHash: Uint8Array): Uint8Array
  signResponse(responseHash: Uint8Array): Uint8Array
}

/** Keys derived from a seed, so that a replica restarted with the same seed keeps its identity. */
export function replicaKeys(seed: Uint8Array = crypto.getRandomValues(new Uint8Array(32))): ReplicaKeys {
  const bls = bls12_381.shortSignatures
  const blsSecret = bls12_381.fields.Fr.toBytes(
    bls12_381.fields.Fr.create(
      BigInt('0x' + Buffer.from(sha256(concatBytes(seed, Uint8Array.of(1)))).toString('hex'))
    )
  )
  const blsPublic = bls.getPublicKey(blsSecret).toBytes(true)
  const rootKeyDer = concatBytes(BLS_DER_PREFIX, blsPublic)

  const nodeSecret = sha256(concatBytes(seed, Uint8Array.of(2)))
  const nodeKeyDer = concatBytes(ED25519_DER_PREFIX, ed25519.getPublicKey(nodeSecret))

  return {
    rootKeyDer,
    subnetId: Principal.selfAuthenticating(rootKeyDer),
    nodeId: Principal.selfAuthenticating(nodeKeyDer),
    nodeKeyDer,
    signStateRoot: rootHash =>
      bls.sign(bls.hash(concatBytes(STATE_ROOT_DOMAIN, rootHash)), blsSecret).toBytes(true),
    signResponse: responseHash => ed25519.sign(concatBytes(RESPONSE_DOMAIN, responseHash), nodeSecret)
  }
}
