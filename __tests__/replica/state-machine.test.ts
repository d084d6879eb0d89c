// The replica's state machine, called directly with Candid-encoded arguments as the HTTP layer would.
import { createHash } from 'node:crypto'
import { IDL } from '@icp-sdk/core/candid'
import { Principal } from '@icp-sdk/core/principal'
import wabtInit from 'wabt'
import { compileCanister } from '../harness/canisters/compile.js'
import {
  decodeResult,
  encodeArgs,
  type ArgsOf,
  type ManagementMethod,
  type ResultOf
} from '../harness/replica/management/candid.js'
import { canisterIdFromIndex, displaySnapshotId, snapshotIdOf } from '../harness/replica/management/ids.js'
import { StateMachine } from '../harness/replica/state-machine.js'
import type { Outcome } from '../harness/replica/types.js'

const MANAGEMENT = Principal.managementCanister()
const alice = Principal.selfAuthenticating(new Uint8Array(32).fill(1))
const bob = Principal.selfAuthenticating(new Uint8Array(32).fill(2))
const EMPTY_ARG = IDL.encode([], [])
const START_NS = 1_700_000_000_000_000_000n

let counterWasm: Uint8Array
let brokenWasm: Uint8Array
let unsupportedWasm: Uint8Array
let trappingPostUpgradeWasm: Uint8Array
let trappingPreUpgradeWasm: Uint8Array

// Modules for the upgrade rollback cases, which no shared test canister covers.
async function wat(text: string): Promise<Uint8Array> {
  const wabt = await wabtInit()
  const module = wabt.parseWat('inline.wat', text)
  try {
    return new Uint8Array(module.toBinary({}).buffer)
  } finally {
    module.destroy()
  }
}

beforeAll(async () => {
  counterWasm = await compileCanister('counter')
  brokenWasm = await compileCanister('broken_counter')
  unsupportedWasm = await compileCanister('unsupported')
  trappingPostUpgradeWasm = await wat(`(module
    (import "ic0" "trap" (func $trap (param i32 i32)))
    (memory (export "memory") 1)
    (data (i32.const 0) "oops")
    (func (export "canister_post_upgrade") (call $trap (i32.const 0) (i32.const 4))))`)
  trappingPreUpgradeWasm = await wat(`(module
    (import "ic0" "trap" (func $trap (param i32 i32)))
    (import "ic0" "msg_reply" (func $msg_reply))
    (memory (export "memory") 1)
    (data (i32.const 0) "oops")
    (func (export "canister_pre_upgrade") (call $trap (i32.const 0) (i32.const 4)))
    (func (export "canister_update noop") (call $msg_reply)))`)
})

let clock: bigint
let sm: StateMachine

beforeEach(() => {
  clock = START_NS
  sm = new StateMachine({ now: () => clock, subnetId: Principal.fromText('aaaaa-aa') })
})

// --- helpers -------------------------------------------------------------------------------------------

interface CallOptions {
  sender?: Principal
  effectiveCanisterId?: Principal
}

function targetOf(args: unknown): Principal {
  const record = (args ?? {}) as { canister_id?: Principal; target_canister?: Principal }
  return record.canister_id ?? record.target_canister ?? MANAGEMENT
}

/** Sends a management call with the argument encoded as a client would; returns the raw outcome. */
function mgmt<M extends ManagementMethod>(method: M, args: ArgsOf<M>, options: CallOptions = {}) {
  return sm.update({
    sender: options.sender ?? alice,
    canisterId: MANAGEMENT,
    effectiveCanisterId: options.effectiveCanisterId ?? targetOf(args),
    methodName: method,
    arg: encodeArgs(method, args)
  })
}

/** A management call that must succeed; returns its decoded reply. */
async function ok<M extends ManagementMethod>(method: M, args: ArgsOf<M>, options?: CallOptions) {
  const outcome = await mgmt(method, args, options)
  if (outcome.status !== 'replied')
    throw new Error(`${method} rejected: ${outcome.errorCode} ${outcome.rejectMessage}`)
  return decodeResult(method, outcome.reply) as ResultOf<M>
}

function expectReject(outcome: Outcome, errorCode: string, message: string | RegExp): void {
  expect(outcome.status).toBe('rejected')
  if (outcome.status !== 'rejected') return
  expect(outcome.errorCode).toBe(errorCode)
  expect(outcome.rejectCode).toBe(Number(errorCode[3]))
  if (typeof message === 'string') expect(outcome.rejectMessage).toContain(message)
  else expect(outcome.rejectMessage).toMatch(message)
}

function canisterCall(canisterId: Principal, methodName: string, arg = EMPTY_ARG, sender = alice) {
  return sm.update({ sender, canisterId, effectiveCanisterId: canisterId, methodName, arg })
}

function canisterQuery(canisterId: Principal, methodName: string, sender = alice) {
  return sm.query({ sender, canisterId, effectiveCanisterId: canisterId, methodName, arg: EMPTY_ARG })
}

function nat64(outcome: Outcome): bigint {
  if (outcome.status !== 'replied') throw new Error(`rejected: ${outcome.rejectMessage}`)
  return IDL.decode([IDL.Nat64], outcome.reply)[0] as bigint
}

const nat64Arg = (value: bigint) => IDL.encode([IDL.Nat64], [value])

async function counterValue(id: Principal): Promise<{ heap: bigint; stable: bigint }> {
  return { heap: nat64(await canisterQuery(id, 'get')), stable: nat64(await canisterQuery(id, 'get_stable')) }
}

async function newCanister(controllers: Principal[] = [alice]): Promise<Principal> {
  const { canister_id } = await ok('provisional_create_canister_with_cycles', {
    amount: [],
    settings: [settings({ controllers: [controllers] })],
    specified_id: [],
    sender_canister_version: []
  })
  return canister_id
}

async function newCounter(initial = 0n, controllers: Principal[] = [alice]): Promise<Principal> {
  const id = await newCanister(controllers)
  await ok(
    'install_code',
    {
      mode: { install: null },
      canister_id: id,
      wasm_module: counterWasm,
      arg: nat64Arg(initial),
      sender_canister_version: []
    },
    { sender: controllers[0] }
  )
  return id
}

function settings(
  values: Partial<ArgsOf<'update_settings'>['settings']> = {}
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

const status = (id: Principal, sender = alice) => ok('canister_status', { canister_id: id }, { sender })
const statusName = async (id: Principal) => Object.keys((await status(id)).status)[0]

const take = (
  id: Principal,
  replace?: Uint8Array,
  options: { uninstall?: boolean; sender?: Principal } = {}
) =>
  mgmt(
    'take_canister_snapshot',
    {
      canister_id: id,
      replace_snapshot: replace ? [replace] : [],
      uninstall_code: options.uninstall === undefined ? [] : [options.uninstall],
      sender_canister_version: []
    },
    { sender: options.sender }
  )

async function takeOk(id: Principal, replace?: Uint8Array) {
  const outcome = await take(id, replace)
  if (outcome.status !== 'replied') throw new Error(outcome.rejectMessage)
  return decodeResult('take_canister_snapshot', outcome.reply)
}

const load = (id: Principal, snapshotId: Uint8Array, sender = alice) =>
  mgmt(
    'load_canister_snapshot',
    { canister_id: id, snapshot_id: snapshotId, sender_canister_version: [] },
    { sender }
  )

const list = (id: Principal, sender = alice) => ok('list_canister_snapshots', { canister_id: id }, { sender })

const readMetadata = (id: Principal, snapshotId: Uint8Array) =>
  ok('read_canister_snapshot_metadata', { canister_id: id, snapshot_id: snapshotId })

type ReadKind = ArgsOf<'read_canister_snapshot_data'>['kind']
const readData = (id: Principal, snapshotId: Uint8Array, kind: ReadKind, sender = alice) =>
  mgmt('read_canister_snapshot_data', { canister_id: id, snapshot_id: snapshotId, kind }, { sender })

/** Downloads a whole blob in slices of at most 2,000,000 bytes, as icp-cli does. */
async function download(
  id: Principal,
  snapshotId: Uint8Array,
  blob: 'wasm_module' | 'wasm_memory' | 'stable_memory',
  size: bigint
) {
  const parts: Uint8Array[] = []
  for (let offset = 0n; offset < size; offset += 2_000_000n) {
    const slice = { offset, size: size - offset < 2_000_000n ? size - offset : 2_000_000n }
    const outcome = await readData(id, snapshotId, { [blob]: slice } as ReadKind)
    if (outcome.status !== 'replied') throw new Error(outcome.rejectMessage)
    parts.push(decodeResult('read_canister_snapshot_data', outcome.reply).chunk)
  }
  return new Uint8Array(Buffer.concat(parts))
}

type UploadMetadata = ArgsOf<'upload_canister_snapshot_metadata'>
function uploadMetadata(id: Principal, values: Partial<UploadMetadata> = {}, sender = alice) {
  return mgmt(
    'upload_canister_snapshot_metadata',
    {
      canister_id: id,
      replace_snapshot: [],
      wasm_module_size: 1n,
      globals: [],
      wasm_memory_size: 0n,
      stable_memory_size: 0n,
      certified_data: new Uint8Array(),
      global_timer: [],
      on_low_wasm_memory_hook_status: [],
      ...values
    },
    { sender }
  )
}

type UploadKind = ArgsOf<'upload_canister_snapshot_data'>['kind']
const uploadData = (
  id: Principal,
  snapshotId: Uint8Array,
  kind: UploadKind,
  chunk: Uint8Array,
  sender = alice
) =>
  mgmt('upload_canister_snapshot_data', { canister_id: id, snapshot_id: snapshotId, kind, chunk }, { sender })

async function uploadBlob(
  id: Principal,
  snapshotId: Uint8Array,
  blob: 'wasm_module' | 'wasm_memory' | 'stable_memory',
  bytes: Uint8Array
) {
  for (let offset = 0; offset < bytes.length; offset += 2_000_000) {
    const outcome = await uploadData(
      id,
      snapshotId,
      { [blob]: { offset: BigInt(offset) } } as UploadKind,
      bytes.subarray(offset, offset + 2_000_000)
    )
    expect(outcome.status).toBe('replied')
  }
}

const sha256 = (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest())

// --- ids -------------------------------------------------------------------------------------------------

describe('ids', () => {
  it.each([
    [0n, 'rwlgt-iiaaa-aaaaa-aaaaa-cai'],
    [1n, 'rrkah-fqaaa-aaaaa-aaaaq-cai'],
    [0x8000_0000_0010_0001n, 'bkyz2-fmaaa-aaaaa-qaaaq-cai']
  ])('canister index %s is %s', (index, text) => {
    expect(canisterIdFromIndex(index).toText()).toBe(text)
  })

  it('allocates canister ids in the subnet range, starting where a local dfx replica does', async () => {
    const first = await newCanister()
    const second = await newCanister()
    expect(first.toText()).toBe('bkyz2-fmaaa-aaaaa-qaaaq-cai')
    expect(Buffer.from(second.toUint8Array()).toString('hex')).toBe('80000000001000020101')
  })

  it('forms snapshot ids from a big-endian local id and the canister id, shown as {canister}-{local}', () => {
    const canister = canisterIdFromIndex(0x8000_0000_0010_000an)
    const id = snapshotIdOf(canister, 1n)
    expect(Buffer.from(id).toString('hex')).toBe('0000000000000001' + '800000000010000a0101')
    expect(displaySnapshotId(id)).toBe(`${canister.toText()}-1`)
  })
})

// --- dispatch --------------------------------------------------------------------------------------------

describe('management canister dispatch', () => {
  it('rejects unknown methods (IC0407)', async () => {
    const outcome = await sm.update({
      sender: alice,
      canisterId: MANAGEMENT,
      effectiveCanisterId: MANAGEMENT,
      methodName: 'no_such_method',
      arg: EMPTY_ARG
    })
    expectReject(outcome, 'IC0407', "Management canister has no method 'no_such_method'")
  })

  it('rejects arguments that are not the method’s Candid (IC0408)', async () => {
    const id = await newCanister()
    const outcome = await sm.update({
      sender: alice,
      canisterId: MANAGEMENT,
      effectiveCanisterId: id,
      methodName: 'canister_status',
      arg: IDL.encode([IDL.Text], ['nope'])
    })
    expectReject(outcome, 'IC0408', 'Error decoding candid')
  })

  it.each([
    ['canister_status', (id: Principal) => encodeArgs('canister_status', { canister_id: id })],
    [
      'install_chunked_code',
      (id: Principal) =>
        encodeArgs('install_chunked_code', {
          mode: { install: null },
          target_canister: id,
          store_canister: [],
          chunk_hashes_list: [],
          wasm_module_hash: new Uint8Array(32),
          arg: EMPTY_ARG,
          sender_canister_version: []
        })
    ]
  ] as const)('%s must be sent to the effective canister id it names', async (method, arg) => {
    const id = await newCanister()
    const other = await newCanister()
    const outcome = await sm.update({
      sender: alice,
      canisterId: MANAGEMENT,
      effectiveCanisterId: other,
      methodName: method,
      arg: arg(id)
    })
    expectReject(
      outcome,
      'IC0408',
      `Specified CanisterId ${id.toText()} does not match effective canister id in URL ${other.toText()}`
    )
  })

  it('accepts any effective canister id for canister creation', async () => {
    const someone = await newCanister()
    const { canister_id } = await ok(
      'create_canister',
      { settings: [], sender_canister_version: [] },
      { effectiveCanisterId: someone }
    )
    expect((await status(canister_id)).settings.controllers.map(p => p.toText())).toEqual([alice.toText()])
  })

  it('serves canister_status as a query and refuses other management queries', async () => {
    const id = await newCanister()
    const query = (methodName: string, arg: Uint8Array) =>
      sm.query({ sender: alice, canisterId: MANAGEMENT, effectiveCanisterId: id, methodName, arg })
    const outcome = await query('canister_status', encodeArgs('canister_status', { canister_id: id }))
    expect(outcome.status).toBe('replied')
    expectReject(
      await query('start_canister', encodeArgs('start_canister', { canister_id: id })),
      'IC0536',
      'no query method'
    )
  })
})

// --- lifecycle -------------------------------------------------------------------------------------------

describe('canister creation and status', () => {
  it('creates canisters controlled by the caller unless settings name controllers', async () => {
    const { canister_id: own } = await ok('provisional_create_canister_with_cycles', {
      amount: [123n],
      settings: [],
      specified_id: [],
      sender_canister_version: []
    })
    const shared = await newCanister([alice, bob])
    const ownStatus = await status(own)
    expect(ownStatus.settings.controllers.map(p => p.toText())).toEqual([alice.toText()])
    expect(ownStatus.cycles).toBe(123n)
    expect((await status(shared, bob)).settings.controllers.map(p => p.toText())).toEqual([
      alice.toText(),
      bob.toText()
    ])
  })

  it('honours specified_id and refuses a taken one', async () => {
    const wanted = canisterIdFromIndex(42n)
    const args = {
      amount: [],
      settings: [],
      specified_id: [wanted],
      sender_canister_version: []
    } satisfies ArgsOf<'provisional_create_canister_with_cycles'>
    expect((await ok('provisional_create_canister_with_cycles', args)).canister_id.toText()).toBe(
      wanted.toText()
    )
    expectReject(await mgmt('provisional_create_canister_with_cycles', args), 'IC0205', 'already exists')
  })

  it('reports the newest canister_status schema with the canister’s real numbers', async () => {
    const empty = await newCanister()
    const emptyStatus = await status(empty)
    expect(emptyStatus.status).toEqual({ running: null })
    expect(emptyStatus.module_hash).toEqual([])
    expect(emptyStatus.ready_for_migration).toBe(false)
    expect(emptyStatus.settings.snapshot_visibility).toEqual({ controllers: null })
    expect(emptyStatus.settings.status_visibility).toEqual({ controllers: null })
    expect(emptyStatus.memory_metrics.log_memory_store_size).toBe(0n)

    const id = await newCounter(3n)
    const s = await status(id)
    expect(s.module_hash).toEqual([sha256(counterWasm)])
    expect(s.memory_metrics.wasm_memory_size).toBe(2n * 65536n)
    expect(s.memory_metrics.stable_memory_size).toBe(65536n)
    expect(s.memory_metrics.wasm_binary_size).toBe(BigInt(counterWasm.length))
    expect(s.memory_size).toBe(2n * 65536n + 65536n + BigInt(counterWasm.length))
    expect(s.version).toBe(1n)
  })

  it('shows canister_status to controllers only, unless status_visibility opens it', async () => {
    const id = await newCanister()
    const outcome = await mgmt('canister_status', { canister_id: id }, { sender: bob })
    expectReject(
      outcome,
      'IC0512',
      `Only the controllers of the canister ${id.toText()} can control it.\nCanister's controllers: ${alice.toText()}\nSender's ID: ${bob.toText()}`
    )
    await ok('update_settings', {
      canister_id: id,
      settings: settings({ status_visibility: [{ allowed_viewers: [bob] }] }),
      sender_canister_version: []
    })
    expect((await status(id, bob)).status).toEqual({ running: null })
  })

  it('rejects calls about canisters that do not exist (IC0301)', async () => {
    const ghost = canisterIdFromIndex(7n)
    expectReject(
      await mgmt('canister_status', { canister_id: ghost }),
      'IC0301',
      `Canister ${ghost.toText()} not found.`
    )
  })
})

describe('update_settings', () => {
  it('replaces the controllers, stores the other settings and bumps the version', async () => {
    const id = await newCanister()
    await ok('update_settings', {
      canister_id: id,
      settings: settings({
        controllers: [[bob]],
        freezing_threshold: [86_400n],
        snapshot_visibility: [{ public: null }]
      }),
      sender_canister_version: []
    })
    const s = await status(id, bob)
    expect(s.settings.controllers.map(p => p.toText())).toEqual([bob.toText()])
    expect(s.settings.freezing_threshold).toBe(86_400n)
    expect(s.settings.snapshot_visibility).toEqual({ public: null })
    expect(s.version).toBe(1n)
    expect(sm.canisterInfo(id)?.controllers.map(p => p.toText())).toEqual([bob.toText()])
    expectReject(await mgmt('canister_status', { canister_id: id }), 'IC0512', 'Only the controllers')
  })

  it('refuses more than 10 controllers', async () => {
    const id = await newCanister()
    const many = Array.from({ length: 11 }, (_, i) =>
      Principal.selfAuthenticating(new Uint8Array(32).fill(10 + i))
    )
    const outcome = await mgmt('update_settings', {
      canister_id: id,
      settings: settings({ controllers: [many] }),
      sender_canister_version: []
    })
    expectReject(outcome, 'IC0504', 'At most 10 controllers')
  })
})

describe('install_code', () => {
  const install = (
    id: Principal,
    mode: ArgsOf<'install_code'>['mode'],
    wasm: Uint8Array,
    arg = EMPTY_ARG,
    sender = alice
  ) =>
    mgmt(
      'install_code',
      { mode, canister_id: id, wasm_module: wasm, arg, sender_canister_version: [] },
      { sender }
    )

  it('installs with canister_init receiving the argument', async () => {
    const id = await newCounter(5n)
    expect(await counterValue(id)).toEqual({ heap: 5n, stable: 5n })
    expect(sm.canisterInfo(id)?.moduleHash).toEqual(sha256(counterWasm))
  })

  it('refuses install on a non-empty canister (IC0514) and reinstalls from scratch', async () => {
    const id = await newCounter(5n)
    expectReject(await install(id, { install: null }, counterWasm), 'IC0514', 'not empty')
    expect((await install(id, { reinstall: null }, counterWasm, nat64Arg(9n))).status).toBe('replied')
    expect(await counterValue(id)).toEqual({ heap: 9n, stable: 9n })
    expect((await status(id)).version).toBe(2n)
  })

  it('upgrades keeping stable memory and starting a fresh heap', async () => {
    const id = await newCounter(5n)
    await canisterCall(id, 'inc')
    expect((await install(id, { upgrade: [] }, brokenWasm)).status).toBe('replied')
    // post_upgrade copies the value back from stable memory into the fresh heap.
    expect(await counterValue(id)).toEqual({ heap: 6n, stable: 6n })
    expectReject(await canisterQuery(id, 'health'), 'IC0503', 'trap')
    expect(sm.canisterInfo(id)?.moduleHash).toEqual(sha256(brokenWasm))
  })

  it('accepts the upgrade options of the newest interface', async () => {
    const id = await newCounter(5n)
    const mode = {
      upgrade: [{ skip_pre_upgrade: [true], wasm_memory_persistence: [{ keep: null }] }]
    } as ArgsOf<'install_code'>['mode']
    expect((await install(id, mode, counterWasm)).status).toBe('replied')
    expect(await counterValue(id)).toEqual({ heap: 5n, stable: 5n })
  })

  it.each([
    ['post_upgrade', () => trappingPostUpgradeWasm, () => counterWasm],
    ['pre_upgrade', () => counterWasm, () => trappingPreUpgradeWasm]
  ])('rolls an upgrade back when %s traps', async (_hook, newModule, oldModule) => {
    const id = await newCanister()
    expect((await install(id, { install: null }, oldModule(), EMPTY_ARG)).status).toBe('replied')
    if (oldModule() === counterWasm) await canisterCall(id, 'set', nat64Arg(11n))
    const before = await status(id)
    const outcome = await install(id, { upgrade: [] }, newModule())
    expectReject(outcome, 'IC0503', "Canister called `ic0.trap` with message: 'oops'")
    const after = await status(id)
    expect(after.module_hash).toEqual(before.module_hash)
    expect(after.version).toBe(before.version)
    if (oldModule() === counterWasm) expect(await counterValue(id)).toEqual({ heap: 11n, stable: 11n })
  })

  it('leaves the canister empty when canister_init traps', async () => {
    const id = await newCanister()
    const outcome = await install(id, { install: null }, counterWasm, IDL.encode([IDL.Text], ['not a nat64']))
    expectReject(outcome, 'IC0503', 'expected a Candid nat64 argument')
    expect((await status(id)).module_hash).toEqual([])
  })

  it.each([
    ['an import the runtime lacks', () => unsupportedWasm, 'ic0.call_new'],
    ['bytes that are not Wasm', () => new Uint8Array([1, 2, 3, 4]), "Canister's Wasm module is not valid"]
  ])('refuses a module with %s (IC0505)', async (_case, wasm, detail) => {
    const id = await newCanister()
    const outcome = await install(id, { install: null }, wasm())
    expectReject(outcome, 'IC0505', `Error from Canister ${id.toText()}: Canister's Wasm module is not valid`)
    expectReject(outcome, 'IC0505', detail)
  })

  it('refuses an upgrade of an empty canister (IC0537) and non-controllers (IC0512)', async () => {
    const id = await newCanister()
    expectReject(await install(id, { upgrade: [] }, counterWasm), 'IC0537', 'contains no Wasm module')
    expectReject(
      await install(id, { install: null }, counterWasm, EMPTY_ARG, bob),
      'IC0512',
      'Only the controllers'
    )
  })

  it('uninstall_code empties the canister, its chunk store and certified data', async () => {
    const id = await newCounter(5n)
    await ok('upload_chunk', { canister_id: id, chunk: new Uint8Array([1]) })
    await ok('uninstall_code', { canister_id: id, sender_canister_version: [] })
    expect((await status(id)).module_hash).toEqual([])
    expect(await ok('stored_chunks', { canister_id: id })).toEqual([])
    expectReject(await canisterCall(id, 'inc'), 'IC0537', 'contains no Wasm module')
  })
})

describe('chunk store and install_chunked_code', () => {
  const upload = (id: Principal, chunk: Uint8Array, sender = alice) =>
    mgmt('upload_chunk', { canister_id: id, chunk }, { sender })

  async function uploadModule(store: Principal): Promise<{ hash: Uint8Array }[]> {
    const half = Math.floor(counterWasm.length / 2)
    const hashes = []
    for (const part of [counterWasm.subarray(0, half), counterWasm.subarray(half)])
      hashes.push(await ok('upload_chunk', { canister_id: store, chunk: part }))
    return hashes
  }

  const installChunked = (
    target: Principal,
    hashes: { hash: Uint8Array }[],
    moduleHash: Uint8Array,
    store?: Principal
  ) =>
    mgmt('install_chunked_code', {
      mode: { install: null },
      target_canister: target,
      store_canister: store ? [store] : [],
      chunk_hashes_list: hashes,
      wasm_module_hash: moduleHash,
      arg: nat64Arg(4n),
      sender_canister_version: []
    })

  it('stores chunks under their sha256, lists them in hash order and clears them', async () => {
    const id = await newCanister()
    const chunks = [new Uint8Array([3]), new Uint8Array([1]), new Uint8Array([2])]
    for (const chunk of chunks)
      expect((await ok('upload_chunk', { canister_id: id, chunk })).hash).toEqual(sha256(chunk))
    await ok('upload_chunk', { canister_id: id, chunk: chunks[0] })
    const stored = (await ok('stored_chunks', { canister_id: id })).map(c =>
      Buffer.from(c.hash).toString('hex')
    )
    expect(stored).toEqual(chunks.map(c => Buffer.from(sha256(c)).toString('hex')).sort())
    await ok('clear_chunk_store', { canister_id: id })
    expect(await ok('stored_chunks', { canister_id: id })).toEqual([])
  })

  it('refuses chunks over 1 MiB (IC0504) and non-controllers (IC0512)', async () => {
    const id = await newCanister()
    expectReject(
      await upload(id, new Uint8Array(1024 * 1024 + 1)),
      'IC0504',
      'Wasm chunk size 1048577 exceeds the maximum chunk size of 1048576'
    )
    expect((await upload(id, new Uint8Array(1024 * 1024))).status).toBe('replied')
    expectReject(await upload(id, new Uint8Array([1]), bob), 'IC0512', 'Only the controllers')
    expectReject(
      await mgmt('stored_chunks', { canister_id: id }, { sender: bob }),
      'IC0512',
      'Only the controllers'
    )
  })

  it('installs the concatenated chunks of the target or of a store canister', async () => {
    const target = await newCanister()
    expect((await installChunked(target, await uploadModule(target), sha256(counterWasm))).status).toBe(
      'replied'
    )
    expect(await counterValue(target)).toEqual({ heap: 4n, stable: 4n })

    const store = await newCanister()
    const other = await newCanister()
    expect((await installChunked(other, await uploadModule(store), sha256(counterWasm), store)).status).toBe(
      'replied'
    )
    expect(sm.canisterInfo(other)?.moduleHash).toEqual(sha256(counterWasm))
  })

  it('refuses a wrong module hash or a missing chunk (IC0504)', async () => {
    const id = await newCanister()
    const hashes = await uploadModule(id)
    expectReject(await installChunked(id, hashes, new Uint8Array(32)), 'IC0504', 'does not match given hash')
    expectReject(
      await installChunked(id, [{ hash: new Uint8Array(32) }], sha256(counterWasm)),
      'IC0504',
      'was not found'
    )
  })
})

describe('start and stop', () => {
  it('stops and starts; a stopped canister refuses messages (IC0508)', async () => {
    const id = await newCounter()
    await ok('stop_canister', { canister_id: id })
    expect(await statusName(id)).toBe('stopped')
    expectReject(await canisterCall(id, 'inc'), 'IC0508', `Canister ${id.toText()} is stopped`)
    expectReject(await canisterQuery(id, 'get'), 'IC0508', 'is stopped')
    await ok('stop_canister', { canister_id: id })
    await ok('start_canister', { canister_id: id })
    expect(await statusName(id)).toBe('running')
    expect(nat64(await canisterCall(id, 'inc'))).toBe(1n)
  })

  it('keeps a held canister stopping, with its stop call pending until released', async () => {
    const id = await newCounter()
    sm.holdInStopping(id, true)
    let settled = false
    const stop = mgmt('stop_canister', { canister_id: id }).then(outcome => {
      settled = true
      return outcome
    })
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(settled).toBe(false)
    expect(await statusName(id)).toBe('stopping')
    expectReject(await canisterCall(id, 'inc'), 'IC0509', `Canister ${id.toText()} is stopping`)
    sm.holdInStopping(id, false)
    expect((await stop).status).toBe('replied')
    expect(await statusName(id)).toBe('stopped')
  })

  it('fails pending stop calls when the canister is started again (IC0511)', async () => {
    const id = await newCounter()
    sm.holdInStopping(id, true)
    const stop = mgmt('stop_canister', { canister_id: id })
    await ok('start_canister', { canister_id: id })
    expectReject(await stop, 'IC0511', 'restarted')
    expect(await statusName(id)).toBe('running')
  })
})

describe('delete_canister', () => {
  it('deletes only stopped canisters, together with their snapshots', async () => {
    const id = await newCounter()
    expectReject(
      await mgmt('delete_canister', { canister_id: id }),
      'IC0510',
      'must be stopped before it is deleted'
    )
    await ok('stop_canister', { canister_id: id })
    await takeOk(id)
    await ok('delete_canister', { canister_id: id })
    expect(sm.canisterInfo(id)).toBeUndefined()
    expectReject(await mgmt('canister_status', { canister_id: id }), 'IC0301', 'not found')
  })
})

describe('user canister messages', () => {
  it('routes updates and queries; a query keeps no changes', async () => {
    const id = await newCounter(1n)
    expect(nat64(await canisterCall(id, 'inc'))).toBe(2n)
    expect(nat64(await canisterQuery(id, 'get'))).toBe(2n)
  })

  it('rejects messages to missing (IC0301) and empty (IC0537) canisters', async () => {
    const ghost = canisterIdFromIndex(9n)
    const missing = await canisterCall(ghost, 'inc')
    expectReject(missing, 'IC0301', `Canister ${ghost.toText()} not found`)
    const empty = await newCanister()
    expectReject(
      await canisterCall(empty, 'inc'),
      'IC0537',
      'Attempted to execute a message, but the canister contains no Wasm module.'
    )
  })

  // The runtime answers these; only the error code and text are checked here.
  it('reports unknown methods', async () => {
    const id = await newCounter()
    const outcome = await canisterCall(id, 'nope')
    expect(outcome).toMatchObject({ status: 'rejected', errorCode: 'IC0536' })
    expect(outcome.status === 'rejected' && outcome.rejectMessage).toContain("has no update method 'nope'")
  })
})

// --- snapshots -------------------------------------------------------------------------------------------

describe('take, list, load and delete snapshots', () => {
  it('keeps the counter across take → inc → load, heap, stable memory and certified data alike', async () => {
    const id = await newCounter(41n)
    await canisterCall(id, 'inc')
    const snapshot = await takeOk(id)
    await canisterCall(id, 'inc')
    await canisterCall(id, 'set', nat64Arg(1000n))
    expect(await counterValue(id)).toEqual({ heap: 1000n, stable: 1000n })
    const versionBefore = (await status(id)).version
    expect((await load(id, snapshot.id)).status).toBe('replied')
    expect(await counterValue(id)).toEqual({ heap: 42n, stable: 42n })
    expect((await status(id)).version).toBe(versionBefore + 1n)
    expect(nat64(await canisterCall(id, 'inc'))).toBe(43n)
  })

  it('names snapshots by canister, stamps them with the time and sums their size', async () => {
    const id = await newCounter()
    clock = START_NS + 5n
    const first = await takeOk(id)
    const second = await takeOk(id)
    expect(first.id).toEqual(snapshotIdOf(id, 0n))
    expect(second.id).toEqual(snapshotIdOf(id, 1n))
    expect(first.taken_at_timestamp).toBe(START_NS + 5n)
    const memory = 2n * 65536n + 65536n
    expect(first.total_size).toBeGreaterThanOrEqual(BigInt(counterWasm.length) + memory)
    expect(first.total_size).toBeLessThan(BigInt(counterWasm.length) + memory + 1024n)
    expect(await list(id)).toEqual([first, second])
    expect((await status(id)).memory_metrics.snapshots_size).toBe(first.total_size + second.total_size)
  })

  it('refuses to snapshot an empty canister', async () => {
    const id = await newCanister()
    expectReject(await take(id), 'IC0406', `Failed to create snapshot for empty canister ${id.toText()}:`)
  })

  it('allows at most 10 snapshots; replacing one at the limit gives it a new id', async () => {
    const id = await newCounter()
    const taken = []
    for (let i = 0; i < 10; i++) taken.push(await takeOk(id))
    expectReject(
      await take(id),
      'IC0406',
      `Canister ${id.toText()} has reached the maximum number of snapshots allowed: 10.`
    )
    const replacement = await takeOk(id, taken[3].id)
    expect(replacement.id).toEqual(snapshotIdOf(id, 10n))
    const ids = (await list(id)).map(s => Buffer.from(s.id).toString('hex'))
    expect(ids).toHaveLength(10)
    expect(ids).not.toContain(Buffer.from(taken[3].id).toString('hex'))
    expect(ids).toContain(Buffer.from(replacement.id).toString('hex'))
  })

  it('checks the snapshot to replace exists and belongs to the canister', async () => {
    const id = await newCounter()
    const other = await newCounter()
    const foreign = await takeOk(other)
    const unknown = snapshotIdOf(id, 99n)
    expectReject(
      await take(id, unknown),
      'IC0305',
      `Could not find the snapshot ID ${id.toText()}-99 for canister ${id.toText()}.`
    )
    expectReject(
      await take(id, foreign.id),
      'IC0406',
      `The snapshot ${other.toText()}-0 does not belong to canister ${id.toText()}.`
    )
    expect(await list(id)).toEqual([])
  })

  it('take with uninstall_code leaves the canister empty', async () => {
    const id = await newCounter(8n)
    const snapshot = await take(id, undefined, { uninstall: true })
    expect(snapshot.status).toBe('replied')
    expect((await status(id)).module_hash).toEqual([])
    const [{ id: snapshotId }] = await list(id)
    await load(id, snapshotId)
    expect(await counterValue(id)).toEqual({ heap: 8n, stable: 8n })
  })

  it('loads the chunk store back with the snapshot', async () => {
    const id = await newCounter()
    await ok('upload_chunk', { canister_id: id, chunk: new Uint8Array([7]) })
    const snapshot = await takeOk(id)
    await ok('clear_chunk_store', { canister_id: id })
    await load(id, snapshot.id)
    expect(await ok('stored_chunks', { canister_id: id })).toEqual([{ hash: sha256(new Uint8Array([7])) }])
  })

  it('loads a snapshot of another canister for a controller of both', async () => {
    const source = await newCounter(77n, [alice, bob])
    const target = await newCounter(0n, [bob])
    const snapshot = await takeOk(source)
    expect((await load(target, snapshot.id, bob)).status).toBe('replied')
    expect(await counterValue(target)).toEqual({ heap: 77n, stable: 77n })

    const onlyAlice = await newCounter(5n, [alice])
    const foreign = await takeOk(onlyAlice)
    expectReject(
      await load(target, foreign.id, bob),
      'IC0406',
      `Only a controller of the canister that snapshot ${onlyAlice.toText()}-0 belongs to can load it on canister ${target.toText()}. Sender: ${bob.toText()}.`
    )
    expectReject(
      await load(target, snapshotIdOf(target, 5n), bob),
      'IC0305',
      'Could not find the snapshot ID'
    )
  })

  it('deletes snapshots; a deleted one is gone', async () => {
    const id = await newCounter()
    const snapshot = await takeOk(id)
    await ok('delete_canister_snapshot', { canister_id: id, snapshot_id: snapshot.id })
    expect(await list(id)).toEqual([])
    expectReject(
      await mgmt('delete_canister_snapshot', { canister_id: id, snapshot_id: snapshot.id }),
      'IC0305',
      'Could not find the snapshot ID'
    )
    expectReject(await load(id, snapshot.id), 'IC0305', 'Could not find the snapshot ID')
  })

  it('refuses bytes that cannot be a snapshot id (IC0408)', async () => {
    const id = await newCounter()
    expectReject(await load(id, new Uint8Array([1, 2, 3])), 'IC0408', 'SnapshotId')
  })

  it.each([
    ['take_canister_snapshot', (id: Principal) => take(id, undefined, { sender: bob })],
    ['load_canister_snapshot', (id: Principal) => load(id, snapshotIdOf(id, 0n), bob)],
    [
      'delete_canister_snapshot',
      (id: Principal) =>
        mgmt(
          'delete_canister_snapshot',
          { canister_id: id, snapshot_id: snapshotIdOf(id, 0n) },
          { sender: bob }
        )
    ],
    [
      'list_canister_snapshots',
      (id: Principal) => mgmt('list_canister_snapshots', { canister_id: id }, { sender: bob })
    ],
    [
      'read_canister_snapshot_metadata',
      (id: Principal) =>
        mgmt(
          'read_canister_snapshot_metadata',
          { canister_id: id, snapshot_id: snapshotIdOf(id, 0n) },
          { sender: bob }
        )
    ],
    [
      'read_canister_snapshot_data',
      (id: Principal) => readData(id, snapshotIdOf(id, 0n), { wasm_module: { offset: 0n, size: 1n } }, bob)
    ],
    ['upload_canister_snapshot_metadata', (id: Principal) => uploadMetadata(id, {}, bob)],
    [
      'upload_canister_snapshot_data',
      (id: Principal) => uploadData(id, snapshotIdOf(id, 0n), { wasm_chunk: null }, new Uint8Array([1]), bob)
    ]
  ])('%s is for controllers only (IC0512)', async (_method, call) => {
    const id = await newCounter()
    await takeOk(id)
    expectReject(
      await call(id),
      'IC0512',
      `Only the controllers of the canister ${id.toText()} can control it.`
    )
  })

  it('lets anyone list and read when snapshot_visibility is public', async () => {
    const id = await newCounter()
    const snapshot = await takeOk(id)
    await ok('update_settings', {
      canister_id: id,
      settings: settings({ snapshot_visibility: [{ public: null }] }),
      sender_canister_version: []
    })
    expect(await list(id, bob)).toHaveLength(1)
    expect((await readData(id, snapshot.id, { wasm_module: { offset: 0n, size: 4n } }, bob)).status).toBe(
      'replied'
    )
    expectReject(await take(id, undefined, { sender: bob }), 'IC0512', 'Only the controllers')
  })
})

describe('read_canister_snapshot_metadata and read_canister_snapshot_data', () => {
  it('describes a taken snapshot', async () => {
    const id = await newCounter(3n)
    await ok('upload_chunk', { canister_id: id, chunk: new Uint8Array([9, 9]) })
    await canisterCall(id, 'inc')
    const version = (await status(id)).version
    const snapshot = await takeOk(id)
    const metadata = await readMetadata(id, snapshot.id)
    expect(metadata).toEqual({
      source: { taken_from_canister: null },
      taken_at_timestamp: START_NS,
      wasm_module_size: BigInt(counterWasm.length),
      globals: expect.arrayContaining([{ i64: 1n }, { i32: 1 }]),
      wasm_memory_size: 2n * 65536n,
      stable_memory_size: 65536n,
      wasm_chunk_store: [{ hash: sha256(new Uint8Array([9, 9])) }],
      canister_version: version,
      certified_data: new Uint8Array(Buffer.from('0400000000000000', 'hex')),
      global_timer: [{ inactive: null }],
      on_low_wasm_memory_hook_status: [{ condition_not_satisfied: null }]
    })
  })

  it('returns slices of the module, the memories and stored chunks', async () => {
    const id = await newCounter(6n)
    await ok('upload_chunk', { canister_id: id, chunk: new Uint8Array([5, 6, 7]) })
    const snapshot = await takeOk(id)
    const module = await download(id, snapshot.id, 'wasm_module', BigInt(counterWasm.length))
    expect(module).toEqual(counterWasm)
    const heap = await download(id, snapshot.id, 'wasm_memory', 2n * 65536n)
    expect(new DataView(heap.buffer).getBigUint64(1024, true)).toBe(6n)
    const stable = await download(id, snapshot.id, 'stable_memory', 65536n)
    expect(new DataView(stable.buffer).getBigUint64(0, true)).toBe(6n)
    const chunk = await readData(id, snapshot.id, { wasm_chunk: { hash: sha256(new Uint8Array([5, 6, 7])) } })
    expect(
      chunk.status === 'replied' && decodeResult('read_canister_snapshot_data', chunk.reply).chunk
    ).toEqual(new Uint8Array([5, 6, 7]))
  })

  it.each([
    [
      'a slice over 2,000,000 bytes',
      { stable_memory: { offset: 0n, size: 2_000_001n } },
      'IC0408',
      'Requested slice too large: 2000001 > 2000000'
    ],
    [
      'a slice past the end',
      { wasm_memory: { offset: 131_000n, size: 1_000n } },
      'IC0408',
      'Invalid subslice into wasm module / main memory / stable memory: offset: 131000, size: 1000'
    ],
    [
      'a module slice past the end',
      { wasm_module: { offset: 0n, size: 1_000_000n } },
      'IC0408',
      'Invalid subslice'
    ],
    [
      'an unknown chunk',
      { wasm_chunk: { hash: new Uint8Array(32) } },
      'IC0504',
      'Error from Wasm chunk store: WasmChunkHash [00, 00'
    ],
    [
      'a chunk hash of the wrong length',
      { wasm_chunk: { hash: new Uint8Array(3) } },
      'IC0504',
      'are not a valid WasmChunkHash'
    ]
  ] as [string, ReadKind, string, string][])('rejects %s', async (_case, kind, code, message) => {
    const id = await newCounter()
    const snapshot = await takeOk(id)
    expectReject(await readData(id, snapshot.id, kind), code, message)
  })

  it('checks the slice size before the bounds, like the replica', async () => {
    const id = await newCounter()
    const snapshot = await takeOk(id)
    expectReject(
      await readData(id, snapshot.id, { wasm_module: { offset: 10n ** 12n, size: 3_000_000n } }),
      'IC0408',
      'too large'
    )
  })
})

describe('upload_canister_snapshot_metadata and upload_canister_snapshot_data', () => {
  async function downloadAll(id: Principal, snapshotId: Uint8Array) {
    const metadata = await readMetadata(id, snapshotId)
    return {
      metadata,
      module: await download(id, snapshotId, 'wasm_module', metadata.wasm_module_size),
      heap: await download(id, snapshotId, 'wasm_memory', metadata.wasm_memory_size),
      stable: await download(id, snapshotId, 'stable_memory', metadata.stable_memory_size)
    }
  }

  async function uploadAll(
    id: Principal,
    data: Awaited<ReturnType<typeof downloadAll>>,
    replace?: Uint8Array
  ) {
    const { metadata } = data
    const outcome = await uploadMetadata(id, {
      replace_snapshot: replace ? [replace] : [],
      wasm_module_size: metadata.wasm_module_size,
      globals: metadata.globals,
      wasm_memory_size: metadata.wasm_memory_size,
      stable_memory_size: metadata.stable_memory_size,
      certified_data: metadata.certified_data,
      global_timer: metadata.global_timer,
      on_low_wasm_memory_hook_status: metadata.on_low_wasm_memory_hook_status
    })
    if (outcome.status !== 'replied') throw new Error(outcome.rejectMessage)
    const { snapshot_id } = decodeResult('upload_canister_snapshot_metadata', outcome.reply)
    await uploadBlob(id, snapshot_id, 'wasm_module', data.module)
    await uploadBlob(id, snapshot_id, 'wasm_memory', data.heap)
    await uploadBlob(id, snapshot_id, 'stable_memory', data.stable)
    return snapshot_id
  }

  it('round-trips a snapshot through download and upload into another canister', async () => {
    const source = await newCounter(12n)
    const snapshot = await takeOk(source)
    const data = await downloadAll(source, snapshot.id)
    const target = await newCounter(0n)
    clock = START_NS + 100n
    const uploaded = await uploadAll(target, data)
    expect(uploaded).toEqual(snapshotIdOf(target, 0n))
    const metadata = await readMetadata(target, uploaded)
    expect(metadata.source).toEqual({ metadata_upload: null })
    expect(metadata.taken_at_timestamp).toBe(START_NS + 100n)
    expect((await list(target))[0].total_size).toBe(snapshot.total_size)
    expect((await load(target, uploaded)).status).toBe('replied')
    expect(await counterValue(target)).toEqual({ heap: 12n, stable: 12n })
  })

  it('accepts wasm chunks, reported in the metadata and restored on load', async () => {
    const id = await newCounter(2n)
    const data = await downloadAll(id, (await takeOk(id)).id)
    const uploaded = await uploadAll(id, data)
    expect((await uploadData(id, uploaded, { wasm_chunk: null }, new Uint8Array([4]))).status).toBe('replied')
    expect((await readMetadata(id, uploaded)).wasm_chunk_store).toEqual([
      { hash: sha256(new Uint8Array([4])) }
    ])
    expectReject(
      await uploadData(id, uploaded, { wasm_chunk: null }, new Uint8Array(1024 * 1024 + 1)),
      'IC0504',
      'exceeds the maximum chunk size'
    )
    await load(id, uploaded)
    expect(await ok('stored_chunks', { canister_id: id })).toEqual([{ hash: sha256(new Uint8Array([4])) }])
  })

  it('replaces a snapshot: the new one gets a new id and the old one is gone', async () => {
    const id = await newCounter(2n)
    const taken = await takeOk(id)
    const data = await downloadAll(id, taken.id)
    const uploaded = await uploadAll(id, data, taken.id)
    expect(uploaded).not.toEqual(taken.id)
    expect((await list(id)).map(s => s.id)).toEqual([uploaded])
  })

  it('counts uploaded snapshots towards the limit of 10', async () => {
    const id = await newCounter()
    for (let i = 0; i < 10; i++) expect((await uploadMetadata(id)).status).toBe('replied')
    expectReject(
      await uploadMetadata(id),
      'IC0406',
      'has reached the maximum number of snapshots allowed: 10.'
    )
    const [oldest] = await list(id)
    expect((await uploadMetadata(id, { replace_snapshot: [oldest.id] })).status).toBe('replied')
  })

  it.each([
    ['an empty module', { wasm_module_size: 0n }, 'WasmModuleEmpty'],
    ['a heap that is not whole pages', { wasm_memory_size: 100n }, 'WasmMemoryNotPageAligned'],
    ['stable memory that is not whole pages', { stable_memory_size: 65537n }, 'StableMemoryNotPageAligned'],
    ['certified data over 32 bytes', { certified_data: new Uint8Array(33) }, 'CertifiedDataTooLarge']
  ] as [string, Partial<UploadMetadata>, string][])(
    'refuses metadata with %s (IC0408)',
    async (_case, values, reason) => {
      const id = await newCounter()
      expectReject(
        await uploadMetadata(id, values),
        'IC0408',
        `Snapshot Metadata contains invalid data: ${reason}`
      )
    }
  )

  it('only mutates snapshots created by metadata upload (IC0409)', async () => {
    const id = await newCounter()
    const taken = await takeOk(id)
    expectReject(
      await uploadData(id, taken.id, { wasm_module: { offset: 0n } }, new Uint8Array([0])),
      'IC0409',
      'Only canister snapshots created by metadata upload can be mutated.'
    )
  })

  it.each([
    ['module', { wasm_module: { offset: 9n } }, 'offset: 9, size: 2'],
    ['heap', { wasm_memory: { offset: 65535n } }, 'offset: 65535, size: 2'],
    ['stable memory', { stable_memory: { offset: 0n } }, 'offset: 0, size: 2']
  ] as [string, UploadKind, string][])(
    'refuses %s data beyond the announced size (IC0408)',
    async (_case, kind, detail) => {
      const id = await newCounter()
      const outcome = await uploadMetadata(id, { wasm_module_size: 10n, wasm_memory_size: 65536n })
      const { snapshot_id } = decodeResult(
        'upload_canister_snapshot_metadata',
        (outcome as { reply: Uint8Array }).reply
      )
      expectReject(
        await uploadData(id, snapshot_id, kind, new Uint8Array(2)),
        'IC0408',
        `Invalid subslice into wasm module / main memory / stable memory: ${detail}`
      )
    }
  )

  it('checks the owner of the snapshot data is uploaded to', async () => {
    const id = await newCounter()
    const other = await newCounter()
    const outcome = await uploadMetadata(other)
    const { snapshot_id } = decodeResult(
      'upload_canister_snapshot_metadata',
      (outcome as { reply: Uint8Array }).reply
    )
    expectReject(
      await uploadData(id, snapshot_id, { wasm_chunk: null }, new Uint8Array([1])),
      'IC0406',
      'does not belong to canister'
    )
  })

  it('refuses to load an upload whose globals do not fit the module (IC0408)', async () => {
    const id = await newCounter(2n)
    const data = await downloadAll(id, (await takeOk(id)).id)
    data.metadata.globals = [{ f64: 1.5 }]
    const uploaded = await uploadAll(id, data)
    expectReject(
      await load(id, uploaded),
      'IC0408',
      'Wasm exported globals of canister module and snapshot metadata do not match.'
    )
    expect(await counterValue(id)).toEqual({ heap: 2n, stable: 2n })
  })

  it('refuses to load an upload whose module was never sent (IC0505)', async () => {
    const id = await newCounter(2n)
    const outcome = await uploadMetadata(id, { wasm_module_size: 100n })
    const { snapshot_id } = decodeResult(
      'upload_canister_snapshot_metadata',
      (outcome as { reply: Uint8Array }).reply
    )
    expectReject(await load(id, snapshot_id), 'IC0505', "Canister's Wasm module is not valid")
  })
})

describe('test controls', () => {
  it('createCanister and installCode seed a canister directly', async () => {
    const id = sm.createCanister([bob], 5n)
    await sm.installCode(id, counterWasm, nat64Arg(3n))
    expect(sm.canisterInfo(id)).toEqual({ controllers: [bob], moduleHash: sha256(counterWasm) })
    await sm.installCode(id, counterWasm, nat64Arg(4n))
    expect(await counterValue(id)).toEqual({ heap: 4n, stable: 4n })
    await expect(sm.installCode(id, unsupportedWasm)).rejects.toThrow('ic0.call_new')
    expect(sm.canisterInfo(canisterIdFromIndex(3n))).toBeUndefined()
  })
})
