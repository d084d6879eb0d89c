// create, restore, list and delete, run from dist/ as the runner runs them, against the replica; the
// canister is observed through the real client as its controller.
import { createHash } from 'node:crypto'
import type { ActorSubclass } from '@icp-sdk/core/agent'
import type { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import { IDL } from '@icp-sdk/core/candid'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1'
import { Principal } from '@icp-sdk/core/principal'
import { agentFor, counterFor, managementFor, type Counter } from '../harness/agent.js'
import { compileCanister } from '../harness/canisters/compile.js'
import { dfxSecp256k1Sec1, type PemFixture } from '../harness/pem.js'
import { Job, type StepResult, stateValue } from '../harness/runner.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'

let replica: Replica
let identity: PemFixture
let job: Job
let ic: IcManagementCanister
let controller: Principal

beforeAll(async () => {
  replica = await startReplica({ syncCallTimeoutMs: 500 })
  identity = await dfxSecp256k1Sec1({ crlf: true })
  const controllerIdentity = Secp256k1KeyIdentity.fromPem(identity.pem)
  controller = controllerIdentity.getPrincipal()
  ic = managementFor(await agentFor(replica, controllerIdentity))
  job = await Job.create()
})

afterAll(async () => {
  await job?.cleanup()
  await replica?.stop()
})

afterEach(() => {
  replica.controls.clearFaults()
})

const nat64 = (n: bigint) => new Uint8Array(IDL.encode([IDL.Nat64], [n]))
const hex = (bytes: Uint8Array | number[]) => Buffer.from(bytes).toString('hex')
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

async function newCounter(initial = 0n): Promise<{ id: Principal; counter: ActorSubclass<Counter> }> {
  const id = await replica.seedCanister('counter', [controller], nat64(initial))
  return { id, counter: counterFor(await agentFor(replica, Ed25519KeyIdentity.generate()), id) }
}

function action(
  mode: string,
  inputs: Record<string, string> = {},
  extra: { killWhen?: RegExp } = {}
): Promise<StepResult> {
  return job.main({
    inputs: { mode, identity: identity.pem, network: replica.url, 'root-key': replica.rootKeyHex, ...inputs },
    env: { CANISTER_SNAPSHOT_RETRY_SCALE: '0.01' },
    ...extra
  })
}

async function runState(id: Principal): Promise<string> {
  const { status } = await ic.canisterStatus({ canisterId: id })
  return Object.keys(status)[0]
}

async function snapshotIds(id: Principal): Promise<string[]> {
  return (await ic.listCanisterSnapshots({ canisterId: id })).map(s => hex(s.id))
}

function expectSuccess(result: StepResult): void {
  if (result.code !== 0) throw new Error(`the step failed: ${result.errors.join(' | ') || result.stderr}`)
  expect(result.stderr).toBe('')
}

describe('create', () => {
  it('snapshots a running canister, starts it again, and reports the snapshot', async () => {
    const { id, counter } = await newCounter(7n)
    const result = await action('create', { canister: id.toText() })
    expectSuccess(result)

    const [listed] = await ic.listCanisterSnapshots({ canisterId: id })
    expect(result.outputs['snapshot-id']).toBe(hex(listed.id))
    expect(result.outputs['snapshot-ids']).toBe(JSON.stringify({ [id.toText()]: hex(listed.id) }))
    expect(result.outputs['size-bytes']).toBe(listed.total_size.toString())
    expect(result.outputs['taken-at']).toBe(
      new Date(Number(listed.taken_at_timestamp / 1_000_000n)).toISOString()
    )
    expect(result.outputs['module-hash']).toBe(sha256(await compileCanister('counter')))
    expect(result.outputs.principal).toBe(identity.principal)
    expect(await runState(id)).toBe('running')
    expect(await counter.get()).toBe(7n)
    expect(result.summary).toContain('Snapshots taken')
    expect(result.summary).toContain(hex(listed.id))
    expect(stateValue(result.state['stopped-canisters'])).toBe('[]')
  })

  it('leaves a canister that was stopped stopped', async () => {
    const { id } = await newCounter()
    await ic.stopCanister(id)
    const result = await action('create', { canister: id.toText() })
    expectSuccess(result)
    expect(await runState(id)).toBe('stopped')
    expect(await snapshotIds(id)).toEqual([result.outputs['snapshot-id']])
  })

  it('snapshots several canisters given one per line or separated by commas', async () => {
    const a = await newCounter()
    const b = await newCounter()
    const result = await action('create', { canister: `${a.id.toText()},\n${b.id.toText()}\n` })
    expectSuccess(result)
    const ids = JSON.parse(result.outputs['snapshot-ids']) as Record<string, string>
    expect(ids).toEqual({
      [a.id.toText()]: (await snapshotIds(a.id))[0],
      [b.id.toText()]: (await snapshotIds(b.id))[0]
    })
    expect(result.outputs['snapshot-id']).toBe(ids[a.id.toText()])
  })

  it('replaces a named snapshot, and the oldest, with new ids', async () => {
    const { id } = await newCounter()
    const first = (await action('create', { canister: id.toText() })).outputs['snapshot-id']
    const second = (await action('create', { canister: id.toText() })).outputs['snapshot-id']
    const replaced = await action('create', { canister: id.toText(), replace: first })
    expectSuccess(replaced)
    expect((await snapshotIds(id)).sort()).toEqual([second, replaced.outputs['snapshot-id']].sort())
    const oldestReplaced = await action('create', { canister: id.toText(), replace: 'oldest' })
    expectSuccess(oldestReplaced)
    expect((await snapshotIds(id)).sort()).toEqual(
      [replaced.outputs['snapshot-id'], oldestReplaced.outputs['snapshot-id']].sort()
    )
  })

  it('at the limit of 10 fails by default, changing nothing, and replaces the oldest when asked', async () => {
    const { id } = await newCounter()
    for (let i = 0; i < 10; i++) await ic.takeCanisterSnapshot({ canisterId: id })
    const before = await snapshotIds(id)

    const refused = await action('create', { canister: id.toText() })
    expect(refused.code).toBe(1)
    expect(refused.errors).toEqual([
      `${id.toText()} already holds 10 snapshots, the most the IC allows; set 'on-limit: replace-oldest', 'replace: oldest', or remove some with 'mode: delete'.`
    ])
    expect(await snapshotIds(id)).toEqual(before)
    expect(await runState(id)).toBe('running')

    const rotated = await action('create', { canister: id.toText(), 'on-limit': 'replace-oldest' })
    expectSuccess(rotated)
    const after = await snapshotIds(id)
    expect(after).toHaveLength(10)
    expect(after).not.toContain(before[0])
    expect(after).toContain(rotated.outputs['snapshot-id'])
  })

  it('prints the plan on a dry run and changes nothing', async () => {
    const { id } = await newCounter()
    const stops = () => replica.requests.filter(r => r.methodName === 'stop_canister').length
    const stopsBefore = stops()
    const result = await action('create', { canister: id.toText(), 'dry-run': 'true' })
    expectSuccess(result)
    expect(result.stdout).toContain(`[dry run] would stop ${id.toText()}, take a snapshot`)
    expect(result.summary).toContain('dry run, nothing changed')
    expect(await snapshotIds(id)).toEqual([])
    expect(stops()).toBe(stopsBefore)
  })

  it('starts the canister again when the stop times out, and says so', async () => {
    const { id } = await newCounter()
    replica.state.holdInStopping(id, true)
    try {
      const result = await action('create', { canister: id.toText(), 'stop-timeout': '2' })
      expect(result.code).toBe(1)
      expect(result.errors).toEqual([
        `${id.toText()} did not stop within 2 s (it may be waiting on open calls); it was started again and nothing was changed. Raise 'stop-timeout' or retry later.`
      ])
    } finally {
      replica.state.holdInStopping(id, false)
    }
    expect(await runState(id)).toBe('running')
    expect(await snapshotIds(id)).toEqual([])
  })

  it('starts the canister again when taking the snapshot fails', async () => {
    const { id } = await newCounter()
    replica.controls.failNext(100, '5xx', ['call'], 'take_canister_snapshot')
    const result = await action('create', { canister: id.toText() })
    expect(result.code).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(/503/)
    expect(await runState(id)).toBe('running')
    expect(stateValue(result.state['stopped-canisters'])).toBe('[]')
  })

  it('is cancelled between stop and start: the post step starts the canister again', async () => {
    const { id, counter } = await newCounter(3n)
    replica.controls.delayMethod('take_canister_snapshot', 3_000)
    const main = await action('create', { canister: id.toText() }, { killWhen: / is stopped/ })
    expect(main.signal).toBe('SIGKILL')
    expect(await runState(id)).toBe('stopped')
    expect(JSON.parse(stateValue(main.state['stopped-canisters']))).toEqual([id.toText()])

    const post = await job.post({
      inputs: {
        mode: 'create',
        identity: identity.pem,
        network: replica.url,
        'root-key': replica.rootKeyHex,
        canister: id.toText()
      },
      state: main.state,
      jobStatus: 'cancelled'
    })
    if (!post) throw new Error('post-if skipped the post step of a cancelled job')
    expect(post.code).toBe(0)
    expect(post.stdout).toContain(`${id.toText()} is running again.`)
    expect(await runState(id)).toBe('running')
    expect(await counter.get()).toBe(3n)
  })
})

describe('restore', () => {
  it('loads a snapshot by id: the counter goes back, and the module hash is checked', async () => {
    const { id, counter } = await newCounter(5n)
    const taken = (await action('create', { canister: id.toText() })).outputs['snapshot-id']
    await counter.set(9n)
    const result = await action('restore', { canister: id.toText(), 'snapshot-id': taken })
    expectSuccess(result)
    expect(await counter.get()).toBe(5n)
    expect(await counter.get_stable()).toBe(5n)
    expect(await runState(id)).toBe('running')
    expect(result.outputs['snapshot-id']).toBe(taken)
    expect(result.outputs['module-hash']).toBe(sha256(await compileCanister('counter')))
    expect(result.stdout).toContain('Module hash check passed')
  })

  it("undoes a broken upgrade with 'latest' and reports both module hashes", async () => {
    const { id, counter } = await newCounter(11n)
    expectSuccess(await action('create', { canister: id.toText() }))
    await ic.installCode({
      mode: { upgrade: [] },
      canisterId: id,
      wasmModule: await compileCanister('broken_counter'),
      arg: new Uint8Array()
    })
    await expect(counter.health()).rejects.toThrow(/health check failed/)

    const result = await action('restore', { canister: id.toText(), 'snapshot-id': 'latest' })
    expectSuccess(result)
    expect(await counter.health()).toBe('ok')
    expect(await counter.get()).toBe(11n)
    expect(result.summary).toContain(sha256(await compileCanister('counter')))
  })

  it("loads another canister's snapshot into this one (same controller)", async () => {
    const source = await newCounter(21n)
    const target = await newCounter(0n)
    const taken = (await action('create', { canister: source.id.toText() })).outputs['snapshot-id']
    const result = await action('restore', { canister: target.id.toText(), 'snapshot-id': taken })
    expectSuccess(result)
    expect(await target.counter.get()).toBe(21n)
    expect(result.stdout).toContain('loading it across canisters')
  })
})

describe('list and delete', () => {
  it('lists snapshots as JSON, oldest first, for several canisters', async () => {
    const a = await newCounter()
    const b = await newCounter()
    const first = (await action('create', { canister: a.id.toText() })).outputs['snapshot-id']
    const second = (await action('create', { canister: a.id.toText() })).outputs['snapshot-id']
    const result = await action('list', { canister: `${a.id.toText()}\n${b.id.toText()}` })
    expectSuccess(result)
    const listed = JSON.parse(result.outputs.snapshots) as Array<{
      canister: string
      id: string
      taken_at: string
      size_bytes: string
    }>
    expect(listed.map(s => [s.canister, s.id])).toEqual([
      [a.id.toText(), first],
      [a.id.toText(), second]
    ])
    expect(Number(listed[0].size_bytes)).toBeGreaterThan(0)
    expect(listed[0].taken_at).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(result.summary).toContain(second)
  })

  it('deletes one snapshot by id, and all but the newest N with keep-last', async () => {
    const { id } = await newCounter()
    const ids: string[] = []
    for (let i = 0; i < 4; i++)
      ids.push((await action('create', { canister: id.toText() })).outputs['snapshot-id'])
    const one = await action('delete', { canister: id.toText(), 'snapshot-id': ids[1] })
    expectSuccess(one)
    expect(JSON.parse(one.outputs.deleted)).toEqual([ids[1]])
    const kept = await action('delete', { canister: id.toText(), 'keep-last': '1' })
    expectSuccess(kept)
    expect(JSON.parse(kept.outputs.deleted)).toEqual([ids[0], ids[2]])
    expect(await snapshotIds(id)).toEqual([ids[3]])
  })
})
