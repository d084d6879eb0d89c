// Certificates over a freshly built state tree (interface spec, "Certificate").
import { encodeWithSelfDescribedTag } from '@dfinity/cbor'
import { lebEncode } from '@icp-sdk/core/candid'
import type { Principal } from '@icp-sdk/core/principal'
import { reconstruct, toHashTree, treeFromPaths, type LabeledTree } from './hash-tree.js'
import type { ReplicaKeys } from './keys.js'

/** Every canister id the replica hands out lies in this one range (10-byte bounds; agent-rs compares length first). */
export const CANISTER_RANGE: [Uint8Array, Uint8Array] = [
  Buffer.from('00000000000000000101', 'hex'),
  Buffer.from('ffffffffffffffff0101', 'hex')
]

export function leb(value: bigint | number): Uint8Array {
  return new Uint8Array(lebEncode(value))
}

export function certify(keys: ReplicaKeys, tree: Map<string, LabeledTree>): Uint8Array {
  const hashTree = toHashTree(tree)
  const signature = keys.signStateRoot(reconstruct(hashTree))
  return encodeWithSelfDescribedTag({ tree: hashTree, signature })
}

/** The subnet's part of the state tree: its key, its canister range and its one node. */
export function subnetEntries(keys: ReplicaKeys): Array<[Array<Uint8Array | string>, Uint8Array]> {
  const sid = keys.subnetId.toUint8Array()
  const ranges = encodeWithSelfDescribedTag([CANISTER_RANGE])
  return [
    [['subnet', sid, 'public_key'], keys.rootKeyDer],
    [['subnet', sid, 'canister_ranges'], ranges],
    [['subnet', sid, 'node', keys.nodeId.toUint8Array(), 'public_key'], keys.nodeKeyDer],
    [['subnet', sid, 'type'], new TextEncoder().encode('system')],
    [['canister_ranges', sid, CANISTER_RANGE[0]], ranges]
  ]
}

export function timeEntry(nowNs: bigint): [Array<Uint8Array | string>, Uint8Array] {
  return [['time'], leb(nowNs)]
}

export function controllersEntry(
  canisterId: Principal,
  controllers: Principal[]
): [Array<Uint8Array | string>, Uint8Array] {
  return [
    ['canister', canisterId.toUint8Array(), 'controllers'],
    encodeWithSelfDescribedTag(controllers.map(c => c.toUint8Array()))
  ]
}

export { treeFromPaths }
