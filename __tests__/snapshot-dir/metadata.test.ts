// metadata.json is read and written exactly as icp-cli 1.5.0 does. The fixtures are files icp-cli wrote for
// snapshots read from the test replica: one the IC took, one created from uploaded metadata that carries every
// kind of global, an active timer, certified data and a chunk.
import { createHash } from 'node:crypto'
import { formatFloat } from '../../src/snapshot-dir/float-format.js'
import {
  encodeMetadataJson,
  metadataFromResponse,
  parseMetadataJson,
  toUploadParam,
  type SnapshotMetadata
} from '../../src/snapshot-dir/metadata.js'

const TAKEN = `{
  "source": {
    "taken_from_canister": null
  },
  "taken_at_timestamp": 1795430082487000000,
  "wasm_module_size": 1381,
  "globals": [
    {
      "i64": 0
    },
    {
      "f64": 0.5
    },
    {
      "f32": 1.5
    },
    {
      "i32": 42
    },
    {
      "i32": 0
    }
  ],
  "wasm_memory_size": 65536,
  "stable_memory_size": 0,
  "wasm_chunk_store": [],
  "canister_version": 1,
  "certified_data": [],
  "global_timer": "inactive",
  "on_low_wasm_memory_hook_status": "condition_not_satisfied"
}`

const FLOATS: Array<[string, string]> = [
  ['f32', '1.1'],
  ['f32', '1e-7'],
  ['f32', '3.4028235e+38'],
  ['f32', '16777216.0'],
  ['f64', '1e+300'],
  ['f64', '0.000012'],
  ['f64', '-0.0'],
  ['f64', '0.0'],
  ['f64', '1e+16'],
  ['f64', '1000000000000000.0'],
  ['f64', '1.2345678901234568e+20'],
  ['f64', '0.1'],
  ['f64', '5e-324']
]

// sha256 of the chunk [1, 2, 3], uploaded into the snapshot.
const chunkHash = new Uint8Array(
  createHash('sha256')
    .update(new Uint8Array([1, 2, 3]))
    .digest()
)

const UPLOADED = `{
  "source": {
    "metadata_upload": null
  },
  "taken_at_timestamp": 1795430125668000000,
  "wasm_module_size": 10,
  "globals": [
    {
      "i32": 5
    },
    {
      "i32": -7
    },
    {
      "i64": -1
    },
    {
      "i64": -9223372036854775808
    },
${FLOATS.map(([kind, text]) => `    {\n      "${kind}": ${text}\n    },`).join('\n')}
    {
      "v128": [
        5,
        0,
        0,
        16
      ]
    },
    {
      "v128": []
    },
    {
      "v128": [
        1
      ]
    }
  ],
  "wasm_memory_size": 0,
  "stable_memory_size": 65536,
  "wasm_chunk_store": [
    {
      "hash": [
${[...chunkHash].map(byte => `        ${byte}`).join(',\n')}
      ]
    }
  ],
  "canister_version": 1,
  "certified_data": [
    1,
    2,
    255
  ],
  "global_timer": {
    "active": 4611686018427387907
  },
  "on_low_wasm_memory_hook_status": "ready"
}`

describe('metadata.json written by icp-cli', () => {
  it('of a snapshot the IC took reads back and writes out byte for byte', () => {
    const metadata = parseMetadataJson(TAKEN)
    expect(metadata).toEqual<SnapshotMetadata>({
      source: 'taken_from_canister',
      takenAtTimestamp: 1795430082487000000n,
      wasmModuleSize: 1381n,
      globals: [{ i64: 0n }, { f64: 0.5 }, { f32: 1.5 }, { i32: 42 }, { i32: 0 }],
      wasmMemorySize: 65536n,
      stableMemorySize: 0n,
      wasmChunkStore: [],
      canisterVersion: 1n,
      certifiedData: new Uint8Array(),
      globalTimer: 'inactive',
      onLowWasmMemoryHookStatus: 'condition_not_satisfied'
    })
    expect(encodeMetadataJson(metadata)).toBe(TAKEN)
    expect(TAKEN.endsWith('}')).toBe(true)
  })

  it('keeps every digit of u64 and i64 beyond 2^53, every float and every v128', () => {
    const metadata = parseMetadataJson(UPLOADED)
    expect(metadata.takenAtTimestamp).toBe(1795430125668000000n)
    expect(metadata.globalTimer).toEqual({ active: 2n ** 62n + 3n })
    expect(metadata.globals.slice(0, 4)).toEqual([
      { i32: 5 },
      { i32: -7 },
      { i64: -1n },
      { i64: -(2n ** 63n) }
    ])
    expect(metadata.globals.slice(4, 4 + FLOATS.length)).toEqual(
      FLOATS.map(([kind, text]) => ({ [kind]: kind === 'f32' ? Math.fround(Number(text)) : Number(text) }))
    )
    expect(Object.is((metadata.globals[10] as { f64: number }).f64, -0)).toBe(true)
    expect(metadata.globals.slice(-3)).toEqual([{ v128: 2n ** 100n + 5n }, { v128: 0n }, { v128: 1n }])
    expect(metadata.wasmChunkStore).toEqual([chunkHash])
    expect(metadata.certifiedData).toEqual(new Uint8Array([1, 2, 255]))
    expect(encodeMetadataJson(metadata)).toBe(UPLOADED)
  })

  it('is what the IC answer (as IcManagementCanister gives it) encodes to', () => {
    const metadata = metadataFromResponse({
      source: { metadataUpload: null },
      takenAtTimestamp: 1795430125668000000n,
      wasmModuleSize: 10n,
      globals: parseMetadataJson(UPLOADED).globals,
      wasmMemorySize: 0n,
      stableMemorySize: 65536n,
      wasmChunkStore: [{ hash: chunkHash }],
      canisterVersion: 1n,
      certifiedData: new Uint8Array([1, 2, 255]),
      globalTimer: { active: 2n ** 62n + 3n },
      onLowWasmMemoryHookStatus: { ready: null }
    })
    expect(encodeMetadataJson(metadata)).toBe(UPLOADED)
    // What an upload sends: everything but the fields the IC sets itself (icp-cli upload_snapshot_metadata).
    expect(toUploadParam(metadata)).toEqual({
      globals: metadata.globals,
      certifiedData: new Uint8Array([1, 2, 255]),
      globalTimer: { active: 2n ** 62n + 3n },
      onLowWasmMemoryHookStatus: { ready: null },
      wasmModuleSize: 10n,
      wasmMemorySize: 0n,
      stableMemorySize: 65536n
    })
    expect(toUploadParam(parseMetadataJson(TAKEN))).toMatchObject({
      globalTimer: { inactive: null },
      onLowWasmMemoryHookStatus: { conditionNotSatisfied: null }
    })
  })

  it('reads absent optional fields as null, as serde does', () => {
    const text = TAKEN.replace(/,\n {2}"global_timer".*\n.*\n}$/, '\n}').replace(
      /"source": \{\n.*\n {2}\},\n/,
      ''
    )
    const metadata = parseMetadataJson(text)
    expect(metadata).toMatchObject({ source: null, globalTimer: null, onLowWasmMemoryHookStatus: null })
    expect(toUploadParam(metadata)).not.toHaveProperty('globalTimer')
  })
})

describe('floats', () => {
  it.each(FLOATS)('%s %s is written as serde_json writes it', (kind, text) => {
    const value = kind === 'f32' ? Math.fround(Number(text)) : Number(text)
    expect(formatFloat(value, kind as 'f32' | 'f64')).toBe(text)
  })

  it('read back as the same value, for any f32 and f64 bit pattern', () => {
    const f32 = new Float32Array(1)
    const f64 = new Float64Array(1)
    const bits32 = new Uint32Array(f32.buffer)
    const bits64 = new Uint32Array(f64.buffer)
    for (let i = 0; i < 20_000; i++) {
      bits32[0] = Math.random() * 2 ** 32
      bits64[0] = Math.random() * 2 ** 32
      bits64[1] = Math.random() * 2 ** 32
      for (const [kind, value] of [
        ['f32', f32[0]],
        ['f64', f64[0]]
      ] as const) {
        if (!Number.isFinite(value)) continue
        const text = formatFloat(value, kind) as string
        const back = kind === 'f32' ? Math.fround(Number(text)) : Number(text)
        if (!Object.is(back, value)) throw new Error(`${kind} ${value} was written as ${text}`)
      }
    }
  })

  it('refuses NaN and infinities, which metadata.json cannot hold', () => {
    const metadata = { ...parseMetadataJson(TAKEN), globals: [{ i32: 1 }, { f64: Number.NaN }] }
    expect(() => encodeMetadataJson(metadata)).toThrow('global 1 is f64 NaN, which metadata.json cannot hold')
  })
})

describe('a malformed metadata.json is refused with the field it gets wrong', () => {
  const edit = (from: RegExp | string, to: string) => TAKEN.replace(from, to)
  it.each([
    ['not JSON', '{"source": ', /^invalid JSON at line 1: unexpected end$/],
    [
      'a trailing comma',
      edit('"condition_not_satisfied"', '"condition_not_satisfied",'),
      /^invalid JSON at line 31: expected a key$/
    ],
    [
      'a duplicate key',
      edit('"wasm_module_size": 1381,', '"wasm_module_size": 1,\n  "wasm_module_size": 1,'),
      /duplicate key "wasm_module_size"/
    ],
    ['a missing field', edit('  "wasm_module_size": 1381,\n', ''), "field 'wasm_module_size' is missing"],
    [
      'an unknown field',
      edit('"canister_version": 1,', '"canister_version": 1,\n  "owner": "me",'),
      "field 'owner' is not a known field"
    ],
    [
      'a u64 as a string',
      edit('1795430082487000000', '"1795430082487000000"'),
      `field 'taken_at_timestamp' is "1795430082487000000", expected an integer`
    ],
    [
      'a negative size',
      edit('"wasm_memory_size": 65536', '"wasm_memory_size": -1'),
      "field 'wasm_memory_size' is -1, outside 0..18446744073709551615"
    ],
    [
      'a u64 too large',
      edit('"canister_version": 1', '"canister_version": 18446744073709551616'),
      "field 'canister_version' is 18446744073709551616, outside"
    ],
    [
      'a fractional size',
      edit('"wasm_module_size": 1381', '"wasm_module_size": 1381.0'),
      "field 'wasm_module_size' is the number 1381.0, expected an integer"
    ],
    [
      'an unknown global kind',
      edit('"f64": 0.5', '"f16": 0.5'),
      "field 'globals[1]' has the unknown variant 'f16', expected one of i32, i64, f32, f64, v128"
    ],
    [
      'a null global',
      edit(/\{\n\s+"f64": 0.5\n\s+\}/, 'null'),
      "field 'globals[1]' is null: snapshot metadata contains unparseable globals"
    ],
    [
      'an i32 out of range',
      edit('"i32": 42', '"i32": 2147483648'),
      "field 'globals[3].i32' is 2147483648, outside -2147483648..2147483647"
    ],
    [
      'a float as a string',
      edit('"f32": 1.5', '"f32": "1.5"'),
      `field 'globals[2].f32' is "1.5", expected a number`
    ],
    [
      'a byte above 255',
      edit('"certified_data": []', '"certified_data": [1, 256]'),
      "field 'certified_data[1]' is 256, outside 0..255"
    ],
    [
      'a short chunk hash',
      edit('"wasm_chunk_store": []', '"wasm_chunk_store": [{"hash": [1, 2]}]'),
      "field 'wasm_chunk_store[0].hash' has 2 bytes, expected 32"
    ],
    [
      'an unknown timer',
      edit('"global_timer": "inactive"', '"global_timer": "paused"'),
      `field 'global_timer' is "paused", expected null, "inactive" or {"active": N}`
    ],
    [
      'an unknown hook status',
      edit('"condition_not_satisfied"', '"later"'),
      `field 'on_low_wasm_memory_hook_status' is "later"`
    ],
    [
      'an unknown source',
      edit('"taken_from_canister"', '"copied"'),
      "field 'source' has the unknown variant 'copied'"
    ],
    ['an array', '[]', 'the document is an array, expected an object']
  ])('%s', (_case, text, expected) => {
    expect(() => parseMetadataJson(text)).toThrow(expected)
  })
})
