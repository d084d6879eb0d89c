// metadata.json exactly as icp-cli (and dfx) write it: serde_json::to_string_pretty of ic-management-canister-
// types' ReadCanisterSnapshotMetadataResult (icp-cli snapshot_transfer.rs `save_metadata`). Field order is the
// struct's; u64 are plain numbers; blobs are arrays of byte numbers (serde_bytes); enums are serde's
// externally tagged form; a v128 global is a candid Nat, serialized as its little-endian u32 digits.
import type {
  ReadCanisterSnapshotMetadataResponse,
  UploadCanisterSnapshotMetadataParam
} from '@icp-sdk/canisters/ic-management'
import { formatFloat } from './float-format.js'
import { JsonNumber, parseJson, prettyJson, type JsonOutput, type JsonValue } from './json.js'
import {
  arrayField,
  floatField,
  integerField,
  join,
  JsonFieldError,
  objectField,
  stringField,
  u64Field,
  variantField
} from './json-fields.js'

export type SnapshotGlobal = ReadCanisterSnapshotMetadataResponse['globals'][number]
export type SnapshotSource = 'taken_from_canister' | 'metadata_upload'
export type GlobalTimer = 'inactive' | { active: bigint }
export type LowWasmMemoryHookStatus = 'condition_not_satisfied' | 'ready' | 'executed'

/** The snapshot's metadata, one field per metadata.json key, in the file's order. */
export interface SnapshotMetadata {
  source: SnapshotSource | null
  takenAtTimestamp: bigint
  wasmModuleSize: bigint
  globals: SnapshotGlobal[]
  wasmMemorySize: bigint
  stableMemorySize: bigint
  /** sha256 hashes of the Wasm chunk store's chunks. */
  wasmChunkStore: Uint8Array[]
  canisterVersion: bigint
  certifiedData: Uint8Array
  globalTimer: GlobalTimer | null
  onLowWasmMemoryHookStatus: LowWasmMemoryHookStatus | null
}

export class SnapshotMetadataError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SnapshotMetadataError'
  }
}

const KEYS = [
  'source',
  'taken_at_timestamp',
  'wasm_module_size',
  'globals',
  'wasm_memory_size',
  'stable_memory_size',
  'wasm_chunk_store',
  'canister_version',
  'certified_data',
  'global_timer',
  'on_low_wasm_memory_hook_status'
] as const
// serde reads a missing Option field as None.
const OPTIONAL_KEYS = ['source', 'global_timer', 'on_low_wasm_memory_hook_status']
const REQUIRED_KEYS = KEYS.filter(key => !OPTIONAL_KEYS.includes(key))
const GLOBAL_KINDS = ['i32', 'i64', 'f32', 'f64', 'v128'] as const
const HOOK_STATUSES: LowWasmMemoryHookStatus[] = ['condition_not_satisfied', 'ready', 'executed']

// ---- to and from @icp-sdk/canisters' camelCase shapes ----

export function metadataFromResponse(response: ReadCanisterSnapshotMetadataResponse): SnapshotMetadata {
  const timer = response.globalTimer
  const hook = response.onLowWasmMemoryHookStatus
  return {
    source: 'takenFromCanister' in response.source ? 'taken_from_canister' : 'metadata_upload',
    takenAtTimestamp: response.takenAtTimestamp,
    wasmModuleSize: response.wasmModuleSize,
    globals: response.globals,
    wasmMemorySize: response.wasmMemorySize,
    stableMemorySize: response.stableMemorySize,
    wasmChunkStore: response.wasmChunkStore.map(({ hash }) => new Uint8Array(hash)),
    canisterVersion: response.canisterVersion,
    certifiedData: new Uint8Array(response.certifiedData),
    globalTimer: timer === undefined ? null : 'active' in timer ? { active: timer.active } : 'inactive',
    onLowWasmMemoryHookStatus:
      hook === undefined
        ? null
        : 'conditionNotSatisfied' in hook
          ? 'condition_not_satisfied'
          : 'ready' in hook
            ? 'ready'
            : 'executed'
  }
}

/**
 * What upload_canister_snapshot_metadata takes: source, taken_at_timestamp, canister_version and
 * wasm_chunk_store are not sent (icp-cli `upload_snapshot_metadata`); the IC sets them itself.
 */
export function toUploadParam(metadata: SnapshotMetadata): UploadCanisterSnapshotMetadataParam {
  const timer = metadata.globalTimer
  const hook = metadata.onLowWasmMemoryHookStatus
  return {
    globals: metadata.globals,
    certifiedData: metadata.certifiedData,
    ...(timer === null ? {} : { globalTimer: timer === 'inactive' ? { inactive: null } : timer }),
    ...(hook === null
      ? {}
      : {
          onLowWasmMemoryHookStatus:
            hook === 'condition_not_satisfied'
              ? { conditionNotSatisfied: null }
              : hook === 'ready'
                ? { ready: null }
                : { executed: null }
        }),
    wasmModuleSize: metadata.wasmModuleSize,
    wasmMemorySize: metadata.wasmMemorySize,
    stableMemorySize: metadata.stableMemorySize
  }
}

// ---- metadata.json ----

/**
 * The exact bytes icp-cli writes. Throws for a NaN or infinite global: serde_json would write `null`, which
 * neither icp-cli nor this action can upload again ("snapshot metadata contains unparseable globals").
 */
export function encodeMetadataJson(metadata: SnapshotMetadata): string {
  const json: { [key in (typeof KEYS)[number]]: JsonOutput } = {
    source: metadata.source === null ? null : { [metadata.source]: null },
    taken_at_timestamp: metadata.takenAtTimestamp,
    wasm_module_size: metadata.wasmModuleSize,
    globals: metadata.globals.map(encodeGlobal),
    wasm_memory_size: metadata.wasmMemorySize,
    stable_memory_size: metadata.stableMemorySize,
    wasm_chunk_store: metadata.wasmChunkStore.map(hash => ({ hash: [...hash] })),
    canister_version: metadata.canisterVersion,
    certified_data: [...metadata.certifiedData],
    global_timer:
      metadata.globalTimer === null
        ? null
        : metadata.globalTimer === 'inactive'
          ? 'inactive'
          : { active: metadata.globalTimer.active },
    on_low_wasm_memory_hook_status: metadata.onLowWasmMemoryHookStatus
  }
  return prettyJson(json)
}

function encodeGlobal(global: SnapshotGlobal, index: number): JsonOutput {
  if ('i32' in global) return { i32: global.i32 }
  if ('i64' in global) return { i64: global.i64 }
  if ('v128' in global) return { v128: u32Digits(global.v128) }
  const [kind, value] = 'f32' in global ? (['f32', global.f32] as const) : (['f64', global.f64] as const)
  const text = formatFloat(value, kind)
  if (text === null)
    throw new SnapshotMetadataError(
      `global ${index} is ${kind} ${value}, which metadata.json cannot hold (JSON has no NaN or infinity)`
    )
  return { [kind]: new JsonNumber(text) }
}

/** A BigUint's serde form: little-endian u32 digits, none for 0. */
function u32Digits(value: bigint): number[] {
  const digits: number[] = []
  for (let rest = value; rest > 0n; rest >>= 32n) digits.push(Number(rest & 0xffffffffn))
  return digits
}

/** Reads metadata.json strictly; errors name the field, e.g. "field 'globals[2].f32' is null, …". */
export function parseMetadataJson(text: string): SnapshotMetadata {
  let json: JsonValue
  try {
    json = parseJson(text)
  } catch (error) {
    throw new SnapshotMetadataError((error as Error).message)
  }
  try {
    return decodeMetadata(json)
  } catch (error) {
    if (error instanceof JsonFieldError) throw new SnapshotMetadataError(error.message)
    throw error
  }
}

function decodeMetadata(json: JsonValue): SnapshotMetadata {
  const m = objectField(json, '', KEYS, REQUIRED_KEYS)
  return {
    source:
      m.source == null
        ? null
        : (variantField(m.source, 'source', ['taken_from_canister', 'metadata_upload'])[0] as SnapshotSource),
    takenAtTimestamp: u64Field(m.taken_at_timestamp, 'taken_at_timestamp'),
    wasmModuleSize: u64Field(m.wasm_module_size, 'wasm_module_size'),
    globals: arrayField(m.globals, 'globals').map((g, i) => decodeGlobal(g, join('globals', i))),
    wasmMemorySize: u64Field(m.wasm_memory_size, 'wasm_memory_size'),
    stableMemorySize: u64Field(m.stable_memory_size, 'stable_memory_size'),
    wasmChunkStore: arrayField(m.wasm_chunk_store, 'wasm_chunk_store').map((chunk, i) => {
      const field = join('wasm_chunk_store', i)
      const hash = bytesField(objectField(chunk, field, ['hash']).hash, join(field, 'hash'))
      if (hash.length !== 32)
        throw new JsonFieldError(join(field, 'hash'), `has ${hash.length} bytes, expected 32`)
      return hash
    }),
    canisterVersion: u64Field(m.canister_version, 'canister_version'),
    certifiedData: bytesField(m.certified_data, 'certified_data'),
    globalTimer: decodeTimer(m.global_timer),
    onLowWasmMemoryHookStatus:
      m.on_low_wasm_memory_hook_status == null
        ? null
        : (stringField(
            m.on_low_wasm_memory_hook_status,
            'on_low_wasm_memory_hook_status',
            new RegExp(`^(${HOOK_STATUSES.join('|')})$`)
          ) as LowWasmMemoryHookStatus)
  }
}

function decodeGlobal(value: JsonValue, field: string): SnapshotGlobal {
  // icp-cli writes `null` for a global its crate could not read, and refuses to upload it.
  if (value === null)
    throw new JsonFieldError(field, 'is null: snapshot metadata contains unparseable globals')
  const [kind, inner] = variantField(value, field, GLOBAL_KINDS)
  const innerField = join(field, kind)
  switch (kind) {
    case 'i32':
      return { i32: Number(integerField(inner, innerField, -(2n ** 31n), 2n ** 31n - 1n)) }
    case 'i64':
      return { i64: integerField(inner, innerField, -(2n ** 63n), 2n ** 63n - 1n) }
    case 'f32':
      // serde_json reads an f32 as an f64 and narrows it; so does this.
      return { f32: Math.fround(floatField(inner, innerField)) }
    case 'f64':
      return { f64: floatField(inner, innerField) }
    default: {
      const digits = arrayField(inner, innerField)
      let v128 = 0n
      digits.forEach((digit, i) => {
        v128 |= integerField(digit, join(innerField, i), 0n, 0xffffffffn) << (32n * BigInt(i))
      })
      return { v128 }
    }
  }
}

function decodeTimer(value: JsonValue | undefined): GlobalTimer | null {
  if (value == null) return null
  if (value === 'inactive') return 'inactive'
  if (typeof value === 'string')
    throw new JsonFieldError(
      'global_timer',
      `is ${JSON.stringify(value)}, expected null, "inactive" or {"active": N}`
    )
  const [, active] = variantField(value, 'global_timer', ['active'])
  return { active: u64Field(active, 'global_timer.active') }
}

function bytesField(value: JsonValue | undefined, field: string): Uint8Array {
  const items = arrayField(value, field)
  return new Uint8Array(items.map((item, i) => Number(integerField(item, join(field, i), 0n, 255n))))
}

/** Total bytes of the three memories (not the chunk store), as icp-cli reports a snapshot's size. */
export function blobBytes(metadata: SnapshotMetadata): bigint {
  return metadata.wasmModuleSize + metadata.wasmMemorySize + metadata.stableMemorySize
}
