// Tagged JSON for the replica's saved state. Plain JSON holds neither bigints, principals, byte arrays nor
// non-finite floats (a snapshot's f32/f64 globals may be NaN); each becomes a one-key object. Byte arrays
// above a few KiB are kept out of the JSON, in the blob store, under their sha256. A sparse memory keeps its
// size and its written segments only, so a 500 GiB stable memory with 1 MiB written saves as 1 MiB.
import { Principal } from '@icp-sdk/core/principal'
import { SparseMemory } from '../wasm/sparse-memory.js'

const INLINE_LIMIT = 4096

export interface BlobSink {
  /** Keeps the bytes and returns the name they are kept under. */
  put(bytes: Uint8Array): string
}

export interface BlobSource {
  get(name: string): Uint8Array
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

export function encodeState(value: unknown, blobs: BlobSink): Json {
  if (value === null || value === undefined) return null
  if (typeof value === 'bigint') return { $bigint: value.toString() }
  if (typeof value === 'number') {
    if (Number.isFinite(value) && !Object.is(value, -0)) return value
    return { $number: Object.is(value, -0) ? '-0' : String(value) }
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value
  if (value instanceof Uint8Array) {
    if (value.length <= INLINE_LIMIT) return { $bytes: Buffer.from(value).toString('base64') }
    return { $blob: blobs.put(value) }
  }
  if (isPrincipal(value)) return { $principal: value.toText() }
  if (value instanceof SparseMemory)
    return {
      $memory: {
        size: value.byteLength,
        segments: value.entries().map(([index, bytes]) => [index, encodeState(bytes, blobs)])
      }
    }
  if (Array.isArray(value)) return value.map(item => encodeState(item, blobs))
  if (typeof value === 'object') {
    const out: Record<string, Json> = {}
    for (const [key, item] of Object.entries(value))
      if (item !== undefined) out[key] = encodeState(item, blobs)
    return out
  }
  throw new Error(`cannot save a ${typeof value} in the replica state`)
}

export function decodeState(value: Json, blobs: BlobSource): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(item => decodeState(item, blobs))
  const keys = Object.keys(value)
  if (keys.length === 1) {
    const [key] = keys
    const tagged = value[key]
    if (typeof tagged === 'string') {
      if (key === '$bigint') return BigInt(tagged)
      if (key === '$number') return tagged === '-0' ? -0 : Number(tagged)
      if (key === '$bytes') return new Uint8Array(Buffer.from(tagged, 'base64'))
      if (key === '$blob') return blobs.get(tagged)
      if (key === '$principal') return Principal.fromText(tagged)
    }
    if (key === '$memory' && tagged && typeof tagged === 'object' && !Array.isArray(tagged)) {
      const { size, segments } = tagged as { size: number; segments: [number, Json][] }
      return SparseMemory.fromEntries(
        size,
        segments.map(([index, bytes]) => [index, decodeState(bytes, blobs) as Uint8Array])
      )
    }
  }
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) out[key] = decodeState(item, blobs)
  return out
}

function isPrincipal(value: object): value is Principal {
  return (value as { _isPrincipal?: unknown })._isPrincipal === true
}

export type { Json }
