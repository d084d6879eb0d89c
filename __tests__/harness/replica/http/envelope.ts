// Envelope checks the IC makes before a request reaches execution (interface spec, "Authentication").
import { requestIdOf } from '@icp-sdk/core/agent'
import { ed25519 } from '@noble/curves/ed25519'
import { secp256k1 } from '@noble/curves/secp256k1'
import { p256 } from '@noble/curves/nist'
import { sha256 } from '@noble/hashes/sha2'
import { concatBytes } from '@noble/hashes/utils'
import { Principal } from '@icp-sdk/core/principal'

const REQUEST_DOMAIN = concatBytes(new Uint8Array([10]), new TextEncoder().encode('ic-request'))
// interface spec, "Signatures": the DER prefixes of the supported sender key types.
const ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
const SECP256K1_PREFIX = Buffer.from('3056301006072a8648ce3d020106052b8104000a034200', 'hex')
const P256_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex')

// interface spec, "Request expiry": at most 5 minutes ahead, plus the drift the IC tolerates.
const MAX_INGRESS_TTL_NS = 5n * 60n * 1_000_000_000n
const PERMITTED_DRIFT_NS = 60n * 1_000_000_000n

export class EnvelopeError extends Error {}

export interface RequestContent {
  request_type: 'call' | 'query' | 'read_state'
  sender: Uint8Array
  ingress_expiry: bigint | number
  canister_id?: Uint8Array
  method_name?: string
  arg?: Uint8Array
  nonce?: Uint8Array
  paths?: Uint8Array[][]
  [key: string]: unknown
}

export interface Envelope {
  content: RequestContent
  sender_pubkey?: Uint8Array
  sender_sig?: Uint8Array
  sender_delegation?: unknown
}

export interface AuthenticatedRequest {
  content: RequestContent
  requestId: Uint8Array
  sender: Principal
}

export function authenticate(
  envelope: Envelope,
  expectedType: RequestContent['request_type'],
  nowNs: bigint
): AuthenticatedRequest {
  const content = envelope?.content
  if (!content || typeof content !== 'object')
    throw new EnvelopeError('Could not parse body as request envelope')
  if (content.request_type !== expectedType) {
    throw new EnvelopeError(`Expected request type ${expectedType}, got ${String(content.request_type)}`)
  }
  checkExpiry(BigInt(content.ingress_expiry), nowNs)
  const sender = Principal.fromUint8Array(new Uint8Array(content.sender))
  const requestId = new Uint8Array(requestIdOf(content as unknown as Record<string, unknown>))
  if (sender.isAnonymous()) {
    if (envelope.sender_pubkey || envelope.sender_sig) {
      throw new EnvelopeError('Anonymous requests must not carry a sender key or signature')
    }
    return { content, requestId, sender }
  }
  if (envelope.sender_delegation) throw new EnvelopeError('Delegations are not supported by this replica')
  if (!envelope.sender_pubkey || !envelope.sender_sig) {
    throw new EnvelopeError(`Missing signature for non-anonymous sender ${sender.toText()}`)
  }
  const publicKeyDer = new Uint8Array(envelope.sender_pubkey)
  const derived = Principal.selfAuthenticating(publicKeyDer)
  if (derived.toText() !== sender.toText()) {
    throw new EnvelopeError(
      `Sender ${sender.toText()} does not match the public key's principal ${derived.toText()}`
    )
  }
  if (
    !verifySignature(
      publicKeyDer,
      new Uint8Array(envelope.sender_sig),
      concatBytes(REQUEST_DOMAIN, requestId)
    )
  ) {
    throw new EnvelopeError(`Invalid signature: the signature of sender ${sender.toText()} does not verify`)
  }
  return { content, requestId, sender }
}

function checkExpiry(expiry: bigint, nowNs: bigint): void {
  const latest = nowNs + MAX_INGRESS_TTL_NS + PERMITTED_DRIFT_NS
  if (expiry < nowNs || expiry > latest) {
    // Clients recognise this prefix and resynchronise their clock (agent-js `syncTime`).
    throw new EnvelopeError(
      `Invalid request expiry: Specified ingress_expiry not within expected range: Minimum allowed expiry: ${nowNs}, Maximum allowed expiry: ${latest}, Provided expiry: ${expiry}`
    )
  }
}

function verifySignature(publicKeyDer: Uint8Array, signature: Uint8Array, message: Uint8Array): boolean {
  const der = Buffer.from(publicKeyDer)
  try {
    if (der.subarray(0, ED25519_PREFIX.length).equals(ED25519_PREFIX)) {
      return ed25519.verify(signature, message, publicKeyDer.subarray(ED25519_PREFIX.length))
    }
    // interface spec, "ECDSA": the signature is over sha256(message); secp256k1 enforces low S.
    if (der.subarray(0, SECP256K1_PREFIX.length).equals(SECP256K1_PREFIX)) {
      return secp256k1.verify(signature, sha256(message), publicKeyDer.subarray(SECP256K1_PREFIX.length))
    }
    if (der.subarray(0, P256_PREFIX.length).equals(P256_PREFIX)) {
      return p256.verify(signature, sha256(message), publicKeyDer.subarray(P256_PREFIX.length), {
        lowS: false
      })
    }
  } catch {
    return false
  }
  throw new EnvelopeError('Unsupported sender public key type (expected Ed25519, secp256k1 or P-256 DER)')
}
