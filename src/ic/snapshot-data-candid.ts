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

// `record { chunk: blob }` as a whole message, up to the blob's length: the type table in the order
// @icp-sdk/core writes it (vec nat8, then the record) and in the order Rust's candid crate writes it (the
// record, then its field's type), followed by one argument of the record's type. RECORD_ENTRY is the
// record's entry, `record` and the hash of `chunk`, without the index of the field's type.
const RECORD_ENTRY = Buffer.from(IDL.encode([ReadResult], [{ chunk: new Uint8Array() }])).subarray(
  4 + 1 + 2,
  -4
)
const READ_RESULT_HEADERS = [
  Buffer.concat([Buffer.from('DIDL\x02\x6d\x7b', 'latin1'), RECORD_ENTRY, Buffer.from([0x00, 0x01, 0x01])]),
  Buffer.concat([
    Buffer.from('DIDL\x02', 'latin1'),
    RECORD_ENTRY,
    Buffer.from([0x01, 0x6d, 0x7b, 0x01, 0x00])
  ])
]

/**
 * The chunk of a read_canister_snapshot_data reply. A 2 MB reply in one of the two usual encodings is read
 * in place (IDL.decode reads a blob byte by byte, and copies it); any other encoding goes to IDL.decode,
 * which checks it in full.
 */
export function decodeReadResult(reply: Uint8Array): Uint8Array {
  const chunk = chunkInPlace(reply)
  if (chunk) return chunk
  const [decoded] = IDL.decode([ReadResult], reply) as unknown as [{ chunk: Uint8Array | number[] }]
  return decoded.chunk instanceof Uint8Array ? decoded.chunk : new Uint8Array(decoded.chunk)
}

function chunkInPlace(reply: Uint8Array): Uint8Array | undefined {
  const bytes = Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength)
  const header = READ_RESULT_HEADERS.find(h => bytes.subarray(0, h.length).equals(h))
  if (!header) return undefined
  // The blob's length, unsigned LEB128: at most 5 bytes for anything under 2^35.
  let length = 0
  let at = header.length
  for (let shift = 0; ; shift += 7) {
    if (at >= bytes.length || shift > 28) return undefined
    const byte = bytes[at++]
    length += (byte & 0x7f) * 2 ** shift
    if (byte < 0x80) break
  }
  // The blob must end the message exactly: trailing bytes are for IDL.decode to refuse.
  return at + length === bytes.length ? reply.subarray(at) : undefined
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
