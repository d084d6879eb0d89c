// The interface spec's request id (the representation-independent hash of a request's content) with
// node:crypto's SHA-256. @icp-sdk/core hashes with pure-JS SHA-256, and an upload slice's request carries a
// 2 MB argument, hashed once for the signature and once more by the agent: this takes one of the two off the
// JS thread. The rules follow @icp-sdk/core's requestIdOf (agent/request_id.ts) value by value, and
// __tests__/identity/request-id.test.ts holds the two to the same ids.
import { createHash } from 'node:crypto'
import {
  IC_REQUEST_DOMAIN_SEPARATOR,
  SignIdentity,
  type HttpAgentRequest,
  type PublicKey,
  type Signature
} from '@icp-sdk/core/agent'
import { lebEncode } from '@icp-sdk/core/candid'
import type { Principal } from '@icp-sdk/core/principal'

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part)
  return hash.digest()
}

function hashValue(value: unknown): Buffer {
  if (typeof value === 'string') return sha256(Buffer.from(value, 'utf8'))
  if (typeof value === 'number' || typeof value === 'bigint') return sha256(new Uint8Array(lebEncode(value)))
  if (ArrayBuffer.isView(value))
    return sha256(new Uint8Array(value.buffer, value.byteOffset, value.byteLength))
  if (Array.isArray(value)) return sha256(...value.map(hashValue))
  if (value && typeof value === 'object') {
    const object = value as {
      _isPrincipal?: boolean
      toUint8Array?: () => Uint8Array
      toHash?: () => unknown
    }
    if (object._isPrincipal && object.toUint8Array) return sha256(object.toUint8Array())
    if (typeof object.toHash === 'function') return hashValue(object.toHash())
    return hashOfMap(value as Record<string, unknown>)
  }
  throw new Error(`a request field of type ${typeof value} has no hash`)
}

function hashOfMap(map: Record<string, unknown>): Buffer {
  const pairs = Object.entries(map)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => [sha256(Buffer.from(key, 'utf8')), hashValue(value)] as const)
    .sort(([a], [b]) => Buffer.compare(a, b))
  return sha256(...pairs.flat())
}

/** The request id of a request's content. */
export function requestIdOf(content: Record<string, unknown>): Uint8Array {
  return new Uint8Array(hashOfMap(content))
}

/** A key's identity whose requests are hashed by requestIdOf above and signed by the key itself. */
export class NativeHashIdentity extends SignIdentity {
  constructor(private readonly key: SignIdentity) {
    super()
  }

  getPublicKey(): PublicKey {
    return this.key.getPublicKey()
  }

  sign(blob: Uint8Array): Promise<Signature> {
    return this.key.sign(blob)
  }

  override getPrincipal(): Principal {
    return this.key.getPrincipal()
  }

  // SignIdentity.transformRequest, with the request id computed natively.
  override async transformRequest(request: HttpAgentRequest): Promise<unknown> {
    const { body, ...fields } = request
    const requestId = requestIdOf(body as unknown as Record<string, unknown>)
    return {
      ...fields,
      body: {
        content: body,
        sender_pubkey: this.getPublicKey().toDer(),
        sender_sig: await this.sign(new Uint8Array(Buffer.concat([IC_REQUEST_DOMAIN_SEPARATOR, requestId])))
      }
    }
  }
}
