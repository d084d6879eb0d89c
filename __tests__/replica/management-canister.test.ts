// The replica driven through the real client stack (@icp-sdk/core + @icp-sdk/canisters) with
// certificate and query-signature verification on: every management method, and the snapshot rules.
import { createHash } from 'node:crypto'
import type { HttpAgent } from '@icp-sdk/core/agent'
import { IDL } from '@icp-sdk/core/candid'
import { encodeSnapshotId, type IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1'
import { Principal } from '@icp-sdk/core/principal'
import { agentFor, counterFor, managementFor } from '../harness/agent.js'
import { compileCanister } from '../harness/canisters/compile.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'

const SLICE = 2_000_000n

let replica: Replica
const owner = Ed25519KeyIdentity.generate()
const other = Secp256k1KeyIdentity.generate()
let ownerAgent: HttpAgent
let ic: IcManagementCanister
let otherIc: IcManagementCanister
let counterWasm: Uint8Array
let brokenWasm: Uint8Array

beforeAll(async () => {
  replica = await startReplica()
  ownerAgent = await agentFor(replica, owner)
  ic = managementFor(ownerAgent)
  otherIc = managementFor(await agentFor(replica, other))
  counterWasm = await compileCanister('counter')
  brokenWasm = await compileCanister('broken_counter')
})

afterAll(async () => {
  await replica?.stop()
})

async function newCounter(initial?: bigint): Promise<Principal> {
  const canisterId = await ic.provisionalCreateCanisterWithCycles({ amount: 10n ** 13n })
  const arg = initial === undefined ? new Uint8Array() : new Uint8Array(IDL.encode([IDL.Nat64], [initial]))
  await ic.installCode({ mode: { install: null }, canisterId, wasmModule: counterWasm, arg })
  return canisterId
}

const sha256 = (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest())

describe('canister lifecycle through IcManagementCanister', () => {
  it('creates a canister controlled by the caller, with no module yet', async () => {
    const canisterId = await ic.provisionalCreateCanisterWithCycles({ amount: 10n ** 12n })
    const status = await ic.canisterStatus({ canisterId })
    expect(status.settings.controllers.map(c => c.toText())).toEqual([owner.getPrincipal().toText()])
    expect(status.module_hash).toEqual([])
    expect('running' in status.status).toBe(true)
  })

  it('installs, reinstalls and upgrades the counter; upgrade keeps the value, reinstall resets it', async () => {
    const canisterId = await newCounter(5n)
    const counter = counterFor(ownerAgent, canisterId)
    expect(await counter.get()).toBe(5n)
    expect(await counter.inc()).toBe(6n)

    await ic.installCode({
      mode: { upgrade: [] },
      canisterId,
      wasmModule: counterWasm,
      arg: new Uint8Array()
    })
    expect(await counter.get()).toBe(6n)
    expect(await counter.get_stable()).toBe(6n)

    await ic.installCode({
      mode: { reinstall: null },
      canisterId,
      wasmModule: counterWasm,
      arg: new Uint8Array()
    })
    expect(await counter.get()).toBe(0n)

    const status = await ic.canisterStatus({ canisterId })
    expect(Buffer.from(status.module_hash[0] as Uint8Array)).toEqual(Buffer.from(sha256(counterWasm)))
  })

  it('answers canister_status as a query too (uncertified), with the same module hash', async () => {
    const canisterId = await newCounter()
    const status = await ic.canisterStatus({ canisterId, certified: false })
    expect(Buffer.from(status.module_hash[0] as Uint8Array)).toEqual(Buffer.from(sha256(counterWasm)))
  })

  it('stops and starts: a stopped canister rejects calls, a started one answers again', async () => {
    const canisterId = await newCounter()
    const counter = counterFor(ownerAgent, canisterId)
    await ic.stopCanister(canisterId)
    expect('stopped' in (await ic.canisterStatus({ canisterId })).status).toBe(true)
    await expect(counter.inc()).rejects.toThrow(/stopped/i)
    await ic.startCanister(canisterId)
    expect(await counter.inc()).toBe(1n)
  })

  it('updates settings: a new controller may act, the removed one may not', async () => {
    const canisterId = await newCounter()
    await ic.updateSettings({ canisterId, settings: { controllers: [other.getPrincipal().toText()] } })
    await expect(ic.stopCanister(canisterId)).rejects.toThrow(/Only the controllers of the canister/)
    await otherIc.stopCanister(canisterId)
    expect('stopped' in (await otherIc.canisterStatus({ canisterId })).status).toBe(true)
  })

  it('installs chunked code from the chunk store and clears it', async () => {
    const canisterId = await ic.provisionalCreateCanisterWithCycles({ amount: 10n ** 12n })
    const half = Math.ceil(counterWasm.length / 2)
    const pieces = [counterWasm.subarray(0, half), counterWasm.subarray(half)]
    const hashes = []
    for (const chunk of pieces) hashes.push(await ic.uploadChunk({ canisterId, chunk }))
    expect(hashes.map(h => Buffer.from(h.hash))).toEqual(pieces.map(p => Buffer.from(sha256(p))))
    expect((await ic.storedChunks({ canisterId })).length).toBe(2)

    await ic.installChunkedCode({
      mode: { install: null },
      arg: new Uint8Array(IDL.encode([IDL.Nat64], [42n])),
      chunkHashesList: hashes,
      targetCanisterId: canisterId,
      wasmModuleHash: sha256(counterWasm)
    })
    expect(await counterFor(ownerAgent, canisterId).get()).toBe(42n)

    await ic.clearChunkStore({ canisterId })
    expect(await ic.storedChunks({ canisterId })).toEqual([])
  })

  it('rejects a non-controller with the IC message naming the controllers and the sender', async () => {
    const canisterId = await newCounter()
    const error = await otherIc.stopCanister(canisterId).catch((e: Error) => e)
    expect(String(error)).toContain(
      `Only the controllers of the canister ${canisterId.toText()} can control it.`
    )
    expect(String(error)).toContain(other.getPrincipal().toText())
  })
})

describe('snapshots through IcManagementCanister', () => {
  it("restores the counter's heap and stable memory: snapshot, change, load", async () => {
    const canisterId = await newCounter(10n)
    const counter = counterFor(ownerAgent, canisterId)
    await ic.stopCanister(canisterId)
    const snapshot = await ic.takeCanisterSnapshot({ canisterId })
    await ic.startCanister(canisterId)

    await counter.set(99n)
    expect(await counter.get()).toBe(99n)

    await ic.stopCanister(canisterId)
    await ic.loadCanisterSnapshot({ canisterId, snapshotId: snapshot.id })
    await ic.startCanister(canisterId)
    expect(await counter.get()).toBe(10n)
    expect(await counter.get_stable()).toBe(10n)
  })

  it('restores the previous module after a broken upgrade', async () => {
    const canisterId = await newCounter(3n)
    const counter = counterFor(ownerAgent, canisterId)
    const snapshot = await ic.takeCanisterSnapshot({ canisterId })
    await ic.installCode({ mode: { upgrade: [] }, canisterId, wasmModule: brokenWasm, arg: new Uint8Array() })
    await expect(counter.health()).rejects.toThrow(/health check failed/)
    await ic.loadCanisterSnapshot({ canisterId, snapshotId: snapshot.id })
    expect(await counter.health()).toBe('ok')
    const status = await ic.canisterStatus({ canisterId })
    expect(Buffer.from(status.module_hash[0] as Uint8Array)).toEqual(Buffer.from(sha256(counterWasm)))
  })

  it('lists, and deletes, with ids made of an 8-byte counter and the canister id', async () => {
    const canisterId = await newCounter()
    const first = await ic.takeCanisterSnapshot({ canisterId })
    const second = await ic.takeCanisterSnapshot({ canisterId })
    for (const snapshot of [first, second]) {
      const id = Buffer.from(snapshot.id)
      expect(id.length).toBe(8 + canisterId.toUint8Array().length)
      expect(id.subarray(8)).toEqual(Buffer.from(canisterId.toUint8Array()))
      expect(snapshot.total_size).toBeGreaterThan(0n)
      expect(Number(snapshot.taken_at_timestamp / 1_000_000n)).toBeGreaterThan(Date.now() - 60_000)
    }
    expect(Buffer.from(second.id).readBigUInt64BE(0)).toBeGreaterThan(
      Buffer.from(first.id).readBigUInt64BE(0)
    )

    const listed = await ic.listCanisterSnapshots({ canisterId })
    expect(listed.map(s => encodeSnapshotId(s.id)).sort()).toEqual(
      [first, second].map(s => encodeSnapshotId(s.id)).sort()
    )
    await ic.deleteCanisterSnapshot({ canisterId, snapshotId: first.id })
    expect((await ic.listCanisterSnapshots({ canisterId })).map(s => encodeSnapshotId(s.id))).toEqual([
      encodeSnapshotId(second.id)
    ])
  })

  it('replace gives the new snapshot a new id and removes the old one', async () => {
    const canisterId = await newCounter()
    const old = await ic.takeCanisterSnapshot({ canisterId })
    const replacement = await ic.takeCanisterSnapshot({ canisterId, snapshotId: old.id })
    expect(encodeSnapshotId(replacement.id)).not.toBe(encodeSnapshotId(old.id))
    expect((await ic.listCanisterSnapshots({ canisterId })).map(s => encodeSnapshotId(s.id))).toEqual([
      encodeSnapshotId(replacement.id)
    ])
  })

  it('allows at most 10 snapshots per canister; replacing still works at the limit', async () => {
    const canisterId = await newCounter()
    const taken = []
    for (let i = 0; i < 10; i++) taken.push(await ic.takeCanisterSnapshot({ canisterId }))
    await expect(ic.takeCanisterSnapshot({ canisterId })).rejects.toThrow(
      `Canister ${canisterId.toText()} has reached the maximum number of snapshots allowed: 10.`
    )
    await ic.takeCanisterSnapshot({ canisterId, snapshotId: taken[0].id })
    expect(await ic.listCanisterSnapshots({ canisterId })).toHaveLength(10)
  })

  it('refuses to snapshot an empty canister', async () => {
    const canisterId = await ic.provisionalCreateCanisterWithCycles({ amount: 10n ** 12n })
    await expect(ic.takeCanisterSnapshot({ canisterId })).rejects.toThrow(
      `Failed to create snapshot for empty canister ${canisterId.toText()}`
    )
  })

  it('rejects unknown snapshot ids and snapshots of other canisters', async () => {
    const a = await newCounter()
    const b = await newCounter()
    const snapshotOfB = await ic.takeCanisterSnapshot({ canisterId: b })
    const missing = new Uint8Array([...new Uint8Array(8).fill(0xee), ...a.toUint8Array()])
    await expect(ic.deleteCanisterSnapshot({ canisterId: a, snapshotId: missing })).rejects.toThrow(
      /Could not find the snapshot ID/
    )
    await expect(ic.deleteCanisterSnapshot({ canisterId: a, snapshotId: snapshotOfB.id })).rejects.toThrow(
      /does not belong to canister/
    )
  })

  it("loads another canister's snapshot only for a controller of both", async () => {
    const source = await newCounter(7n)
    const snapshot = await ic.takeCanisterSnapshot({ canisterId: source })
    const target = await otherIc.provisionalCreateCanisterWithCycles({ amount: 10n ** 12n })
    await otherIc.installCode({
      mode: { install: null },
      canisterId: target,
      wasmModule: counterWasm,
      arg: new Uint8Array()
    })
    await expect(
      otherIc.loadCanisterSnapshot({ canisterId: target, snapshotId: snapshot.id })
    ).rejects.toThrow(`Only a controller of the canister that snapshot`)
    await otherIc.updateSettings({
      canisterId: target,
      settings: { controllers: [other.getPrincipal().toText(), owner.getPrincipal().toText()] }
    })
    await ic.loadCanisterSnapshot({ canisterId: target, snapshotId: snapshot.id })
    expect(await counterFor(ownerAgent, target).get()).toBe(7n)
  })

  it('moves a snapshot between canisters through metadata and 2,000,000-byte data slices', async () => {
    const source = await newCounter(1234n)
    const snapshot = await ic.takeCanisterSnapshot({ canisterId: source })
    const metadata = await ic.readCanisterSnapshotMetadata({ canisterId: source, snapshotId: snapshot.id })
    expect('takenFromCanister' in metadata.source).toBe(true)
    expect(metadata.wasmModuleSize).toBe(BigInt(counterWasm.length))
    expect(metadata.globals.length).toBeGreaterThan(0)

    const read = async (kind: 'wasmModule' | 'wasmMemory' | 'stableMemory', size: bigint) => {
      const parts: Uint8Array[] = []
      for (let offset = 0n; offset < size; offset += SLICE) {
        const length = size - offset < SLICE ? size - offset : SLICE
        const reply = await ic.readCanisterSnapshotData({
          canisterId: source,
          snapshotId: snapshot.id,
          kind: { [kind]: { offset, size: length } } as never
        })
        parts.push(reply.chunk)
      }
      return Buffer.concat(parts)
    }
    const wasmModule = await read('wasmModule', metadata.wasmModuleSize)
    const heap = await read('wasmMemory', metadata.wasmMemorySize)
    const stable = await read('stableMemory', metadata.stableMemorySize)
    expect(Buffer.from(sha256(wasmModule))).toEqual(Buffer.from(sha256(counterWasm)))

    const target = await ic.provisionalCreateCanisterWithCycles({ amount: 10n ** 12n })
    const { snapshot_id } = await ic.uploadCanisterSnapshotMetadata({ canisterId: target, metadata })
    const write = async (kind: 'wasmModule' | 'wasmMemory' | 'stableMemory', bytes: Buffer) => {
      for (let offset = 0; offset < bytes.length; offset += Number(SLICE)) {
        await ic.uploadCanisterSnapshotData({
          canisterId: target,
          snapshotId: snapshot_id,
          kind: { [kind]: { offset: BigInt(offset) } } as never,
          chunk: bytes.subarray(offset, offset + Number(SLICE))
        })
      }
    }
    await write('wasmModule', wasmModule)
    await write('wasmMemory', heap)
    await write('stableMemory', stable)
    const uploaded = await ic.readCanisterSnapshotMetadata({ canisterId: target, snapshotId: snapshot_id })
    expect('metadataUpload' in uploaded.source).toBe(true)

    await ic.loadCanisterSnapshot({ canisterId: target, snapshotId: snapshot_id })
    expect(await counterFor(ownerAgent, target).get()).toBe(1234n)
  })

  it('refuses read slices over 2,000,000 bytes and data uploads into a taken snapshot', async () => {
    const canisterId = await newCounter()
    await counterFor(ownerAgent, canisterId).inc()
    const snapshot = await ic.takeCanisterSnapshot({ canisterId })
    await expect(
      ic.readCanisterSnapshotData({
        canisterId,
        snapshotId: snapshot.id,
        kind: { wasmMemory: { offset: 0n, size: SLICE + 1n } }
      })
    ).rejects.toThrow('Requested slice too large: 2000001 > 2000000')
    await expect(
      ic.uploadCanisterSnapshotData({
        canisterId,
        snapshotId: snapshot.id,
        kind: { wasmModule: { offset: 0n } },
        chunk: new Uint8Array(10)
      })
    ).rejects.toThrow('Only canister snapshots created by metadata upload can be mutated.')
  })
})
