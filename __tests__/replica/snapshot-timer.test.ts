// The global timer (interface spec, "Global timer", ic0.global_timer_set) and the low-memory hook's status in
// snapshots: a taken snapshot records both (read_canister_snapshot_metadata); loading an uploaded snapshot
// restores its timer, and refuses one whose hook status disagrees with the canister (IC0408); loading a taken
// snapshot, or an uploaded one without a timer, leaves the canister's timer as it is (dfinity/ic,
// canister_manager.rs `load_canister_snapshot`; interface spec, "IC method upload_canister_snapshot_metadata").
// An upgrade deactivates the timer.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import type { Principal } from '@icp-sdk/core/principal'
import type { HttpAgent } from '@icp-sdk/core/agent'
import { agentFor, managementFor } from '../harness/agent.js'
import { compileCanister } from '../harness/canisters/compile.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'

const owner = Ed25519KeyIdentity.generate()
let replica: Replica
let agent: HttpAgent
let ic: ReturnType<typeof managementFor>

beforeAll(async () => {
  replica = await startReplica()
  agent = await agentFor(replica, owner)
  ic = managementFor(agent)
})
afterAll(async () => {
  await replica?.stop()
})

const u64 = (value: bigint) => {
  const bytes = new Uint8Array(8)
  new DataView(bytes.buffer).setBigUint64(0, value, true)
  return bytes
}

/** Sets the probe's timer to `deadline`; resolves with the deadline it replaced. */
async function setTimer(canisterId: Principal, deadline: bigint): Promise<bigint> {
  const { reply } = await agent.update(canisterId, {
    methodName: 'set_timer',
    arg: u64(deadline),
    effectiveCanisterId: canisterId
  })
  return new DataView((reply as Uint8Array).slice().buffer).getBigUint64(0, true)
}

const timerOf = async (canisterId: Principal, snapshotId: Uint8Array) =>
  (await ic.readCanisterSnapshotMetadata({ canisterId, snapshotId })).globalTimer

const inAnHour = () => (BigInt(Date.now()) + 3_600_000n) * 1_000_000n

it("records the timer in a taken snapshot; loading one leaves the canister's timer as it is", async () => {
  const probe = await replica.seedCanister('probe', [owner.getPrincipal()])
  const inactive = await ic.takeCanisterSnapshot({ canisterId: probe })
  const deadline = inAnHour()
  expect(await setTimer(probe, deadline)).toBe(0n)
  const active = await ic.takeCanisterSnapshot({ canisterId: probe })

  expect(await timerOf(probe, inactive.id)).toEqual({ inactive: null })
  expect(await timerOf(probe, active.id)).toEqual({ active: deadline })

  // dfinity/ic canister_manager.rs: a taken snapshot's timer is not restored (a breaking change otherwise).
  await setTimer(probe, deadline + 1n)
  await ic.loadCanisterSnapshot({ canisterId: probe, snapshotId: inactive.id })
  expect(await setTimer(probe, 0n)).toBe(deadline + 1n)
  await ic.loadCanisterSnapshot({ canisterId: probe, snapshotId: active.id })
  expect(await setTimer(probe, 0n)).toBe(0n)
})

it('keeps the timer a trapped message set out of the canister and its snapshots', async () => {
  const probe = await replica.seedCanister('probe', [owner.getPrincipal()])
  await setTimer(probe, 7n)
  await expect(
    agent.update(probe, { methodName: 'set_timer_and_trap', arg: u64(9n), effectiveCanisterId: probe })
  ).rejects.toThrow(/unreachable/)
  const snapshot = await ic.takeCanisterSnapshot({ canisterId: probe })
  expect(await timerOf(probe, snapshot.id)).toEqual({ active: 7n })
})

it("loads an uploaded snapshot's timer, and leaves the canister's when the upload has none", async () => {
  const source = await replica.seedCanister('probe', [owner.getPrincipal()])
  const taken = await ic.takeCanisterSnapshot({ canisterId: source })
  const metadata = await ic.readCanisterSnapshotMetadata({ canisterId: source, snapshotId: taken.id })
  const module = await compileCanister('probe')

  const target = await replica.seedCanister('probe', [owner.getPrincipal()])
  const upload = async (globalTimer: typeof metadata.globalTimer) => {
    const { snapshot_id } = await ic.uploadCanisterSnapshotMetadata({
      canisterId: target,
      metadata: { ...metadata, globalTimer }
    })
    await ic.uploadCanisterSnapshotData({
      canisterId: target,
      snapshotId: snapshot_id,
      kind: { wasmModule: { offset: 0n } },
      chunk: module
    })
    return snapshot_id
  }
  const deadline = inAnHour()
  const withTimer = await upload({ active: deadline })
  const withoutTimer = await upload(undefined)

  await setTimer(target, 5n)
  await ic.loadCanisterSnapshot({ canisterId: target, snapshotId: withoutTimer })
  expect(await setTimer(target, 5n)).toBe(5n)
  await ic.loadCanisterSnapshot({ canisterId: target, snapshotId: withTimer })
  expect(await setTimer(target, 0n)).toBe(deadline)
})

it('deactivates the timer on upgrade', async () => {
  const probe = await replica.seedCanister('probe', [owner.getPrincipal()])
  await setTimer(probe, inAnHour())
  await ic.installCode({
    mode: { upgrade: [] },
    canisterId: probe,
    wasmModule: await compileCanister('probe'),
    arg: new Uint8Array()
  })
  expect(await setTimer(probe, 0n)).toBe(0n)
})

it('keeps the timer across a restart from the state dir', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'replica-timer-'))
  try {
    const first = await startReplica({ stateDir: dir })
    const probe = await first.seedCanister('probe', [owner.getPrincipal()])
    const firstAgent = await agentFor(first, owner)
    const deadline = inAnHour()
    await firstAgent.update(probe, {
      methodName: 'set_timer',
      arg: u64(deadline),
      effectiveCanisterId: probe
    })
    await first.stop()
    const second = await startReplica({ stateDir: dir })
    try {
      const { reply } = await (
        await agentFor(second, owner)
      ).update(probe, { methodName: 'set_timer', arg: u64(0n), effectiveCanisterId: probe })
      expect(new DataView((reply as Uint8Array).slice().buffer).getBigUint64(0, true)).toBe(deadline)
    } finally {
      await second.stop()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

describe('the low-memory hook status', () => {
  const GiB = 1024n * 1024n * 1024n

  it('is recorded as the condition stands when a snapshot is taken', async () => {
    const probe = await replica.seedCanister('probe', [owner.getPrincipal()])
    const idle = await ic.takeCanisterSnapshot({ canisterId: probe })
    // The heap plus a threshold above the 3 GiB limit: the condition holds.
    await ic.updateSettings({ canisterId: probe, settings: { wasmMemoryThreshold: 3n * GiB } })
    const low = await ic.takeCanisterSnapshot({ canisterId: probe })
    const statusOf = async (id: Uint8Array) =>
      (await ic.readCanisterSnapshotMetadata({ canisterId: probe, snapshotId: id })).onLowWasmMemoryHookStatus
    expect(await statusOf(idle.id)).toEqual({ conditionNotSatisfied: null })
    expect(await statusOf(low.id)).toEqual({ ready: null })
  })

  it('refuses to load an uploaded snapshot whose status disagrees with the canister, and loads one that agrees', async () => {
    const source = await replica.seedCanister('probe', [owner.getPrincipal()])
    const taken = await ic.takeCanisterSnapshot({ canisterId: source })
    const metadata = await ic.readCanisterSnapshotMetadata({ canisterId: source, snapshotId: taken.id })
    const module = await compileCanister('probe')
    const target = await replica.seedCanister('probe', [owner.getPrincipal()])
    await setTimer(target, 5n)
    const upload = async (onLowWasmMemoryHookStatus: typeof metadata.onLowWasmMemoryHookStatus) => {
      const { snapshot_id } = await ic.uploadCanisterSnapshotMetadata({
        canisterId: target,
        metadata: { ...metadata, globalTimer: { active: 9n }, onLowWasmMemoryHookStatus }
      })
      await ic.uploadCanisterSnapshotData({
        canisterId: target,
        snapshotId: snapshot_id,
        kind: { wasmModule: { offset: 0n } },
        chunk: module
      })
      return snapshot_id
    }
    const ready = await upload({ ready: null })
    const versionBefore = (await ic.canisterStatus({ canisterId: target })).version
    await expect(ic.loadCanisterSnapshot({ canisterId: target, snapshotId: ready })).rejects.toThrow(
      "Hook status (Some(Ready)) of uploaded snapshot is inconsistent with the canister's state (hook condition satisfied: false)."
    )
    // Nothing was loaded: the timer is the canister's own.
    expect(await setTimer(target, 5n)).toBe(5n)
    expect((await ic.canisterStatus({ canisterId: target })).version).toEqual(versionBefore)

    const agreeing = await upload({ conditionNotSatisfied: null })
    await ic.loadCanisterSnapshot({ canisterId: target, snapshotId: agreeing })
    expect(await setTimer(target, 0n)).toBe(9n)
  })
})
