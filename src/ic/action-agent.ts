// The HttpAgent the action talks through. Every certificate of its update calls is checked with the action's
// BLS verification (bls-verify.ts), and so are those of its canister state reads (the SDK's pure-JS one
// stays only where it leaves no way to pass another: the subnet keys for query signatures). And a 2 MB snapshot slice comes back as one leaf of its call's certificate. @icp-sdk/core would hash that leaf
// with pure-JS SHA-256 and copy it three times, most of a download's CPU (`npm run bench -- --profile`). For
// the calls certified-call.ts makes, this agent hashes the reply leaf once with node:crypto and hands the SDK
// the certificate with that leaf pruned to its digest. A pruned node stands for its subtree's hash, so the
// root hash, and with it the signature, is unchanged: every check the SDK makes (signature, delegation,
// canister ranges, time, the request's status, a certified reject, polling) still runs on the same tree.
// The reply is accepted only when the verified tree holds, at the reply's path, the pruned digest of exactly
// those bytes (`replyOf`).
import { createHash } from 'node:crypto'
import {
  Cbor,
  Certificate,
  HttpAgent,
  isV4ResponseBody,
  lookup_subtree,
  lookupResultToBuffer,
  LookupSubtreeStatus,
  NodeType,
  type CallOptions,
  type HashTree,
  type Identity,
  type RequestId,
  type SubmitResponse
} from '@icp-sdk/core/agent'
import type { Principal } from '@icp-sdk/core/principal'
import { blsVerify } from './bls-verify.js'

// The interface spec's leaf hash: H(domain_sep("ic-hashtree-leaf") · value), the separator its length first.
const LEAF_SEPARATOR = Buffer.concat([Buffer.from([16]), Buffer.from('ic-hashtree-leaf')])

interface PrunedReply {
  requestId: RequestId
  value: Uint8Array
  digest: Buffer
}

type CallFields = Parameters<HttpAgent['update']>[1]
type PollingOptions = NonNullable<Parameters<HttpAgent['update']>[2]>

export class ActionAgent extends HttpAgent {
  // Keyed by the fields object of one update, which HttpAgent.update hands on to call() as it is.
  readonly #pruning = new WeakMap<object, PrunedReply | null>()

  /** HttpAgent.update, its reply leaf hashed here: resolves with the certified reply, if there is one. */
  async certifiedUpdate(canisterId: Principal, fields: CallFields): Promise<Uint8Array | undefined> {
    const own = { ...fields }
    this.#pruning.set(own, null)
    const result = await this.update(canisterId, own)
    return result.reply ?? replyOf(result.certificate, this.#pruning.get(own))
  }

  /**
   * Certified leaves of the canister's state tree, /canister/<id>/<name> (the interface spec's "Canister
   * information"): what CanisterStatus.request reads, but in one read_state and under the action's BLS check.
   */
  async canisterState(canisterId: Principal, names: string[]): Promise<Map<string, Uint8Array | undefined>> {
    const paths = names.map(name => [
      new TextEncoder().encode('canister'),
      canisterId.toUint8Array(),
      new TextEncoder().encode(name)
    ])
    const { certificate } = await this.readState(canisterId, { paths })
    if (!this.rootKey) throw new Error('the agent has no root key')
    const verified = await Certificate.create({
      certificate,
      rootKey: this.rootKey,
      principal: { canisterId },
      blsVerify,
      agent: this
    })
    return new Map(names.map((name, i) => [name, lookupResultToBuffer(verified.lookup_path(paths[i]))]))
  }

  // IcManagementCanister's actor passes no blsVerify of its own, and polling hands this one on.
  override update(canisterId: Principal | string, fields: CallFields, options: PollingOptions = {}) {
    return super.update(canisterId, fields, { ...options, blsVerify: options.blsVerify ?? blsVerify })
  }

  override async call(
    canisterId: Principal | string,
    options: CallOptions,
    identity?: Identity | Promise<Identity>
  ): Promise<SubmitResponse> {
    const submitted = await super.call(canisterId, options, identity)
    const { body } = submitted.response
    if (this.#pruning.has(options) && body && isV4ResponseBody(body)) {
      const pruned = pruneReply(body.certificate, submitted.requestId)
      if (pruned) {
        this.#pruning.set(options, pruned.reply)
        body.certificate = pruned.certificate
      }
    }
    return submitted
  }
}

const replyPath = (requestId: RequestId) => ['request_status', requestId, 'reply']

/** The certificate with its reply leaf replaced by the leaf's digest, and the reply; none if it has no leaf. */
function pruneReply(
  certificate: Uint8Array,
  requestId: RequestId
): { certificate: Uint8Array; reply: PrunedReply } | undefined {
  const cert = Cbor.decode<{ tree: HashTree }>(certificate)
  const found = lookup_subtree(replyPath(requestId), cert.tree)
  if (found.status !== LookupSubtreeStatus.Found) return undefined
  const node = found.value
  if (node[0] !== NodeType.Leaf || !(node[1] instanceof Uint8Array)) return undefined
  const value = node[1]
  const digest = createHash('sha256').update(LEAF_SEPARATOR).update(value).digest()
  // The node is an array inside the decoded tree: turned into [Pruned, digest] in place.
  ;(node as unknown as [NodeType, Uint8Array])[0] = NodeType.Pruned
  ;(node as unknown as [NodeType, Uint8Array])[1] = new Uint8Array(digest)
  return { certificate: Cbor.encode(cert), reply: { requestId, value, digest } }
}

/** The pruned reply, if the verified certificate holds its digest at its request's reply path. */
function replyOf(certificate: Certificate, pruned: PrunedReply | null | undefined): Uint8Array | undefined {
  if (!pruned) return undefined
  const found = certificate.lookup_subtree(replyPath(pruned.requestId))
  if (found.status !== LookupSubtreeStatus.Found) return undefined
  const [type, digest] = found.value as [NodeType, unknown]
  const matches = type === NodeType.Pruned && digest instanceof Uint8Array && pruned.digest.equals(digest)
  return matches ? pruned.value : undefined
}
