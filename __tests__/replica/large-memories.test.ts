// Memories as large as the IC's, through the real agent: stable memory beyond 4 GiB (the IC allows 500 GiB,
// dfinity/ic MAX_STABLE_MEMORY_IN_BYTES), kept sparse by the replica so that only written pages take space,
// and the heap limit of a snapshot upload that follows the canister's Wasm mode (4 GiB for Wasm32, 6 GiB for
// Wasm64: ValidatedSnapshotMetadata::validate).
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import type { Principal } from '@icp-sdk/core/principal'
import { agentFor, managementFor } from '../harness/agent.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'
import type { Outcome } from '../harness/replica/types.js'
import wabtInit from 'wabt'

async function wat2wasm(wat: string): Promise<Uint8Array> {
  const module = (await wabtInit()).parseWat('inline.wat', wat, { memory64: true })
  try {
    return new Uint8Array(module.toBinary({}).buffer)
  } finally {
    module.destroy()
  }
}

const GiB = 1024 ** 3
const PAGE = 65536
const owner = Ed25519KeyIdentity.generate()
let replica: Replica
let ic: ReturnType<typeof managementFor>

beforeAll(async () => {
  replica = await startReplica()
  ic = managementFor(await agentFor(replica, owner))
})
afterAll(async () => {
  await replica?.stop()
})

const u64 = (...values: number[]) => {
  const out = Buffer.alloc(8 * values.length)
  values.forEach((value, i) => out.writeBigUInt64LE(BigInt(value), 8 * i))
  return out
}

async function call(kind: 'update' | 'query', canisterId: Principal, methodName: string, arg: Uint8Array) {
  const ingress = {
    sender: owner.getPrincipal(),
    canisterId,
    effectiveCanisterId: canisterId,
    methodName,
    arg
  }
  return kind === 'update' ? replica.state.update(ingress) : replica.state.query(ingress)
}

function replied(outcome: Outcome): Buffer {
  if (outcome.status !== 'replied') throw new Error(`${outcome.errorCode}: ${outcome.rejectMessage}`)
  return Buffer.from(outcome.reply)
}

/** A probe canister with `pages` of stable memory, grown through the 64-bit API. */
async function probeWithStable(pages: number): Promise<Principal> {
  const id = await replica.seedCanister('probe', [owner.getPrincipal()])
  // Room for the storage of 10 GiB (canister and snapshot) under the default 30-day freezing threshold.
  await replica.setCycles(id, 10n ** 16n)
  expect(replied(await call('update', id, 'stable64_grow_by', u64(pages))).readBigInt64LE()).toBe(0n)
  return id
}

const arrayBuffers = () => process.memoryUsage().arrayBuffers

describe('stable memory beyond 4 GiB', () => {
  const pages = (5 * GiB) / PAGE
  const far = 4.5 * GiB + 3
  const marker = Buffer.from('beyond 4 GiB')

  it('grows to 5 GiB through the 64-bit API, and the 32-bit API traps on it as the IC does', async () => {
    const before = arrayBuffers()
    const id = await probeWithStable(pages)
    replied(await call('update', id, 'stable64_poke', Buffer.concat([u64(far), marker])))
    const peeked = replied(await call('query', id, 'stable64_peek', u64(far - 1, marker.length + 2)))
    expect(peeked).toEqual(Buffer.concat([Buffer.of(0), marker, Buffer.of(0)]))
    // Only the written 1 MiB segment exists, not 5 GiB.
    expect(arrayBuffers() - before).toBeLessThan(64 * 1024 * 1024)

    for (const method of ['stable32_size', 'stable32_grow_one'])
      expect(
        await call(method === 'stable32_size' ? 'query' : 'update', id, method, new Uint8Array())
      ).toMatchObject({
        status: 'rejected',
        errorCode: 'IC0502',
        rejectMessage: expect.stringContaining('32 bit stable memory api used on a memory larger than 4GB')
      })
  })

  it('refuses a 32-bit grow past 4 GiB with -1, which the 64-bit API allows', async () => {
    const id = await probeWithStable(65536)
    expect(replied(await call('query', id, 'stable32_size', new Uint8Array())).readInt32LE()).toBe(65536)
    expect(replied(await call('update', id, 'stable32_grow_one', new Uint8Array())).readInt32LE()).toBe(-1)
    expect(replied(await call('update', id, 'stable64_grow_by', u64(1))).readBigInt64LE()).toBe(65536n)
  })

  it('takes, reads, uploads and loads a 5 GiB snapshot, holding only the pages written', async () => {
    const before = arrayBuffers()
    const source = await probeWithStable(pages)
    replied(await call('update', source, 'stable64_poke', Buffer.concat([u64(far), marker])))
    const taken = await ic.takeCanisterSnapshot({ canisterId: source })
    expect(taken.total_size).toBeGreaterThan(BigInt(5 * GiB))
    const metadata = await ic.readCanisterSnapshotMetadata({ canisterId: source, snapshotId: taken.id })
    expect(metadata.stableMemorySize).toBe(BigInt(5 * GiB))
    const read = (offset: number, size: number) =>
      ic.readCanisterSnapshotData({
        canisterId: source,
        snapshotId: taken.id,
        kind: { stableMemory: { offset: BigInt(offset), size: BigInt(size) } } as never
      })
    expect(Buffer.from((await read(far, marker.length)).chunk)).toEqual(marker)
    expect(Buffer.from((await read(2 * GiB, 2_000_000)).chunk).equals(Buffer.alloc(2_000_000))).toBe(true)

    // Into another canister: the announced 5 GiB is allocated by nobody, the one slice lands where it was.
    const target = await probeWithStable(0)
    const { snapshot_id: uploaded } = await ic.uploadCanisterSnapshotMetadata({
      canisterId: target,
      metadata
    })
    const module = await ic.readCanisterSnapshotData({
      canisterId: source,
      snapshotId: taken.id,
      kind: { wasmModule: { offset: 0n, size: metadata.wasmModuleSize } } as never
    })
    for (const [kind, offset, chunk] of [
      ['wasmModule', 0, module.chunk],
      ['stableMemory', far, marker]
    ] as const)
      await ic.uploadCanisterSnapshotData({
        canisterId: target,
        snapshotId: uploaded,
        kind: { [kind]: { offset: BigInt(offset) } } as never,
        chunk
      })
    await ic.loadCanisterSnapshot({ canisterId: target, snapshotId: uploaded })
    expect(replied(await call('query', target, 'stable64_peek', u64(far, marker.length)))).toEqual(marker)
    expect(replied(await call('update', target, 'stable64_grow_by', u64(0))).readBigInt64LE()).toBe(
      BigInt(pages)
    )
    // Two canisters and two snapshots of 5 GiB each: a few written segments in all.
    expect(arrayBuffers() - before).toBeLessThan(128 * 1024 * 1024)
  })
})

describe("a snapshot upload's heap limit follows the canister's Wasm mode", () => {
  async function uploadHeap(canisterId: Principal, wasmMemorySize: number) {
    const source = await replica.seedCanister('counter', [owner.getPrincipal()])
    const taken = await ic.takeCanisterSnapshot({ canisterId: source })
    const metadata = await ic.readCanisterSnapshotMetadata({ canisterId: source, snapshotId: taken.id })
    return ic
      .uploadCanisterSnapshotMetadata({
        canisterId,
        metadata: { ...metadata, wasmMemorySize: BigInt(wasmMemorySize) }
      })
      .then(
        () => 'accepted',
        (error: Error) => (/WasmMemoryTooLarge/.test(error.message) ? 'WasmMemoryTooLarge' : error.message)
      )
  }

  const overWasm32 = 4 * GiB + PAGE
  const overWasm64 = 6 * GiB + PAGE

  it('allows a Wasm64 canister up to 6 GiB', async () => {
    const wasm64 = await replica.seedCanister('wasm64', [owner.getPrincipal()])
    await replica.setCycles(wasm64, 10n ** 16n)
    expect(replied(await call('update', wasm64, 'ping', new Uint8Array()))).toHaveLength(0)
    expect(await uploadHeap(wasm64, overWasm32)).toBe('accepted')
    expect(await uploadHeap(wasm64, 6 * GiB)).toBe('accepted')
    expect(await uploadHeap(wasm64, overWasm64)).toBe('WasmMemoryTooLarge')
  })

  it('runs a Wasm64 canister with the System API of its mode: i64 heap addresses and sizes', async () => {
    const canisterId = await replica.seedCanister('wasm64', [owner.getPrincipal()])
    expect(replied(await call('update', canisterId, 'echo', Buffer.from('sixty-four')))).toEqual(
      Buffer.from('sixty-four')
    )
    // A module that imports a function with the other mode's signature is refused at install.
    const wasm32Imports = `(module (import "ic0" "msg_reply_data_append" (func (param i32 i32))) (memory i64 1))`
    const wasm64Imports = `(module (import "ic0" "msg_reply_data_append" (func (param i64 i64))) (memory 1))`
    for (const [wat, expected] of [
      [wasm32Imports, 'expected (i64, i64) -> ()'],
      [wasm64Imports, 'expected (i32, i32) -> ()']
    ]) {
      const target = await ic.provisionalCreateCanisterWithCycles({ amount: 10n ** 13n })
      await expect(
        ic.installCode({
          canisterId: target,
          wasmModule: await wat2wasm(wat),
          arg: new Uint8Array(),
          mode: { install: null }
        })
      ).rejects.toThrow(expected)
    }
  })

  it('grows a Wasm64 heap, undoes a trapped grow, and loads a snapshot with a larger heap into it', async () => {
    const canisterId = await replica.seedCanister('wasm64', [owner.getPrincipal()])
    replied(await call('update', canisterId, 'ping', new Uint8Array()))
    replied(await call('update', canisterId, 'grow', new Uint8Array()))
    expect(await call('update', canisterId, 'grow_and_trap', new Uint8Array())).toMatchObject({
      status: 'rejected',
      errorCode: 'IC0502'
    })
    const heapOf = async (snapshotId: Uint8Array, offset: number) => {
      const metadata = await ic.readCanisterSnapshotMetadata({ canisterId, snapshotId })
      const { chunk } = await ic.readCanisterSnapshotData({
        canisterId,
        snapshotId,
        kind: { wasmMemory: { offset: BigInt(offset), size: 8n } } as never
      })
      return { pages: Number(metadata.wasmMemorySize) / PAGE, word: Buffer.from(chunk).readBigUInt64LE() }
    }
    const taken = await ic.takeCanisterSnapshot({ canisterId })
    // The trapped message's page and write are gone; the first ping's count stays.
    expect(await heapOf(taken.id, 0)).toEqual({ pages: 2, word: 1n })

    const metadata = await ic.readCanisterSnapshotMetadata({ canisterId, snapshotId: taken.id })
    const module = await ic.readCanisterSnapshotData({
      canisterId,
      snapshotId: taken.id,
      kind: { wasmModule: { offset: 0n, size: metadata.wasmModuleSize } } as never
    })
    const { snapshot_id: uploaded } = await ic.uploadCanisterSnapshotMetadata({
      canisterId,
      metadata: { ...metadata, wasmMemorySize: BigInt(4 * PAGE) }
    })
    for (const [kind, offset, chunk] of [
      ['wasmModule', 0, module.chunk],
      ['wasmMemory', 3 * PAGE, u64(42)]
    ] as const)
      await ic.uploadCanisterSnapshotData({
        canisterId,
        snapshotId: uploaded,
        kind: { [kind]: { offset: BigInt(offset) } } as never,
        chunk
      })
    await ic.loadCanisterSnapshot({ canisterId, snapshotId: uploaded })
    replied(await call('update', canisterId, 'ping', new Uint8Array()))
    const after = await ic.takeCanisterSnapshot({ canisterId })
    expect(await heapOf(after.id, 3 * PAGE)).toEqual({ pages: 4, word: 42n })
  })

  it('allows a Wasm32 canister, and one without code, 4 GiB', async () => {
    const wasm32 = await replica.seedCanister('counter', [owner.getPrincipal()])
    await replica.setCycles(wasm32, 10n ** 16n)
    expect(await uploadHeap(wasm32, 4 * GiB)).toBe('accepted')
    expect(await uploadHeap(wasm32, overWasm32)).toBe('WasmMemoryTooLarge')
    const empty = await ic.provisionalCreateCanisterWithCycles({ amount: 10n ** 16n })
    expect(await uploadHeap(empty, overWasm32)).toBe('WasmMemoryTooLarge')
  })
})
