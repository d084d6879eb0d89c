// `--state-dir`: a replica killed with SIGKILL and started again on the same dir and port comes back with
// its root key, canisters, memories, chunk stores, snapshots (a half-uploaded one too), its canister id
// counter and the outcomes of the calls it answered.
import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pollForResponse, type HttpAgent } from '@icp-sdk/core/agent'
import { IDL } from '@icp-sdk/core/candid'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Principal } from '@icp-sdk/core/principal'
import { agentFor, counterFor, growAndFill, managementFor } from '../harness/agent.js'
import { startReplicaProcess, type ReplicaProcess } from '../harness/replica/process.js'
import { startReplica } from '../harness/replica/replica.js'
import { decodeState, encodeState } from '../harness/replica/state-dir/codec.js'
import { SparseMemory } from '../harness/replica/wasm/sparse-memory.js'

const SLICE = 2_000_000n
// Hashes, not the bytes: jest's deep equality takes seconds over 2 MB.
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const controller = Ed25519KeyIdentity.generate()
let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'replica-state-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const listOf = async (agent: HttpAgent, canisterId: Principal) =>
  (await managementFor(agent).listCanisterSnapshots({ canisterId })).map(s => ({
    id: Buffer.from(s.id).toString('hex'),
    taken: s.taken_at_timestamp,
    size: s.total_size
  }))

it('a replica killed with SIGKILL comes back from its state dir with everything it answered', async () => {
  const start = (port?: number) =>
    startReplicaProcess({
      stateDir: dir,
      port,
      seed: { backend: 'counter' },
      controllers: [controller.getPrincipal().toText()]
    })
  let replica: ReplicaProcess = await start()
  try {
    const port = Number(new URL(replica.url).port)
    const backend = Principal.fromText(replica.canisters.backend)
    let agent = await agentFor(replica, controller)
    let ic = managementFor(agent)
    await growAndFill(agent, backend, { stablePages: 48, seed: 5n })
    await counterFor(agent, backend).set(41n)
    const taken = await ic.takeCanisterSnapshot({ canisterId: backend })
    const stableSlice = async (canisterId: Principal, snapshotId: Uint8Array) =>
      (
        await managementFor(agent).readCanisterSnapshotData({
          canisterId,
          snapshotId,
          kind: { stableMemory: { offset: 0n, size: SLICE } } as never
        })
      ).chunk
    const firstSlice = await stableSlice(backend, taken.id)

    // A second canister, stopped, with a chunk in its store and a snapshot uploaded only in part.
    const target = await ic.provisionalCreateCanisterWithCycles({ amount: 10n ** 12n })
    const metadata = await ic.readCanisterSnapshotMetadata({ canisterId: backend, snapshotId: taken.id })
    const { snapshot_id: uploaded } = await ic.uploadCanisterSnapshotMetadata({
      canisterId: target,
      metadata
    })
    await ic.uploadCanisterSnapshotData({
      canisterId: target,
      snapshotId: uploaded,
      kind: { stableMemory: { offset: 0n } } as never,
      chunk: firstSlice
    })
    const chunkHash = await ic.uploadChunk({ canisterId: target, chunk: new Uint8Array(1000).fill(9) })
    await ic.stopCanister(target)

    // The last call before the kill: its outcome must still be readable by its request id.
    const { requestId } = await agent.call(backend, {
      methodName: 'inc',
      arg: new Uint8Array(IDL.encode([], [])),
      effectiveCanisterId: backend
    })
    const before = {
      rootKey: replica.rootKeyHex,
      canisters: replica.canisters,
      backend: await listOf(agent, backend),
      target: await listOf(agent, target)
    }

    await replica.kill()
    replica = await start(port)
    expect(replica.url).toBe(`http://127.0.0.1:${port}`)
    agent = await agentFor(replica, controller)
    ic = managementFor(agent)

    expect({
      rootKey: replica.rootKeyHex,
      canisters: replica.canisters,
      backend: await listOf(agent, backend),
      target: await listOf(agent, target)
    }).toEqual(before)
    const { reply } = await pollForResponse(agent, backend, requestId)
    expect(IDL.decode([IDL.Nat64], reply)).toEqual([42n])
    expect(await counterFor(agent, backend).get()).toBe(42n)
    expect('stopped' in (await ic.canisterStatus({ canisterId: target })).status).toBe(true)
    expect((await ic.storedChunks({ canisterId: target })).map(c => Buffer.from(c.hash))).toEqual([
      Buffer.from(chunkHash.hash)
    ])
    expect(sha256(await stableSlice(target, uploaded))).toBe(sha256(firstSlice))
    expect(sha256(await stableSlice(backend, taken.id))).toBe(sha256(firstSlice))

    // The snapshot loads into the memories it was taken with, and new ids continue the old count.
    await ic.loadCanisterSnapshot({ canisterId: backend, snapshotId: taken.id })
    expect(await counterFor(agent, backend).get()).toBe(41n)
    const next = await ic.provisionalCreateCanisterWithCycles({ amount: 10n ** 12n })
    expect([backend.toText(), target.toText()]).not.toContain(next.toText())
  } finally {
    await replica.stop()
  }
}, 120_000)

it('a restart after a call reads the state back from the state dir, not from memory', async () => {
  const replica = await startReplica({ stateDir: dir, syncCallTimeoutMs: 500 })
  try {
    const id = await replica.seedCanister('counter', [controller.getPrincipal()])
    const agent = await agentFor(replica, controller)
    const ic = managementFor(agent)
    const incarnation = replica.state
    replica.controls.restartAfterCall('take_canister_snapshot', 200)
    // The connection drops after the snapshot is taken; this client does not retry.
    await expect(ic.takeCanisterSnapshot({ canisterId: id })).rejects.toThrow()
    await replica.listening()
    expect(replica.state).not.toBe(incarnation)
    expect(await listOf(agent, id)).toHaveLength(1)
    expect(await counterFor(agent, id).inc()).toBe(1n)
  } finally {
    await replica.stop()
  }
}, 60_000)

it('saves a 5 GiB stable memory and its snapshot as the pages written, and reads them back after a restart', async () => {
  const replica = await startReplica({ stateDir: dir, syncCallTimeoutMs: 500 })
  try {
    const id = await replica.seedCanister('probe', [controller.getPrincipal()])
    await replica.setCycles(id, 10n ** 16n)
    const ingress = (methodName: string, arg: Buffer) => ({
      sender: controller.getPrincipal(),
      canisterId: id,
      effectiveCanisterId: id,
      methodName,
      arg
    })
    const u64 = (...values: number[]) =>
      Buffer.concat(values.map(v => Buffer.from(new BigUint64Array([BigInt(v)]).buffer)))
    const far = 4.5 * 1024 ** 3
    await replica.state.update(ingress('stable64_grow_by', u64((5 * 1024 ** 3) / 65536)))
    await replica.state.update(ingress('stable64_poke', Buffer.concat([u64(far), Buffer.from('kept')])))
    const agent = await agentFor(replica, controller)
    const ic = managementFor(agent)
    replica.controls.restartAfterCall('take_canister_snapshot', 200)
    await expect(ic.takeCanisterSnapshot({ canisterId: id })).rejects.toThrow()
    await replica.listening()
    const [snapshot] = await ic.listCanisterSnapshots({ canisterId: id })
    const { chunk } = await ic.readCanisterSnapshotData({
      canisterId: id,
      snapshotId: snapshot.id,
      kind: { stableMemory: { offset: BigInt(far), size: 4n } } as never
    })
    expect(Buffer.from(chunk).toString()).toBe('kept')
    expect(await replica.state.query(ingress('stable64_peek', u64(far, 4)))).toEqual({
      status: 'replied',
      reply: new Uint8Array(Buffer.from('kept'))
    })
  } finally {
    await replica.stop()
  }
}, 60_000)

/** A blob store in memory, for the codec's tests: blobs by their sha256. */
function memoryBlobStore() {
  const blobs = new Map<string, Uint8Array>()
  const sink = {
    put: (bytes: Uint8Array) => {
      const name = sha256(bytes)
      blobs.set(name, bytes)
      return name
    },
    get: (name: string) => blobs.get(name) as Uint8Array
  }
  return { blobs, sink }
}

it('saves a sparse memory as its size and written segments', () => {
  const { blobs, sink } = memoryBlobStore()
  const memory = new SparseMemory(500 * 1024 ** 3)
  memory.write(3, Uint8Array.of(1, 2))
  memory.write(499 * 1024 ** 3, Uint8Array.of(9))
  const json = JSON.parse(JSON.stringify(encodeState({ memory }, sink)))
  expect(blobs.size).toBe(2)
  const back = (decodeState(json, sink) as { memory: SparseMemory }).memory
  expect(back.byteLength).toBe(500 * 1024 ** 3)
  expect(back.allocatedBytes).toBe(2 * 1024 * 1024)
  expect(back.slice(2, 6)).toEqual(Uint8Array.of(0, 1, 2, 0))
  expect(back.slice(499 * 1024 ** 3, 499 * 1024 ** 3 + 1)).toEqual(Uint8Array.of(9))

  // A memory shorter than a segment saves only its own bytes: a 128 KiB heap is a 128 KiB blob.
  blobs.clear()
  const heap = SparseMemory.of(new Uint8Array(2 * 65536).fill(1))
  const saved = JSON.parse(JSON.stringify(encodeState({ heap }, sink)))
  expect([...blobs.values()].map(blob => blob.length)).toEqual([2 * 65536])
  expect(sha256((decodeState(saved, sink) as { heap: SparseMemory }).heap.copy())).toBe(sha256(heap.copy()))
})

it('saves what plain JSON cannot hold: bigints, principals, NaN and -0 globals, bytes in and out of line', () => {
  const { blobs, sink } = memoryBlobStore()
  const value = {
    index: 2n ** 63n + 17n,
    owner: controller.getPrincipal(),
    globals: [{ f64: NaN }, { f32: -0 }, { f64: Infinity }, { i64: -5n }, { v128: 2n ** 127n }],
    small: new Uint8Array([1, 2, 3]),
    heap: new Uint8Array(100_000).fill(7),
    timer: undefined
  }
  const json = JSON.parse(JSON.stringify(encodeState(value, sink)))
  expect(blobs.size).toBe(1)
  const back = decodeState(json, sink) as typeof value
  expect(back.index).toBe(value.index)
  expect(back.owner.toText()).toBe(value.owner.toText())
  expect(back.globals).toEqual(value.globals)
  expect(Object.is((back.globals[1] as { f32: number }).f32, -0)).toBe(true)
  expect(Buffer.from(back.small)).toEqual(Buffer.from(value.small))
  expect(sha256(back.heap)).toBe(sha256(value.heap))
  expect('timer' in back).toBe(false)
})
