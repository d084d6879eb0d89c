import { createHash } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import { IDL } from '@icp-sdk/core/candid'
import { Principal } from '@icp-sdk/core/principal'
import wabtInit from 'wabt'
import { compileCanister } from '../harness/canisters/compile.js'
import type { ExecutionContext, ExecutionState, Outcome } from '../harness/replica/types.js'
import {
  type CanisterInstance,
  compileCanisterModule,
  type CompiledCanister,
  InvalidModuleError,
  UnsupportedImportError
} from '../harness/replica/wasm/runtime.js'
import { SparseMemory } from '../harness/replica/wasm/sparse-memory.js'
import { StableMemory, WASM_PAGE_SIZE } from '../harness/replica/wasm/stable-memory.js'

const canisterId = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai')
const caller = Principal.fromText('2vxsx-fae')
const timeNs = 1_700_000_000_123_456_789n

const ctx = (methodName: string, arg: Uint8Array = new Uint8Array(0)): ExecutionContext => ({
  canisterId,
  caller,
  arg,
  timeNs,
  methodName
})
const nat64 = (value: bigint): Uint8Array => new Uint8Array(IDL.encode([IDL.Nat64], [value]))
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)

function replyOf(outcome: Outcome): Uint8Array {
  if (outcome.status !== 'replied') throw new Error(`expected a reply, got ${JSON.stringify(outcome)}`)
  return outcome.reply
}

const nat64Of = (outcome: Outcome): bigint => IDL.decode([IDL.Nat64], replyOf(outcome))[0] as bigint

function rejectionOf(outcome: Outcome): { rejectCode: number; errorCode: string; rejectMessage: string } {
  if (outcome.status !== 'rejected') throw new Error(`expected a rejection, got a reply`)
  return outcome
}

const compiled = new Map<string, Promise<CompiledCanister>>()
function canister(name: string): Promise<CompiledCanister> {
  if (!compiled.has(name)) compiled.set(name, compileCanister(name).then(compileCanisterModule))
  return compiled.get(name)!
}

async function installed(name: string, arg?: Uint8Array): Promise<CanisterInstance> {
  const instance = await (await canister(name)).instantiate()
  replyOf(instance.init(ctx('canister_init', arg)))
  return instance
}

// Jest compares typed arrays element by element, which is slow for memories: compare digests instead.
const digest = (memory: SparseMemory): string =>
  `${memory.byteLength} bytes, sha256 ${createHash('sha256').update(memory.copy()).digest('hex')}`
const summary = (state: ExecutionState) => ({
  heap: digest(state.heap),
  stable: digest(state.stable),
  globals: state.globals,
  certifiedData: Buffer.from(state.certifiedData).toString('hex')
})

async function wasmOf(wat: string): Promise<Uint8Array> {
  const module = (await wabtInit()).parseWat('inline.wat', wat)
  return new Uint8Array(module.toBinary({}).buffer)
}

describe('compileCanisterModule', () => {
  it('lists the methods and hashes the module', async () => {
    const wasm = await compileCanister('counter')
    const counter = await compileCanisterModule(wasm)
    expect(counter.updateMethods).toEqual(['inc', 'set', 'inc_and_trap', 'grow_stable', 'grow_heap', 'fill'])
    expect(counter.queryMethods).toEqual(['get', 'get_stable', 'health'])
    expect(Buffer.from(counter.moduleHash).toString('hex')).toBe(
      createHash('sha256').update(wasm).digest('hex')
    )
    expect(counter.bytes).toEqual(wasm)
  })

  it('rejects an unsupported System API import, naming it', async () => {
    const wasm = await compileCanister('unsupported')
    await expect(compileCanisterModule(wasm)).rejects.toThrow(UnsupportedImportError)
    await expect(compileCanisterModule(wasm)).rejects.toThrow(
      'Wasm module imports unsupported function ic0.call_new'
    )
  })

  it('rejects imports from other modules than ic0', async () => {
    const wasm = await wasmOf('(module (import "env" "memory" (memory 1)))')
    await expect(compileCanisterModule(wasm)).rejects.toThrow(
      'Wasm module imports unsupported memory env.memory'
    )
  })

  it('rejects a System API import with the wrong signature', async () => {
    const wasm = await wasmOf('(module (import "ic0" "msg_reply" (func (param i32))))')
    await expect(compileCanisterModule(wasm)).rejects.toThrow(InvalidModuleError)
    await expect(compileCanisterModule(wasm)).rejects.toThrow(
      'Wasm module imports ic0.msg_reply with signature (i32) -> (), expected () -> ()'
    )
  })

  it('rejects methods that are not () -> () functions, or exported twice', async () => {
    const wrongType = await wasmOf('(module (func (export "canister_update f") (param i32)))')
    await expect(compileCanisterModule(wrongType)).rejects.toThrow("exports 'canister_update f' that is not")
    const twice = await wasmOf(
      '(module (func $f) (export "canister_update f" (func $f)) (export "canister_query f" (func $f)))'
    )
    await expect(compileCanisterModule(twice)).rejects.toThrow("Duplicate function 'f'")
  })

  it('rejects bytes that are not Wasm', async () => {
    await expect(compileCanisterModule(bytes('not wasm'))).rejects.toThrow(InvalidModuleError)
  })
})

describe('the counter canister', () => {
  it('starts at 0 without an init argument, or with the empty argument tuple', async () => {
    for (const arg of [undefined, new Uint8Array(IDL.encode([], []))]) {
      const counter = await installed('counter', arg)
      expect(nat64Of(counter.query(ctx('get')))).toBe(0n)
      expect(nat64Of(counter.query(ctx('get_stable')))).toBe(0n)
      expect(counter.debugLog).toEqual(['counter initialised'])
    }
  })

  it('starts at the init argument and counts in heap, stable memory and certified data', async () => {
    const counter = await installed('counter', nat64(41n))
    expect(nat64Of(counter.update(ctx('inc')))).toBe(42n)
    expect(nat64Of(counter.query(ctx('get')))).toBe(42n)
    expect(nat64Of(counter.query(ctx('get_stable')))).toBe(42n)
    expect(counter.certifiedData).toEqual(nat64(42n).subarray(7))
    expect(counter.stableMemory.byteLength).toBe(WASM_PAGE_SIZE)
    expect(replyOf(counter.update(ctx('set', nat64(7n))))).toEqual(new Uint8Array(IDL.encode([], [])))
    expect(nat64Of(counter.query(ctx('get')))).toBe(7n)
    expect(IDL.decode([IDL.Text], replyOf(counter.query(ctx('health'))))).toEqual(['ok'])
  })

  it('traps on an argument that is not a Candid nat64', async () => {
    const counter = await installed('counter')
    const rejection = rejectionOf(counter.update(ctx('set', new Uint8Array(IDL.encode([IDL.Text], ['7'])))))
    expect(rejection.rejectMessage).toBe(
      "Error from Canister rrkah-fqaaa-aaaaa-aaaaq-cai: Canister called `ic0.trap` with message: 'expected a Candid nat64 argument'"
    )
  })

  it('rolls back every change of a message that traps', async () => {
    const counter = await installed('counter', nat64(3n))
    const before = counter.exportState()
    const rejection = rejectionOf(counter.update(ctx('inc_and_trap')))
    expect(rejection).toEqual({
      status: 'rejected',
      rejectCode: 5,
      errorCode: 'IC0503',
      rejectMessage:
        "Error from Canister rrkah-fqaaa-aaaaa-aaaaq-cai: Canister called `ic0.trap` with message: 'inc_and_trap: trapping on purpose'"
    })
    expect(summary(counter.exportState())).toEqual(summary(before))
    expect(counter.heapSize).toBe(2 * WASM_PAGE_SIZE)
    // The instance that replaced the grown one keeps working.
    expect(nat64Of(counter.update(ctx('inc')))).toBe(4n)
    expect(counter.exportState().globals).toEqual([{ i64: 1n }, { i32: 1 }])
  })

  it('keeps nothing a query changes, even when called as an update', async () => {
    const probe = await installed('probe')
    const before = probe.exportState()
    expect(replyOf(probe.query(ctx('bump_query')))).toEqual(Uint8Array.of(1, 0, 0, 0))
    expect(replyOf(probe.update(ctx('bump_query')))).toEqual(Uint8Array.of(1, 0, 0, 0))
    expect(replyOf(probe.query(ctx('hidden')))).toEqual(Uint8Array.of(0, 0, 0, 0))
    expect(summary(probe.exportState())).toEqual(summary(before))
  })

  it('rejects unknown methods the way the replica does', async () => {
    const counter = await installed('counter')
    expect(counter.update(ctx('nope'))).toEqual({
      status: 'rejected',
      rejectCode: 3,
      errorCode: 'IC0536',
      rejectMessage: "Error from Canister rrkah-fqaaa-aaaaa-aaaaq-cai: Canister has no update method 'nope'."
    })
    expect(rejectionOf(counter.query(ctx('inc'))).rejectMessage).toBe(
      "Error from Canister rrkah-fqaaa-aaaaa-aaaaq-cai: Canister has no query method 'inc'."
    )
  })

  it('restores heap, stable memory, globals and certified data from an exported state', async () => {
    const counter = await installed('counter', nat64(5n))
    nat64Of(counter.update(ctx('inc')))
    nat64Of(counter.update(ctx('grow_heap', nat64(1n))))
    nat64Of(counter.update(ctx('grow_stable', nat64(2n))))
    const state = counter.exportState()
    expect(state.heap.byteLength).toBe(3 * WASM_PAGE_SIZE)
    expect(state.stable.byteLength).toBe(3 * WASM_PAGE_SIZE)
    expect(state.globals).toEqual([{ i64: 3n }, { i32: 1 }])
    expect(state.certifiedData).toEqual(nat64(6n).subarray(7))

    // The state is a copy: the canister moving on does not change it.
    nat64Of(counter.update(ctx('inc')))
    expect(nat64Of(await restoredGet(state))).toBe(6n)

    const restored = await (await canister('counter')).instantiate(state)
    expect(summary(restored.exportState())).toEqual(summary(state))
    expect(nat64Of(restored.query(ctx('get_stable')))).toBe(6n)
    expect(nat64Of(restored.update(ctx('inc')))).toBe(7n)
  })

  async function restoredGet(state: ExecutionState): Promise<Outcome> {
    return (await (await canister('counter')).instantiate(state)).query(ctx('get'))
  }

  it('keeps stable memory and certified data across an upgrade, resets heap and globals', async () => {
    const old = await installed('counter', nat64(10n))
    nat64Of(old.update(ctx('inc')))
    nat64Of(old.update(ctx('inc')))
    replyOf(old.preUpgrade(ctx('canister_pre_upgrade')))

    const upgraded = await (
      await canister('counter')
    ).instantiateForUpgrade(old.stableMemory, old.certifiedData)
    expect(nat64Of(upgraded.query(ctx('get')))).toBe(0n)
    replyOf(upgraded.postUpgrade(ctx('canister_post_upgrade')))
    expect(nat64Of(upgraded.query(ctx('get')))).toBe(12n)
    expect(upgraded.exportState().globals).toEqual([{ i64: 0n }, { i32: 1 }])
    expect(upgraded.certifiedData).toEqual(nat64(12n).subarray(7))
  })

  it('fills 64 MiB of stable memory and a heap region quickly, with incompressible bytes', async () => {
    const counter = await installed('counter', nat64(1n))
    const started = performance.now()
    expect(nat64Of(counter.update(ctx('grow_stable', nat64(1024n))))).toBe(1025n)
    expect(nat64Of(counter.update(ctx('grow_heap', nat64(16n))))).toBe(18n)
    expect(replyOf(counter.update(ctx('fill', nat64(99n))))).toEqual(new Uint8Array(IDL.encode([], [])))
    expect(performance.now() - started).toBeLessThan(5000)

    // A message after that costs no copy of the big stable memory.
    const incStarted = performance.now()
    expect(nat64Of(counter.update(ctx('inc')))).toBe(2n)
    expect(performance.now() - incStarted).toBeLessThan(250)

    const { heap, stable } = counter.exportState()
    expect(stable.byteLength).toBe(1025 * WASM_PAGE_SIZE)
    expect(nat64Of(counter.query(ctx('get_stable')))).toBe(2n)
    const tail = stable.slice(stable.byteLength - 1024 * 1024, stable.byteLength)
    expect(deflateSync(tail).length).toBeGreaterThan(tail.length * 0.99)
    const heapRegion = heap.slice(2 * WASM_PAGE_SIZE, heap.byteLength)
    expect(heapRegion.length).toBe(16 * WASM_PAGE_SIZE)
    expect(deflateSync(heapRegion).length).toBeGreaterThan(heapRegion.length * 0.99)
  })
})

describe('the broken counter', () => {
  it('keeps the counter when upgraded from counter, and fails its health check', async () => {
    const old = await installed('counter', nat64(5n))
    replyOf(old.preUpgrade(ctx('canister_pre_upgrade')))
    const broken = await (
      await canister('broken_counter')
    ).instantiateForUpgrade(old.stableMemory, old.certifiedData)
    replyOf(broken.postUpgrade(ctx('canister_post_upgrade')))
    expect(nat64Of(broken.query(ctx('get')))).toBe(5n)
    expect(broken.exportState().globals).toEqual([{ i64: 0n }, { i32: 2 }])
    expect(broken.query(ctx('health'))).toEqual({
      status: 'rejected',
      rejectCode: 5,
      errorCode: 'IC0503',
      rejectMessage:
        "Error from Canister rrkah-fqaaa-aaaaa-aaaaq-cai: Canister called `ic0.trap` with message: 'health check failed'"
    })
  })
})

describe('the System API', () => {
  it('gives the message context to the canister', async () => {
    const probe = await installed('probe')
    expect(replyOf(probe.update(ctx('caller')))).toEqual(caller.toUint8Array())
    expect(replyOf(probe.update(ctx('self')))).toEqual(canisterId.toUint8Array())
    expect(Buffer.from(replyOf(probe.update(ctx('method')))).toString()).toBe('method')
    expect(Buffer.from(replyOf(probe.update(ctx('time')))).readBigUInt64LE()).toBe(timeNs)
    expect(replyOf(probe.update(ctx('echo', bytes('hello'))))).toEqual(bytes('hello'))
    expect(replyOf(probe.query(ctx('certificate_present')))).toEqual(Uint8Array.of(0))
    replyOf(probe.update(ctx('print', bytes('hi there'))))
    expect(probe.debugLog).toEqual(['hi there'])
  })

  it('turns msg_reject, a missing reply and Wasm traps into the replica’s rejections', async () => {
    const probe = await installed('probe')
    expect(probe.update(ctx('reject', bytes('not today')))).toEqual({
      status: 'rejected',
      rejectCode: 4,
      errorCode: 'IC0406',
      rejectMessage: 'not today'
    })
    expect(probe.update(ctx('no_reply'))).toEqual({
      status: 'rejected',
      rejectCode: 5,
      errorCode: 'IC0506',
      rejectMessage: 'Canister rrkah-fqaaa-aaaaa-aaaaq-cai did not produce a response'
    })
    expect(rejectionOf(probe.update(ctx('unreachable')))).toMatchObject({
      errorCode: 'IC0502',
      rejectMessage: 'Error from Canister rrkah-fqaaa-aaaaa-aaaaq-cai: Canister trapped: unreachable'
    })
    expect(rejectionOf(probe.update(ctx('stable_out_of_bounds')))).toMatchObject({
      errorCode: 'IC0502',
      rejectMessage:
        'Error from Canister rrkah-fqaaa-aaaaa-aaaaq-cai: Canister trapped: stable memory out of bounds'
    })
  })

  it('traps on contract violations', async () => {
    const probe = await installed('probe')
    expect(rejectionOf(probe.update(ctx('reply_twice')))).toMatchObject({
      errorCode: 'IC0504',
      rejectMessage: expect.stringContaining('ic0.msg_reply: the call was already responded to')
    })
    expect(rejectionOf(probe.query(ctx('certify_in_query')))).toMatchObject({
      errorCode: 'IC0504',
      rejectMessage: expect.stringContaining('ic0.certified_data_set cannot be executed in query mode')
    })
    expect(rejectionOf(probe.update(ctx('certify', new Uint8Array(33))))).toMatchObject({
      errorCode: 'IC0504'
    })
    replyOf(probe.update(ctx('certify', new Uint8Array(32).fill(7))))
    expect(probe.certifiedData).toEqual(new Uint8Array(32).fill(7))
  })

  // dfinity/ic, rs/system_api/src/lib.rs: MAX_INTER_CANISTER_PAYLOAD_IN_BYTES (2 MiB) in replicated
  // execution, MAX_NON_REPLICATED_QUERY_REPLY_SIZE (3 MiB) for a query that is not.
  it('limits replies to 2 MiB, and those of non-replicated queries to 3 MiB', async () => {
    const probe = await installed('probe')
    const size = (n: number) => {
      const arg = new Uint8Array(4)
      new DataView(arg.buffer).setUint32(0, n, true)
      return arg
    }
    const MiB = 1024 * 1024
    expect(replyOf(probe.update(ctx('reply_of_size', size(2 * MiB))))).toHaveLength(2 * MiB)
    expect(rejectionOf(probe.update(ctx('reply_of_size', size(2 * MiB + 1))))).toMatchObject({
      errorCode: 'IC0504',
      rejectMessage: expect.stringContaining(
        `application payload size (${2 * MiB + 1}) cannot be larger than ${2 * MiB}`
      )
    })
    expect(replyOf(probe.query(ctx('reply_of_size_query', size(3 * MiB))))).toHaveLength(3 * MiB)
    expect(rejectionOf(probe.query(ctx('reply_of_size_query', size(3 * MiB + 1))))).toMatchObject({
      errorCode: 'IC0504',
      rejectMessage: expect.stringContaining(`cannot be larger than ${3 * MiB}`)
    })
    // The same query method run replicated (as an update call) has the 2 MiB limit.
    expect(rejectionOf(probe.update(ctx('reply_of_size_query', size(3 * MiB))))).toMatchObject({
      rejectMessage: expect.stringContaining(`cannot be larger than ${2 * MiB}`)
    })
  })

  it('snapshots and rolls back the memory and globals a module does not export', async () => {
    const probe = await installed('probe')
    expect(replyOf(probe.update(ctx('bump')))).toEqual(Uint8Array.of(1, 0, 0, 0))
    const state = probe.exportState()
    expect(state.heap.byteLength).toBe(WASM_PAGE_SIZE)
    expect(state.heap.slice(WASM_PAGE_SIZE - 1, WASM_PAGE_SIZE)[0]).toBe(1)
    // big, ratio, scale, answer (immutable), then the hidden global the runtime exported
    expect(state.globals).toEqual([{ i64: 1n }, { f64: 1.5 }, { f32: 3 }, { i32: 42 }, { i32: 1 }])

    expect(rejectionOf(probe.update(ctx('bump_and_trap'))).errorCode).toBe('IC0502')
    expect(summary(probe.exportState())).toEqual(summary(state))

    // Immutable globals come from the module: a restore skips them.
    const restored = await (
      await canister('probe')
    ).instantiate({
      ...state,
      globals: [{ i64: 5n }, { f64: 2 }, { f32: 4 }, { i32: 0 }, { i32: 9 }]
    })
    expect(replyOf(restored.query(ctx('hidden')))).toEqual(Uint8Array.of(9, 0, 0, 0))
    expect(restored.exportState().globals).toEqual([
      { i64: 5n },
      { f64: 2 },
      { f32: 4 },
      { i32: 42 },
      { i32: 9 }
    ])
  })

  it('refuses a state whose globals do not fit the module', async () => {
    const probe = await canister('probe')
    const state = (await installed('probe')).exportState()
    await expect(probe.instantiate({ ...state, globals: [{ i32: 1 }] })).rejects.toThrow(
      'the state has 1 globals, the module exports 5'
    )
    await expect(
      probe.instantiate({ ...state, globals: [{ i32: 1 }, { f64: 1 }, { f32: 1 }, { i32: 1 }, { i32: 1 }] })
    ).rejects.toThrow('global 0 (big) is i64, the state has i32')
  })
})

describe('StableMemory', () => {
  const read = (memory: StableMemory, offset: number, length: number): Uint8Array => {
    const out = new Uint8Array(length)
    memory.read(offset, out)
    return out
  }

  it('reads and writes across its 1 MiB segments and copies its contents', () => {
    const mib = 1024 * 1024
    const memory = new StableMemory()
    memory.grow(64)
    const data = Uint8Array.from({ length: 3 * WASM_PAGE_SIZE }, (_, i) => i % 251)
    memory.write(mib - WASM_PAGE_SIZE - 5, data)
    const bytesDigest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
    expect(bytesDigest(read(memory, mib - WASM_PAGE_SIZE - 5, data.length))).toBe(bytesDigest(data))
    const copy = new StableMemory(memory.copy())
    expect(bytesDigest(read(copy, mib - WASM_PAGE_SIZE - 5, data.length))).toBe(bytesDigest(data))
    expect(read(copy, 3 * mib, 4)).toEqual(new Uint8Array(4))
  })

  it('rolls back writes and growth, and zeroes what was grown', () => {
    const memory = new StableMemory()
    memory.grow(1)
    memory.write(10, Uint8Array.of(1, 2, 3))
    memory.begin()
    memory.write(11, Uint8Array.of(9))
    memory.grow(3)
    memory.write(3 * WASM_PAGE_SIZE, Uint8Array.of(5))
    memory.rollback()
    expect(memory.byteLength).toBe(WASM_PAGE_SIZE)
    expect(read(memory, 10, 3)).toEqual(Uint8Array.of(1, 2, 3))
    memory.grow(3)
    expect(read(memory, 3 * WASM_PAGE_SIZE, 1)).toEqual(Uint8Array.of(0))
  })

  it('grows beyond 4 GiB holding only what was written, and refuses to grow beyond 500 GiB', () => {
    const GiB = 1024 ** 3
    const memory = new StableMemory()
    expect(memory.grow((500 * GiB) / WASM_PAGE_SIZE + 1)).toBe(-1)
    expect(memory.grow((500 * GiB) / WASM_PAGE_SIZE)).toBe(0)
    expect(memory.byteLength).toBe(500 * GiB)
    memory.write(499 * GiB + 3, Uint8Array.of(7, 8))
    expect(read(memory, 499 * GiB + 2, 4)).toEqual(Uint8Array.of(0, 7, 8, 0))
    // One 1 MiB segment, not 500 GiB; a clone (what a snapshot keeps) holds the same.
    expect(memory.allocatedBytes).toBe(1024 * 1024)
    const clone = memory.clone()
    expect(clone.allocatedBytes).toBe(1024 * 1024)
    expect(clone.slice(499 * GiB + 3, 499 * GiB + 5)).toEqual(Uint8Array.of(7, 8))
    expect(memory.grow(1)).toBe(-1)
  })
})
