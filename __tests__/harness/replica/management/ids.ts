// Canister and snapshot ids as the replica forms them.
import { Principal } from '@icp-sdk/core/principal'

/** The bytes a subnet appends to the 8-byte big-endian index of each canister id it allocates. */
const CANISTER_ID_SUFFIX = [0x01, 0x01]
/** A snapshot id is the snapshot's local id (u64, big-endian) followed by the canister id. */
const LOCAL_ID_BYTES = 8
const MAX_PRINCIPAL_BYTES = 29

/** The canister id with the given index in the subnet's range, e.g. 0 → rrkah-fqaaa-aaaaa-aaaaq-cai. */
export function canisterIdFromIndex(index: bigint): Principal {
  const bytes = new Uint8Array(LOCAL_ID_BYTES + CANISTER_ID_SUFFIX.length)
  new DataView(bytes.buffer).setBigUint64(0, index)
  bytes.set(CANISTER_ID_SUFFIX, LOCAL_ID_BYTES)
  return Principal.fromUint8Array(bytes)
}

export function snapshotIdOf(canisterId: Principal, localId: bigint): Uint8Array {
  const canister = canisterId.toUint8Array()
  const bytes = new Uint8Array(LOCAL_ID_BYTES + canister.length)
  new DataView(bytes.buffer).setBigUint64(0, localId)
  bytes.set(canister, LOCAL_ID_BYTES)
  return bytes
}

export interface ParsedSnapshotId {
  localId: bigint
  canisterId: Principal
}

/** Splits a snapshot id; undefined if the bytes cannot be one (the replica rejects those while decoding). */
export function parseSnapshotId(bytes: Uint8Array): ParsedSnapshotId | undefined {
  if (bytes.length < LOCAL_ID_BYTES || bytes.length > LOCAL_ID_BYTES + MAX_PRINCIPAL_BYTES) return undefined
  const localId = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0)
  return { localId, canisterId: Principal.fromUint8Array(bytes.slice(LOCAL_ID_BYTES)) }
}

/** How the replica prints a snapshot id in messages: `{canister}-{local}` (ic_types SnapshotId's Display). */
export function displaySnapshotId(bytes: Uint8Array): string {
  const parsed = parseSnapshotId(bytes)
  return parsed ? `${parsed.canisterId.toText()}-${parsed.localId}` : toHex(bytes)
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}
