// Mainnet's rate limits and delays met by the action, run from dist/ against the replica with its controls
// turned: heap-delta rate limiting during an upload and before a take (IC0504, IC0210), a snapshot of another
// canister that is not loadable yet (IC0406), and a snapshot limit lower than the documented 10.
import type { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import type { Principal } from '@icp-sdk/core/principal'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { agentFor, growAndFill } from '../harness/agent.js'
import { startActionWorld, hex, type ActionWorld } from '../harness/action-world.js'
import type { GitHubBackend } from '../harness/github/index.js'
import type { StepResult } from '../harness/runner.js'
import type { Replica } from '../harness/replica/replica.js'

let world: ActionWorld
let replica: Replica
let github: GitHubBackend
let ic: IcManagementCanister

beforeAll(async () => {
  world = await startActionWorld()
  ;({ replica, github, ic } = world)
})

afterAll(async () => {
  await world?.stop()
})

afterEach(() => {
  replica.controls.clearFaults()
  github.controls.clear()
})

const newCounter = (initial = 0n) => world.newCounter(initial)

async function step(runId: number, inputs: Record<string, string>, scale = '0.01'): Promise<StepResult> {
  const job = await world.newJob()
  return job.main({
    inputs: { ...world.connection(), ...inputs },
    env: { ...github.envFor({ runId }), CANISTER_SNAPSHOT_RETRY_SCALE: scale }
  })
}

function expectSuccess(result: StepResult): void {
  if (result.code !== 0) throw new Error(`the step failed: ${result.errors.join(' | ') || result.stderr}`)
}

async function runState(id: Principal): Promise<string> {
  const { status } = await ic.canisterStatus({ canisterId: id })
  return Object.keys(status)[0]
}

async function snapshotIds(id: Principal): Promise<string[]> {
  return (await ic.listCanisterSnapshots({ canisterId: id })).map(s => hex(s.id))
}

describe('heap-delta rate limiting', () => {
  it('slows an upload down when the IC answers IC0504 (fewer slices in flight, longer waits), and the upload completes with the memory intact', async () => {
    const source = await newCounter(42n)
    await growAndFill(await agentFor(replica, Ed25519KeyIdentity.generate()), source.id, {
      stablePages: 128,
      heapPages: 16,
      seed: 5n
    })
    const expected = await world.memoryOf(source.id)
    const kept = await step(601, {
      mode: 'download-artifact',
      canister: source.id.toText(),
      'snapshot-id': 'new'
    })
    expectSuccess(kept)
    const [artifact] = github.artifacts({ runId: 601 })

    const target = await newCounter(0n)
    // 1 MiB a round of 500 ms: each 2 MB slice overshoots, and the 10 MB upload needs about ten rounds, so
    // slices are refused on the way.
    replica.controls.limitHeapDelta(1024 * 1024, 500)
    const uploaded = await step(
      601,
      {
        mode: 'upload-artifact',
        canister: target.id.toText(),
        'artifact-name': artifact.name,
        'source-canister': source.id.toText(),
        restore: 'true',
        concurrency: '8'
      },
      '0.1'
    )
    expectSuccess(uploaded)
    expect(uploaded.outputs.restored).toBe('true')
    // The refusals were retried, with the rate limit's own policy (8 tries), and named in the log.
    expect(uploaded.log).toMatch(
      /upload_canister_snapshot_data .* failed \(.*Canister is heap delta rate limited\. Current delta debit: \d+, limit: 1048576.*\); retrying in [\d.]+ s \(attempt \d of 8\)/
    )
    // Each refusal lowered the slices in flight.
    const lowered = uploaded.commands.filter(
      c =>
        c.name === 'debug' && /^Slices in flight: \d+ \(the canister is heap delta rate limited/.test(c.data)
    )
    expect(lowered.length).toBeGreaterThan(0)
    expect(uploaded.commands.filter(c => c.name === 'error')).toEqual([])

    replica.controls.clearFaults()
    expect(await target.counter.get()).toBe(42n)
    expect(await world.memoryOf(target.id)).toEqual(expected)
    expect(await runState(target.id)).toBe('running')
  })

  it('waits out IC0210 before a take: the canister wrote too much this round, and the snapshot is taken a few rounds later', async () => {
    const { id, counter } = await newCounter(8n)
    await growAndFill(await agentFor(replica, Ed25519KeyIdentity.generate()), id, { stablePages: 32 })
    // Taking a snapshot writes about 2 MiB: at 1 MiB a round of 3 s, the next take waits two rounds, longer
    // than the step takes to start even on a loaded machine.
    replica.controls.limitHeapDelta(1024 * 1024, 3_000)
    await ic.takeCanisterSnapshot({ canisterId: id })
    const result = await step(602, { mode: 'create', canister: id.toText() }, '0.05')
    expectSuccess(result)
    expect(result.log).toMatch(
      new RegExp(
        `take_canister_snapshot of ${id.toText()} failed \\(.*Canister ${id.toText()} is heap delta rate limited: current delta debit is \\d+, but limit is 1048576\\..*\\); retrying in [\\d.]+ s \\(attempt \\d of 8\\)`
      )
    )
    expect(await snapshotIds(id)).toContain(result.outputs['snapshot-id'])
    expect(await snapshotIds(id)).toHaveLength(2)
    expect(await runState(id)).toBe('running')
    expect(await counter.get()).toBe(8n)
  })
})

describe('a snapshot that is not loadable yet', () => {
  it("restores another canister's fresh snapshot by waiting out IC0406, saying so every 30 s (scaled)", async () => {
    // Scaled by 0.01: tries every 0.1 s, a line every 0.3 s, at most 6 s.
    replica.controls.delayCrossCanisterLoads(2_500)
    const source = await newCounter(21n)
    const target = await newCounter(3n)
    const { id } = await ic.takeCanisterSnapshot({ canisterId: source.id })
    const result = await step(603, {
      mode: 'restore',
      canister: target.id.toText(),
      'snapshot-id': hex(id)
    })
    expectSuccess(result)
    const waits = result.log
      .split('\n')
      .filter(line =>
        /: the IC says the snapshot is not loadable yet \(.*IC0406.*\); waiting for it/.test(line)
      )
    expect(waits.length).toBeGreaterThanOrEqual(1)
    // One line per 0.3 s of a wait of at most 2.5 s, not one per try (every 0.1 s).
    expect(waits.length).toBeLessThanOrEqual(10)
    expect(await target.counter.get()).toBe(21n)
    expect(await runState(target.id)).toBe('running')
  })

  it('gives up after 10 minutes (scaled) with one line, and the canister runs its own state again', async () => {
    replica.controls.delayCrossCanisterLoads(600_000)
    const source = await newCounter(22n)
    const target = await newCounter(4n)
    const { id } = await ic.takeCanisterSnapshot({ canisterId: source.id })
    const result = await step(604, {
      mode: 'restore',
      canister: target.id.toText(),
      'snapshot-id': hex(id)
    })
    expect(result.code).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(
      /load_canister_snapshot .* was rejected by the IC \(IC0406\): Snapshot .* is not currently loadable on the specified canister/
    )
    expect(await target.counter.get()).toBe(4n)
    expect(await runState(target.id)).toBe('running')
  })
})

describe('the snapshot limit', () => {
  it("is read from the IC's reject when it is lower than 10: on-limit applies to it", async () => {
    replica.controls.limitSnapshots(2)
    const { id } = await newCounter()
    await ic.takeCanisterSnapshot({ canisterId: id })
    await ic.takeCanisterSnapshot({ canisterId: id })
    const before = await snapshotIds(id)

    const refused = await step(605, { mode: 'create', canister: id.toText() })
    expect(refused.code).toBe(1)
    expect(refused.errors).toEqual([
      `${id.toText()} already holds 2 snapshots, the most the IC allows (2, as its reject says); set 'on-limit: replace-oldest', 'replace: oldest', or remove some with 'mode: delete'.`
    ])
    expect(await snapshotIds(id)).toEqual(before)
    expect(await runState(id)).toBe('running')

    const rotated = await step(606, { mode: 'create', canister: id.toText(), 'on-limit': 'replace-oldest' })
    expectSuccess(rotated)
    expect(rotated.log).toContain(
      `The IC allows 2 snapshots per canister (its reject says so), and ${id.toText()} holds 2: replacing the oldest, ${before[0]}`
    )
    const after = await snapshotIds(id)
    expect(after).toHaveLength(2)
    expect(after).not.toContain(before[0])
    expect(after).toContain(rotated.outputs['snapshot-id'])
    expect(await runState(id)).toBe('running')
  })

  it('is read from the reject of an upload and of a safety snapshot too: the oldest is replaced, never the snapshot to load', async () => {
    const source = await newCounter(77n)
    const kept = await step(607, {
      mode: 'download-artifact',
      canister: source.id.toText(),
      'snapshot-id': 'new'
    })
    expectSuccess(kept)
    const [artifact] = github.artifacts({ runId: 607 })
    replica.controls.limitSnapshots(2)
    const upload = (canister: Principal, inputs: Record<string, string>) =>
      step(607, {
        mode: 'upload-artifact',
        canister: canister.toText(),
        'artifact-name': artifact.name,
        'source-canister': source.id.toText(),
        ...inputs
      })

    // With restore: the upload takes the second slot, and the safety snapshot replaces the oldest.
    const restored = await newCounter(1n)
    await ic.takeCanisterSnapshot({ canisterId: restored.id })
    const [older] = await snapshotIds(restored.id)
    const withRestore = await upload(restored.id, { restore: 'true', 'on-limit': 'replace-oldest' })
    expectSuccess(withRestore)
    expect(withRestore.log).toContain(
      `The IC allows 2 snapshots per canister (its reject says so): the safety snapshot replaces the oldest, ${older}`
    )
    expect((await snapshotIds(restored.id)).sort()).toEqual(
      [withRestore.outputs['snapshot-id'], withRestore.outputs['safety-snapshot-id']].sort()
    )
    expect(await restored.counter.get()).toBe(77n)

    // Without: 'replace: oldest' at a limit of 2, which the plan (counting with 10) did not know.
    const replaced = await newCounter(2n)
    await ic.takeCanisterSnapshot({ canisterId: replaced.id })
    await ic.takeCanisterSnapshot({ canisterId: replaced.id })
    const before = await snapshotIds(replaced.id)
    const withReplace = await upload(replaced.id, { replace: 'oldest' })
    expectSuccess(withReplace)
    expect(withReplace.log).toContain(
      `The IC allows 2 snapshots per canister (its reject says so), no room for another: the IC replaces ${before[0]} as the upload starts`
    )
    expect(await snapshotIds(replaced.id)).toEqual([before[1], withReplace.outputs['snapshot-id']].sort())
    expect(await replaced.counter.get()).toBe(2n)
  })
})
