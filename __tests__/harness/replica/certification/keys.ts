// The replica's key material, as an application subnet on the IC has it (interface spec, "Certification",
// "Delegation" and "Query call signatures"): the root key, which clients fetch from /api/v2/status and which
// signs only the delegation; the subnet's own BLS key, which signs every certificate of calls and read_state;
// and one node key that signs query responses.
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

/** A BLS threshold key as a subnet holds it: its DER form, and signing of a state tree's root hash. */
export interface SubnetKey {
  der: Uint8Array
  signStateRoot(rootHash: Uint8Array): Uint8Array
}

export interface ReplicaKeys {
  /** The root subnet's key: the IC's root of trust. */
  root: SubnetKey
  rootKeyDer: Uint8Array
  /** The root subnet's id: with no delegation, clients take it to be the root key's self-authenticating id. */
  rootSubnetId: Principal
  /** The application subnet every canister lives on, and its key, delegated by the root. */
  subnet: SubnetKey
  subnetId: Principal
  nodeId: Principal
  nodeKeyDer: Uint8Array
  signResponse(responseHash: Uint8Array): Uint8Array
}

function blsKey(seed: Uint8Array, tag: number): SubnetKey {
  const bls = bls12_381.shortSignatures
  const secret = bls12_381.fields.Fr.toBytes(
    bls12_381.fields.Fr.create(
      BigInt('0x' + Buffer.from(sha256(concatBytes(seed, Uint8Array.of(tag)))).toString('hex'))
    )
  )
  return {
    der: concatBytes(BLS_DER_PREFIX, bls.getPublicKey(secret).toBytes(true)),
    signStateRoot: rootHash =>
      bls.sign(bls.hash(concatBytes(STATE_ROOT_DOMAIN, rootHash)), secret).toBytes(true)
  }
}

/** Keys derived from a seed, so that a replica restarted with the same seed keeps its identity. */
export function replicaKeys(seed: Uint8Array = crypto.getRandomValues(new Uint8Array(32))): ReplicaKeys {
  const root = blsKey(seed, 1)
  const subnet = blsKey(seed, 3)
  const nodeSecret = sha256(concatBytes(seed, Uint8Array.of(2)))
  const nodeKeyDer = concatBytes(ED25519_DER_PREFIX, ed25519.getPublicKey(nodeSecret))
  return {
    root,
    rootKeyDer: root.der,
    rootSubnetId: Principal.selfAuthenticating(root.der),
    subnet,
    // A subnet's id is the self-authenticating id of its first threshold key, as the registry makes it.
    subnetId: Principal.selfAuthenticating(subnet.der),
    nodeId: Principal.selfAuthenticating(nodeKeyDer),
    nodeKeyDer,
    signResponse: responseHash => ed25519.sign(concatBytes(RESPONSE_DOMAIN, responseHash), nodeSecret)
  }
}
