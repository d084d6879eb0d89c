// Certificates over a freshly built state tree (interface spec, "Certificate"), signed by the application
// subnet's key and carrying the root's delegation to it (interface spec, "Delegation").
import { encodeWithSelfDescribedTag } from '@dfinity/cbor'
import { lebEncode } from '@icp-sdk/core/candid'
import type { Principal } from '@icp-sdk/core/principal'
import { canisterIdFromIndex } from '../management/ids.js'
import {
  lowerBoundLabel,
  prunedHashTree,
  reconstruct,
  toHashTree,
  treeFromPaths,
  type LabeledTree
} from './hash-tree.js'
import type { ReplicaKeys, SubnetKey } from './keys.js'

export type Entry = [Array<Uint8Array | string>, Uint8Array]
export type CanisterRange = [Uint8Array, Uint8Array]

export const rangeOf = (first: bigint, last: bigint): CanisterRange => [
  canisterIdFromIndex(first).toUint8Array(),
  canisterIdFromIndex(last).toUint8Array()
]

/**
 * The application subnet's one canister range: 2^20 ids from the first id the replica hands out
 * (bkyz2-fmaaa-aaaaa-qaaaq-cai is index 0x8000_0000_0010_0001), as the registry allots a subnet ranges of
 * 2^20 ids. Every canister the replica creates lies in it; a canister id outside it belongs to another subnet,
 * and clients refuse a certificate of this subnet about it.
 */
export const SUBNET_CANISTER_RANGES: CanisterRange[] = [
  rangeOf(0x8000_0000_0010_0000n, 0x8000_0000_001f_ffffn)
]
/** The root (NNS) subnet's range on mainnet: the first 2^20 ids (ryjl3-tyaaa-aaaaa-aaaba-cai, the ledger, is index 2). */
export const ROOT_CANISTER_RANGES: CanisterRange[] = [rangeOf(0n, 0x0000_0000_000f_ffffn)]

export function leb(value: bigint | number): Uint8Array {
  return new Uint8Array(lebEncode(value))
}

const text = (s: string) => new TextEncoder().encode(s)
const encodeRanges = (ranges: CanisterRange[]) => encodeWithSelfDescribedTag(ranges)

/** interface spec, "Delegation": `{subnet_id, certificate}`, the certificate one of the root subnet. */
export interface CertificateDelegation {
  subnet_id: Uint8Array
  certificate: Uint8Array
}

export function certify(
  key: SubnetKey,
  tree: Map<string, LabeledTree>,
  delegation?: CertificateDelegation
): Uint8Array {
  const hashTree = toHashTree(tree)
  const signature = key.signStateRoot(reconstruct(hashTree))
  const certificate = { tree: hashTree, signature, ...(delegation ? { delegation } : {}) }
  return encodeWithSelfDescribedTag(certificate as never)
}

/**
 * Which canister ranges a delegation reveals, by endpoint (dfinity/ic, rs/http_endpoints/public: call v3
 * and read_state v2 take `Flat`, call v4 and canister read_state v3 `Tree(effective canister id)`, subnet
 * read_state and subnet call `None`; interface spec, "Request: Call" and "Request: Read state").
 */
export type RangesFilter = { kind: 'flat' } | { kind: 'tree'; canisterId: Principal } | { kind: 'none' }

/**
 * The root subnet's certificate that delegates to the application subnet: signed once over the root's
 * whole view of the subnet (time, public key, type, both forms of its canister ranges) and handed out with
 * all but the paths a request needs pruned, as the IC's NNS delegation reader does
 * (rs/http_endpoints/nns_delegation_manager/src/nns_delegation_reader.rs).
 */
export class SubnetDelegation {
  private readonly tree: Map<string, LabeledTree>
  private readonly signature: Uint8Array

  constructor(
    private readonly keys: ReplicaKeys,
    nowNs: bigint,
    // Tests forge delegations with other ranges.
    ranges: CanisterRange[] = SUBNET_CANISTER_RANGES
  ) {
    this.tree = treeFromPaths([timeEntry(nowNs), ...subnetInformation(keys, 'root', ranges)])
    this.signature = keys.root.signStateRoot(reconstruct(toHashTree(this.tree)))
  }

  for(filter: RangesFilter): CertificateDelegation {
    const sid = this.keys.subnetId.toUint8Array()
    // nns_delegation_reader.rs `try_build`: always /subnet/<id>/public_key and /time.
    const paths: Array<Array<Uint8Array | string>> = [['subnet', sid, 'public_key'], ['time']]
    if (filter.kind === 'flat') paths.push(['subnet', sid, 'canister_ranges'])
    if (filter.kind === 'tree') {
      const shards = (this.tree.get('canister_ranges') as Map<string, LabeledTree>).get(
        Buffer.from(sid).toString('latin1')
      )
      // A canister below every shard is not the subnet's: the delegation then reveals no ranges at all.
      const shard = lowerBoundLabel(shards, filter.canisterId.toUint8Array())
      if (shard !== undefined) paths.push(['canister_ranges', sid, Buffer.from(shard, 'latin1')])
    }
    const certificate = encodeWithSelfDescribedTag({
      tree: prunedHashTree(this.tree, paths),
      signature: this.signature
    })
    return { subnet_id: sid, certificate }
  }
}

/**
 * The topology part of a state tree (interface spec, "Subnet information" and "Canister ranges"): both
 * subnets, their keys, types and ranges. The application subnet's tree also has its node's key; which of
 * these a read_state reveals is up to the endpoint (server.ts).
 */
export function subnetInformation(
  keys: ReplicaKeys,
  of: 'root' | 'application',
  ranges: CanisterRange[] = SUBNET_CANISTER_RANGES
): Entry[] {
  const sid = keys.subnetId.toUint8Array()
  const root = keys.rootSubnetId.toUint8Array()
  const entries: Entry[] = [
    [['subnet', sid, 'public_key'], keys.subnet.der],
    // interface spec, "Subnet information": "application", "system", "verified_application", "cloud_engine".
    [['subnet', sid, 'type'], text('application')],
    [['subnet', sid, 'canister_ranges'], encodeRanges(ranges)],
    // One shard holding every range, labelled by its first canister id.
    [['canister_ranges', sid, ranges[0][0]], encodeRanges(ranges)],
    [['subnet', root, 'public_key'], keys.rootKeyDer],
    [['subnet', root, 'type'], text('system')],
    [['subnet', root, 'canister_ranges'], encodeRanges(ROOT_CANISTER_RANGES)],
    [['canister_ranges', root, ROOT_CANISTER_RANGES[0][0]], encodeRanges(ROOT_CANISTER_RANGES)]
  ]
  if (of === 'application') {
    entries.push([['subnet', sid, 'node', keys.nodeId.toUint8Array(), 'public_key'], keys.nodeKeyDer])
  }
  return entries
}

export function timeEntry(nowNs: bigint): Entry {
  return [['time'], leb(nowNs)]
}

export function controllersEntry(canisterId: Principal, controllers: Principal[]): Entry {
  return [
    ['canister', canisterId.toUint8Array(), 'controllers'],
    encodeWithSelfDescribedTag(controllers.map(c => c.toUint8Array()))
  ]
}

export { treeFromPaths }
