// The replica charges cycles as a 13-node application subnet does, and refuses with the IC's codes and texts
// when a canister cannot pay. The expected amounts are worked out here from the fee table
// (rs/config/src/subnet_config.rs, docs references/cycle-costs.md), not from the replica's own module.
import { IDL } from '@icp-sdk/core/candid'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Principal } from '@icp-sdk/core/principal'
import { agentFor, counterFor, managementFor } from '../harness/agent.js'
import { compileCanister } from '../harness/canisters/compile.js'
import {
  decodeResult,
  encodeArgs,
  type ArgsOf,
  type ManagementMethod
} from '../harness/replica/management/candid.js'
import { startReplica } from '../harness/replica/replica.js'
import { StateMachine } from '../harness/replica/state-machine.js'
import type { Outcome } from '../harness/replica/types.js'

const MANAGEMENT = Principal.managementCanister()
const alice = Principal.selfAuthenticating(new Uint8Array(32).fill(1))
const bob = Principal.selfAuthenticating(new Uint8Array(32).fill(2))
const GIB = 1n << 30n
const DAY = 86_400n
const T = 1_000_000_000_000n

// The fee table of a 13-node application subnet.
const UPDATE_FEE = 5_000_000n
const SNAPSHOT_BASELINE = 2_000_000_000n
const DATA_BASELINE = 5_000_000n
const INGRESS_MESSAGE = 1_200_000n
const INGRESS_BYTE = 2_000n
const GIB_SECOND = 127_000n

const underscores = (n: bigint) => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, '_')
const idlePerDay = (bytes: bigint) => (bytes * GIB_SECOND * DAY) / GIB
const thresholdOf = (bytes: bigint, seconds: bigint) => (idlePerDay(bytes) * seconds) / DAY

let counterWasm: Uint8Array
let sm: StateMachine

beforeAll(async () => {
  counterWasm = await compileCanister('counter')
})

beforeEach(() => {
  sm = new StateMachine({ subnetId: Principal.fromText('aaaaa-aa') })
})

function mgmt<M extends ManagementMethod>(
  method: M,
  args: ArgsOf<M>,
  options: { sender?: Principal; messageBytes?: number } = {}
): Promise<Outcome> {
  const target = (args as { canister_id?: Principal }).canister_id ?? MANAGEMENT
  return sm.update({
    sender: options.sender ?? alice,
    canisterId: MANAGEMENT,
    effectiveCanisterId: target,
    methodName: method,
    arg: encodeArgs(method, args),
    ...(options.messageBytes !== undefined ? { messageBytes: options.messageBytes } : {})
  })
}

async function ok<M extends ManagementMethod>(method: M, args: ArgsOf<M>) {
  const outcome = await mgmt(method, args)
  if (outcome.status !== 'replied')
    throw new Error(`${method}: ${outcome.errorCode} ${outcome.rejectMessage}`)
  return decodeResult(method, outcome.reply)
}

function rejected(outcome: Outcome): { errorCode: string; rejectCode: number; message: string } {
  if (outcome.status !== 'rejected') throw new Error('expected a reject')
  return { errorCode: outcome.errorCode, rejectCode: outcome.rejectCode, message: outcome.rejectMessage }
}

async function counter(cycles: bigint): Promise<Principal> {
  const id = sm.createCanister([alice], cycles)
  await sm.installCode(id, counterWasm, new Uint8Array(IDL.encode([IDL.Nat64], [5n])))
  return id
}

const balance = (id: Principal) => sm.cyclesOf(id)?.cycles as bigint

/** What a snapshot of the canister holds, learnt by taking one and deleting it again. */
async function snapshotBytes(id: Principal): Promise<bigint> {
  const snapshot = await ok('take_canister_snapshot', {
    canister_id: id,
    replace_snapshot: [],
    uninstall_code: [],
    sender_canister_version: []
  })
  await ok('delete_canister_snapshot', { canister_id: id, snapshot_id: snapshot.id })
  return snapshot.total_size
}
const status = (id: Principal) => ok('canister_status', { canister_id: id })
const take = (id: Principal) =>
  mgmt('take_canister_snapshot', {
    canister_id: id,
    replace_snapshot: [],
    uninstall_code: [],
    sender_canister_version: []
  })

function settings(
  values: Partial<ArgsOf<'update_settings'>['settings']>
): ArgsOf<'update_settings'>['settings'] {
  return {
    controllers: [],
    compute_allocation: [],
    memory_allocation: [],
    freezing_threshold: [],
    reserved_cycles_limit: [],
    minimum_incoming_canister_call_cycles: [],
    log_visibility: [],
    log_memory_limit: [],
    snapshot_visibility: [],
    status_visibility: [],
    wasm_memory_limit: [],
    wasm_memory_threshold: [],
    environment_variables: [],
    ...values
  }
}

const setFreezing = (id: Principal, seconds: bigint) =>
  ok('update_settings', {
    canister_id: id,
    settings: settings({ freezing_threshold: [seconds] }),
    sender_canister_version: []
  })

describe('balances in canister_status', () => {
  it('reports the balance, the reserved cycles and the idle burn of the memory it holds', async () => {
    const id = await counter(7n * T)
    const reply = await status(id)
    expect(reply.cycles).toBe(7n * T)
    expect(reply.reserved_cycles).toBe(0n)
    expect(reply.settings.freezing_threshold).toBe(2_592_000n)
    expect(reply.settings.reserved_cycles_limit).toBe(5n * T)
    expect(reply.idle_cycles_burned_per_day).toBe(idlePerDay(reply.memory_size))
  })

  it('counts snapshots in the memory the freezing threshold is taken on', async () => {
    const id = await counter(7n * T)
    const before = await status(id)
    const snapshot = await ok('take_canister_snapshot', {
      canister_id: id,
      replace_snapshot: [],
      uninstall_code: [],
      sender_canister_version: []
    })
    const after = await status(id)
    expect(after.memory_size).toBe(before.memory_size + snapshot.total_size)
    expect(after.memory_metrics.snapshots_size).toBe(snapshot.total_size)
    expect(after.idle_cycles_burned_per_day).toBe(idlePerDay(after.memory_size))
  })
})

describe('take_canister_snapshot', () => {
  it('costs 5M + 2B + 1 per snapshot byte', async () => {
    const id = await counter(7n * T)
    const before = balance(id)
    const snapshot = await ok('take_canister_snapshot', {
      canister_id: id,
      replace_snapshot: [],
      uninstall_code: [],
      sender_canister_version: []
    })
    expect(before - balance(id)).toBe(UPDATE_FEE + SNAPSHOT_BASELINE + snapshot.total_size)
  })

  it('refuses a canister that cannot pay above its freezing threshold with IC0207, and takes nothing', async () => {
    const id = await counter(T)
    await setFreezing(id, 100n * DAY)
    const size = await snapshotBytes(id)
    const { memory_size } = await status(id)
    // Exactly one cycle short, with the threshold taken at the memory the snapshot adds.
    const cost = UPDATE_FEE + SNAPSHOT_BASELINE + size
    const threshold = thresholdOf(memory_size + size, 100n * DAY)
    sm.setCycles(id, threshold + cost - 1n)
    const reject = rejected(await take(id))
    expect(reject.errorCode).toBe('IC0207')
    expect(reject.rejectCode).toBe(2)
    expect(reject.message).toBe(
      `Canister snapshotting failed with: \`Canister ${id.toText()} is out of cycles: please top up the canister with at least 1 additional cycles\`\n` +
        'Try sending more cycles with the request. See documentation: canister-snapshot-not-enough-cycles'
    )
    expect(await ok('list_canister_snapshots', { canister_id: id })).toEqual([])
    expect(balance(id)).toBe(threshold + cost - 1n)
    sm.setCycles(id, threshold + cost)
    expect((await take(id)).status).toBe('replied')
  })

  it('refuses with IC0532 a snapshot whose memory would freeze the canister', async () => {
    const id = await counter(T)
    const size = await snapshotBytes(id)
    await setFreezing(id, 1_000_000n * DAY)
    const { memory_size } = await status(id)
    const frozenAfter = thresholdOf(memory_size + size, 1_000_000n * DAY)
    sm.setCycles(id, frozenAfter - 10n)
    const reject = rejected(await take(id))
    expect(reject.errorCode).toBe('IC0532')
    expect(reject.rejectCode).toBe(5)
    expect(reject.message).toBe(
      `Canister cannot grow memory by ${size} bytes due to insufficient cycles. At least 10 additional cycles are required.\n` +
        'Top up the canister with more cycles. See documentation: http://internetcomputer.org/docs/current/references/execution-errors#insufficient-cycles-in-memory-grow-1'
    )
  })

  it('reserves storage cycles on a busy subnet, and refuses with IC0534 beyond the reserved-cycles limit', async () => {
    const id = await counter(7n * T)
    sm.setOtherSubnetMemory(1024n * GIB)
    const before = balance(id)
    const snapshot = await ok('take_canister_snapshot', {
      canister_id: id,
      replace_snapshot: [],
      uninstall_code: [],
      sender_canister_version: []
    })
    const reserved = sm.cyclesOf(id)?.reserved as bigint
    expect(reserved).toBeGreaterThan(0n)
    expect(before - balance(id)).toBe(UPDATE_FEE + SNAPSHOT_BASELINE + snapshot.total_size + reserved)
    expect((await status(id)).reserved_cycles).toBe(reserved)

    await ok('update_settings', {
      canister_id: id,
      settings: settings({ reserved_cycles_limit: [reserved] }),
      sender_canister_version: []
    })
    const reject = rejected(await take(id))
    expect(reject.errorCode).toBe('IC0534')
    expect(reject.message).toMatch(
      new RegExp(
        `^Canister cannot grow memory by ${snapshot.total_size} bytes due to its reserved cycles limit\\. The current limit \\(${underscores(reserved)}\\) would exceeded by [\\d_]+\\.\\n`
      )
    )
  })
})

describe('delete_canister_snapshot', () => {
  it('is refused with IC0532 while the canister is frozen, although it frees memory', async () => {
    const id = await counter(7n * T)
    const { id: snapshotId } = await ok('take_canister_snapshot', {
      canister_id: id,
      replace_snapshot: [],
      uninstall_code: [],
      sender_canister_version: []
    })
    await setFreezing(id, 1_000_000n * DAY)
    sm.setCycles(id, 1_000n)
    const reject = rejected(
      await mgmt('delete_canister_snapshot', { canister_id: id, snapshot_id: snapshotId })
    )
    expect(reject.errorCode).toBe('IC0532')
    expect(reject.message).toMatch(
      /^Canister cannot grow memory by 0 bytes due to insufficient cycles\. At least [\d_]+ additional cycles are required\./
    )
    expect(await ok('list_canister_snapshots', { canister_id: id })).toHaveLength(1)
  })
})

describe('snapshot data', () => {
  it('charges each read 5M + the slice size asked for, and each write its bytes', async () => {
    const id = await counter(7n * T)
    const { id: snapshotId } = await ok('take_canister_snapshot', {
      canister_id: id,
      replace_snapshot: [],
      uninstall_code: [],
      sender_canister_version: []
    })
    let before = balance(id)
    await ok('read_canister_snapshot_data', {
      canister_id: id,
      snapshot_id: snapshotId,
      kind: { wasm_memory: { offset: 0n, size: 1000n } }
    })
    expect(before - balance(id)).toBe(DATA_BASELINE + 1000n)

    before = balance(id)
    const { snapshot_id: uploaded } = await ok('upload_canister_snapshot_metadata', {
      canister_id: id,
      replace_snapshot: [],
      wasm_module_size: 100n,
      globals: [],
      wasm_memory_size: 65_536n,
      stable_memory_size: 0n,
      certified_data: new Uint8Array(),
      global_timer: [],
      on_low_wasm_memory_hook_status: []
    })
    expect(before - balance(id)).toBe(UPDATE_FEE + SNAPSHOT_BASELINE + 100n + 65_536n)

    before = balance(id)
    await ok('upload_canister_snapshot_data', {
      canister_id: id,
      snapshot_id: uploaded,
      kind: { wasm_memory: { offset: 0n } },
      chunk: new Uint8Array(4096)
    })
    expect(before - balance(id)).toBe(4096n)
  })

  it('refuses a read the canister cannot pay with IC0207', async () => {
    const id = await counter(7n * T)
    const { id: snapshotId } = await ok('take_canister_snapshot', {
      canister_id: id,
      replace_snapshot: [],
      uninstall_code: [],
      sender_canister_version: []
    })
    sm.setCycles(id, 0n)
    const reject = rejected(
      await mgmt('read_canister_snapshot_data', {
        canister_id: id,
        snapshot_id: snapshotId,
        kind: { wasm_memory: { offset: 0n, size: 1000n } }
      })
    )
    expect(reject.errorCode).toBe('IC0207')
    expect(reject.message).toMatch(
      /^Canister snapshotting failed with: `Canister .* is out of cycles: please top up/
    )
  })
})

describe('ingress', () => {
  it('charges the target canister 1.2M + 2,000 per byte of the signed message; queries are free', async () => {
    const id = await counter(7n * T)
    let before = balance(id)
    await mgmt('canister_status', { canister_id: id }, { messageBytes: 500 })
    expect(before - balance(id)).toBe(INGRESS_MESSAGE + 500n * INGRESS_BYTE)

    before = balance(id)
    await sm.query({
      sender: alice,
      canisterId: MANAGEMENT,
      effectiveCanisterId: id,
      methodName: 'canister_status',
      arg: encodeArgs('canister_status', { canister_id: id }),
      messageBytes: 500
    })
    expect(balance(id)).toBe(before)
  })

  it('refuses a message the canister cannot pay with IC0207; only a controller is told the amount', async () => {
    const id = await counter(7n * T)
    await setFreezing(id, 0n)
    sm.setCycles(id, INGRESS_MESSAGE)
    const own = rejected(await mgmt('canister_status', { canister_id: id }, { messageBytes: 1 }))
    expect(own.errorCode).toBe('IC0207')
    expect(own.message).toBe(
      `Canister ${id.toText()} is out of cycles: please top up the canister with at least 2_000 additional cycles`
    )
    const stranger = rejected(
      await mgmt('canister_status', { canister_id: id }, { messageBytes: 1, sender: bob })
    )
    expect(stranger.message).toBe(`Canister ${id.toText()} is out of cycles`)
    // A small update_settings is free, so that a frozen canister can be unfrozen.
    const fix = await mgmt(
      'update_settings',
      { canister_id: id, settings: settings({ freezing_threshold: [0n] }), sender_canister_version: [] },
      { messageBytes: 300 }
    )
    expect(fix.status).toBe('replied')
  })
})

describe('over HTTP', () => {
  it('seeds a funded canister, sets a balance, and charges each call its message bytes', async () => {
    const replica = await startReplica()
    try {
      const controller = Ed25519KeyIdentity.generate()
      const id = await replica.seedCanister('counter', [controller.getPrincipal()])
      const management = managementFor(await agentFor(replica, controller))
      expect((await management.canisterStatus({ canisterId: id })).cycles).toBeLessThan(10n * T)
      expect((await management.canisterStatus({ canisterId: id })).cycles).toBeGreaterThan(
        10n * T - 10_000_000n
      )

      await replica.setCycles(id, 3n * T)
      const before = replica.state.cyclesOf(id)?.cycles as bigint
      expect(before).toBe(3n * T)
      await counterFor(await agentFor(replica, Ed25519KeyIdentity.generate()), id).inc()
      const spent = before - (replica.state.cyclesOf(id)?.cycles as bigint)
      // One ingress message of a few hundred bytes: the fee, plus 2,000 per byte.
      expect(spent).toBeGreaterThan(INGRESS_MESSAGE + 100n * INGRESS_BYTE)
      expect(spent).toBeLessThan(INGRESS_MESSAGE + 1_000n * INGRESS_BYTE)
      expect((spent - INGRESS_MESSAGE) % INGRESS_BYTE).toBe(0n)
    } finally {
      await replica.stop()
    }
  })
})
