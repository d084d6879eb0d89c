// Candid of the two snapshot data methods (ic.did), encoded and decoded here because their calls go through
// certified-call.ts rather than IcManagementCanister's actor.
import { IDL } from '@icp-sdk/core/candid'
import type { Principal } from '@icp-sdk/core/principal'
import type { BlobKind } from '../snapshot-dir/layout.js'

const Range = IDL.Record({ size: IDL.Nat64, offset: IDL.Nat64 })
const Offset = IDL.Record({ offset: IDL.Nat64 })

const ReadArgs = IDL.Record({
  canister_id: IDL.Principal,
  snapshot_id: IDL.Vec(IDL.Nat8),
  kind: IDL.Variant({
    wasm_module: Range,
    wasm_memory: Range,
    stable_memory: Range,
    wasm_chunk: IDL.Record({ hash: IDL.Vec(IDL.Nat8) })
  })
})
const ReadResult = IDL.Record({ chunk: IDL.Vec(IDL.Nat8) })
const UploadArgs = IDL.Record({
  canister_id: IDL.Principal,
  snapshot_id: IDL.Vec(IDL.Nat8),
  kind: IDL.Variant({
    wasm_module: Offset,
    wasm_memory: Offset,
    stable_memory: Offset,
    wasm_chunk: IDL.Null
  }),
  chunk: IDL.Vec(IDL.Nat8)
})

export type ReadTarget = { blob: BlobKind; offset: number; size: number } | { chunkHash: Uint8Array }
export type UploadTarget = { blob: BlobKind; offset: number } | { chunk: true }

export function encodeReadArgs(
  canisterId: Principal,
  snapshotId: Uint8Array,
  target: ReadTarget
): Uint8Array {
  const kind =
    'chunkHash' in target
      ? { wasm_chunk: { hash: target.chunkHash } }
      : { [target.blob]: { offset: BigInt(target.offset), size: BigInt(target.size) } }
  return new Uint8Array(IDL.encode([ReadArgs], [{ canister_id: canisterId, snapshot_id: snapshotId, kind }]))
}

export function decodeReadResult(reply: Uint8Array): Uint8Array {
  const [{ chunk }] = IDL.decode([ReadResult], reply) as unknown as [{ chunk: Uint8Array | number[] }]
  return chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk)
}

export function encodeUploadArgs(
  canisterId: Principal,
  snapshotId: Uint8Array,
  target: UploadTarget,
  chunk: Uint8Array
): Uint8Array {
  const kind = 'chunk' in target ? { wasm_chunk: null } : { [target.blob]: { offset: BigInt(target.offset) } }
  return new Uint8Array(
    IDL.encode([UploadArgs], [{ canister_id: canisterId, snapshot_id: snapshotId, kind, chunk }])
  )
}
