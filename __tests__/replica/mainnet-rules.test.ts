// Mainnet's rate limit and delays, as the replica applies them through the real client stack: heap-delta rate
// limiting of the snapshot methods (IC0210, and IC0504 for data uploads), snapshots that cannot yet be loaded
// onto another canister (IC0406), and the snapshot limit a test can lower.
import { setTimeout as sleep } from 'node:timers/promises'
import type { HttpAgent } from '@icp-sdk/core/agent'
import { IDL } from '@icp-sdk/core/candid'
import type { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import type { Principal } from '@icp-sdk/core/principal'
import { agentFor, counterFor, managementFor } from '../harness/agent.js'
import { compileCanister } from '../harness/canisters/compile.js'
import { APPLICATION_SUBNET_HEAP_DELTA_RATE_LIMIT } from '../harness/replica/management/rate-limit.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'

let replica: Replica
const owner = Ed25519KeyIdentity.generate()
let agent: HttpAgent
let ic: IcManagementCanister
let counterWasm: Uint8Array

beforeAll(async () => {
  replica = await startReplica()
  agent = await agentFor(replica, owner)
  ic = managementFor(agent)
  counterWasm = await compileCanister('counter')
})

afterAll(async () => {
  await replica?.stop()
})

afterEach(() => replica.controls.clearFaults())

async function newCounter(initial = 0n): Promise<Principal> {
  const canisterId = await ic.provisionalCreateCanisterWithCycles({ amount: 10n ** 13n })
  const arg = new Uint8Array(IDL.encode([IDL.Nat64], [initial]))
  await ic.installCode({ mode: { install: null }, canisterId, wasmModule: counterWasm, arg })
  return canisterId
}

/** What a take writes: the canister's memories, every page unflushed delta on this replica. */
async function memoryBytes(canisterId: Principal, snapshotId: Uint8Array): Promise<number> {
  const metadata = await ic.readCanisterSnapshotMetadata({ canisterId, snapshotId })
  return Number(metadata.wasmMemorySize + metadata.stableMemorySize)
}

describe('heap-delta rate limiting', () => {
  it("is on by default with an application subnet's 75 MiB per round, which a few snapshots never reach", async () => {
    expect(replica.controls.rules.heapDeltaRateLimit).toBe(75 * 1024 * 1024)
    expect(APPLICATION_SUBNET_HEAP_DELTA_RATE_LIMIT).toBe(75 * 1024 * 1024)
    const canisterId = await newCounter(3n)
    const first = await ic.takeCanisterSnapshot({ canisterId })
    await ic.takeCanisterSnapshot({ canisterId })
    await ic.loadCanisterSnapshot({ canisterId, snapshotId: first.id })
    expect(await counterFor(agent, canisterId).get()).toBe(3n)
  })

  it('refuses take, load and metadata upload with IC0210 and data upload with IC0504 while over the limit, until rounds pay the debit off', async () => {
    const canisterId = await newCounter(5n)
    const probe = await ic.takeCanisterSnapshot({ canisterId })
    const written = await memoryBytes(canisterId, probe.id)
    await ic.deleteCanisterSnapshot({ canisterId, snapshotId: probe.id })
    // The limit is half of what one take writes: one take goes through (a canister may overshoot in a round),
    // and the canister is then over the limit for two rounds.
    const roundMs = 2_000
    replica.controls.limitHeapDelta(written / 2, roundMs)
    // Two rounds at the new limit pay the probe's debit off, however far the round it was taken in had run.
    await sleep(2 * roundMs)
    const snapshot = await ic.takeCanisterSnapshot({ canisterId })
    const rateLimited = new RegExp(
      `Canister ${canisterId.toText()} is heap delta rate limited: current delta debit is \\d+, but limit is ${written / 2}\\.[\\s\\S]*Error code: IC0210`
    )
    await expect(ic.takeCanisterSnapshot({ canisterId })).rejects.toThrow(rateLimited)
    await expect(ic.loadCanisterSnapshot({ canisterId, snapshotId: snapshot.id })).rejects.toThrow(
      rateLimited
    )
    const metadata = await ic.readCanisterSnapshotMetadata({ canisterId, snapshotId: snapshot.id })
    await expect(ic.uploadCanisterSnapshotMetadata({ canisterId, metadata })).rejects.toThrow(rateLimited)
    await expect(ic.takeCanisterSnapshot({ canisterId })).rejects.toThrow(
      'Try waiting a few seconds before retrying the operation.'
    )
    expect(await ic.listCanisterSnapshots({ canisterId })).toHaveLength(1)

    await sleep(2 * roundMs + 50)
    const { snapshot_id } = await ic.uploadCanisterSnapshotMetadata({ canisterId, metadata })
    // Slices of 16 KiB start while the debit is under 40,000 bytes (in a long round: none ends in between),
    // so the third overshoots and the fourth is refused.
    replica.controls.limitHeapDelta(40_000, 60_000)
    const slice = (offset: number) =>
      ic.uploadCanisterSnapshotData({
        canisterId,
        snapshotId: snapshot_id,
        kind: { wasmMemory: { offset: BigInt(offset) } },
        chunk: new Uint8Array(16_384)
      })
    let offset = 0
    let refused: unknown
    while (offset < Number(metadata.wasmMemorySize) && !refused) {
      refused = await slice(offset).then(
        () => undefined,
        (error: unknown) => error
      )
      if (!refused) offset += 16_384
    }
    expect(String(refused)).toMatch(
      /Error from Wasm chunk store: Canister is heap delta rate limited\. Current delta debit: \d+, limit: \d+\.[\s\S]*Error code: IC0504/
    )
    expect(offset).toBe(3 * 16_384)
    // A higher limit lets the canister write again.
    replica.controls.limitHeapDelta(75 * 1024 * 1024)
    await slice(offset)
    await ic.loadCanisterSnapshot({ canisterId, snapshotId: snapshot.id })
    expect(await counterFor(agent, canisterId).get()).toBe(5n)
  })
})

describe('loading onto another canister', () => {
  it("refuses another canister's fresh snapshot with IC0406 for the set time, loads it onto its own canister at once, and onto the other one later", async () => {
    replica.controls.delayCrossCanisterLoads(1_500)
    const source = await newCounter(11n)
    const target = await newCounter(0n)
    const snapshot = await ic.takeCanisterSnapshot({ canisterId: source })
    await expect(ic.loadCanisterSnapshot({ canisterId: target, snapshotId: snapshot.id })).rejects.toThrow(
      new RegExp(
        `Snapshot ${source.toText()}-0 is not currently loadable on the specified canister ${target.toText()}\\. Try again later\\. The call should succeed if you wait sufficiently long \\(usually ten minutes\\)\\.[\\s\\S]*Error code: IC0406`
      )
    )
    await ic.loadCanisterSnapshot({ canisterId: source, snapshotId: snapshot.id })
    await sleep(1_600)
    await ic.loadCanisterSnapshot({ canisterId: target, snapshotId: snapshot.id })
    expect(await counterFor(agent, target).get()).toBe(11n)
  })

  it('is never delayed by default', async () => {
    const source = await newCounter(12n)
    const target = await newCounter(0n)
    const snapshot = await ic.takeCanisterSnapshot({ canisterId: source })
    await ic.loadCanisterSnapshot({ canisterId: target, snapshotId: snapshot.id })
    expect(await counterFor(agent, target).get()).toBe(12n)
  })
})

describe('the snapshot limit', () => {
  it('follows the control: the IC names the lowered limit in its reject', async () => {
    replica.controls.limitSnapshots(2)
    const canisterId = await newCounter()
    await ic.takeCanisterSnapshot({ canisterId })
    await ic.takeCanisterSnapshot({ canisterId })
    await expect(ic.takeCanisterSnapshot({ canisterId })).rejects.toThrow(
      `Canister ${canisterId.toText()} has reached the maximum number of snapshots allowed: 2.`
    )
  })
})
