// Canister lifecycle methods of the management canister (interface spec, "The IC management canister"):
// creation, code installation, start/stop, status, settings and deletion.
import { randomBytes } from 'node:crypto'
import type { Principal } from '@icp-sdk/core/principal'
import type { CanisterSettingsValue, CanisterStatusValue } from './candid.js'
import type { Canister, Settings } from './canister.js'
import { sha256 } from './chunk-store.js'
import { installCode, modeOf, uninstall } from './code.js'
import { idleCyclesBurnedPerDay, memoryUsage, snapshotsSize } from './cycles.js'
import { errors, type Rejection } from './errors.js'
import { Deferred, type Handlers } from './handler.js'
import { toHex } from './ids.js'
import { dedupe, DEFAULT_PROVISIONAL_CYCLES, MAX_CONTROLLERS, type Subnet } from './subnet.js'

type LifecycleMethod =
  | 'create_canister'
  | 'provisional_create_canister_with_cycles'
  | 'provisional_top_up_canister'
  | 'update_settings'
  | 'install_code'
  | 'install_chunked_code'
  | 'uninstall_code'
  | 'start_canister'
  | 'stop_canister'
  | 'canister_status'
  | 'delete_canister'
  | 'raw_rand'

export const lifecycle: Handlers<LifecycleMethod> = {
  create_canister: ({ subnet, sender }, { settings }) => ({
    canister_id: create(subnet, sender, settings[0], DEFAULT_PROVISIONAL_CYCLES).id
  }),

  provisional_create_canister_with_cycles: ({ subnet, sender }, { amount, settings, specified_id }) => ({
    canister_id: create(subnet, sender, settings[0], amount[0] ?? DEFAULT_PROVISIONAL_CYCLES, specified_id[0])
      .id
  }),

  provisional_top_up_canister: ({ subnet }, { canister_id, amount }) => {
    subnet.existing(canister_id).cycles += amount
  },

  update_settings: ({ subnet, sender }, { canister_id, settings }) => {
    const canister = subnet.controlledBy(canister_id, sender)
    applySettings(canister, settings)
    canister.version += 1n
  },

  install_code: async ({ subnet, sender }, { mode, canister_id, wasm_module, arg }) => {
    const canister = subnet.controlledBy(canister_id, sender)
    await installCode(canister, {
      caller: sender,
      ...modeOf(mode),
      wasm: wasm_module,
      arg,
      timeNs: subnet.now()
    })
  },

  // interface spec, "IC method install_chunked_code": the module is the concatenation of the listed chunks
  // of the store canister (by default the target), and must hash to `wasm_module_hash`.
  install_chunked_code: async ({ subnet, sender }, args) => {
    const canister = subnet.controlledBy(args.target_canister, sender)
    const store = args.store_canister[0] ? subnet.controlledBy(args.store_canister[0], sender) : canister
    const chunks = args.chunk_hashes_list.map(({ hash }) => {
      const chunk = store.chunkStore.get(hash)
      if (!chunk) throw errors.wasmChunkStore(`Chunk hash ${toHex(hash)} was not found in the chunk store`)
      return chunk
    })
    const wasm = Buffer.concat(chunks)
    const hash = sha256(wasm)
    if (Buffer.compare(hash, args.wasm_module_hash) !== 0)
      throw errors.wasmChunkStore(
        `Wasm module hash ${toHex(hash)} does not match given hash ${toHex(args.wasm_module_hash)}`
      )
    await installCode(canister, {
      caller: sender,
      ...modeOf(args.mode),
      wasm: new Uint8Array(wasm),
      arg: args.arg,
      timeNs: subnet.now()
    })
  },

  uninstall_code: ({ subnet, sender }, { canister_id }) => {
    uninstall(subnet.controlledBy(canister_id, sender))
  },

  start_canister: ({ subnet, sender }, { canister_id }) => {
    const canister = subnet.controlledBy(canister_id, sender)
    // Pending stop_canister calls fail when the canister is started again (IC0511).
    if (canister.status === 'stopping') settleStops(canister, errors.stopCancelled(canister.id))
    canister.status = 'running'
  },

  stop_canister: ({ subnet, sender }, { canister_id }) => {
    const canister = subnet.controlledBy(canister_id, sender)
    if (canister.status === 'stopped') return
    canister.status = 'stopping'
    if (!canister.holdInStopping) {
      canister.status = 'stopped'
      return
    }
    return new Deferred(
      new Promise<undefined>((resolve, reject) =>
        canister.pendingStops.push(error => (error ? reject(error) : resolve(undefined)))
      )
    )
  },

  canister_status: ({ subnet, sender }, { canister_id }) => {
    const canister = subnet.existing(canister_id)
    if (!canister.allows(canister.settings.status_visibility, sender))
      throw errors.invalidController(canister.id, canister.controllers, sender)
    return status(subnet, canister)
  },

  delete_canister: ({ subnet, sender }, { canister_id }) => {
    const canister = subnet.controlledBy(canister_id, sender)
    if (canister.status !== 'stopped') throw errors.deleteNotStopped(canister.id)
    subnet.deleteCanister(canister)
  },

  raw_rand: () => new Uint8Array(randomBytes(32))
}

function create(
  subnet: Subnet,
  sender: Principal,
  settings: CanisterSettingsValue | undefined,
  cycles: bigint,
  specifiedId?: Principal
): Canister {
  const controllers = settings?.controllers[0] ?? [sender]
  const canister = subnet.createCanister(controllers, cycles, specifiedId)
  if (settings) applySettings(canister, { ...settings, controllers: [] })
  return canister
}

function applySettings(canister: Canister, settings: CanisterSettingsValue): void {
  const [controllers] = settings.controllers
  if (controllers) {
    if (controllers.length > MAX_CONTROLLERS)
      throw errors.invalidSettings(`Invalid settings: At most ${MAX_CONTROLLERS} controllers are allowed.`)
    canister.controllers = dedupe(controllers)
  }
  const next: Settings = { ...canister.settings }
  for (const key of Object.keys(next) as (keyof Settings)[]) {
    const value = settings[key]
    if (value && value.length === 1) (next as Record<string, unknown>)[key] = value[0]
  }
  canister.settings = next
}

/** Completes the stop calls owed by a stopping canister: they succeed, or fail with `error`. */
export function settleStops(canister: Canister, error?: Rejection): void {
  const pending = canister.pendingStops
  canister.pendingStops = []
  for (const settle of pending) settle(error)
}

/** Releases a canister held in Stopping: it becomes stopped and its stop calls succeed. */
export function finishStopping(canister: Canister): void {
  if (canister.status !== 'stopping') return
  canister.status = 'stopped'
  settleStops(canister)
}

function status(subnet: Subnet, canister: Canister): CanisterStatusValue {
  const instance = canister.code?.instance
  const wasmMemory = BigInt(instance?.heapSize ?? 0)
  const stableMemory = BigInt(instance?.stableSize ?? 0)
  const binary = BigInt(canister.code?.module.bytes.length ?? 0)
  const chunkStore = BigInt(canister.chunkStore.byteLength)
  const snapshots = snapshotsSize(subnet, canister)
  const memorySize = memoryUsage(subnet, canister)
  return {
    status: { [canister.status]: null } as CanisterStatusValue['status'],
    ready_for_migration: false,
    version: canister.version,
    settings: { controllers: canister.controllers, ...canister.settings },
    module_hash: canister.code ? [canister.code.module.moduleHash] : [],
    memory_size: memorySize,
    memory_metrics: {
      wasm_memory_size: wasmMemory,
      stable_memory_size: stableMemory,
      global_memory_size: 0n,
      wasm_binary_size: binary,
      custom_sections_size: 0n,
      canister_history_size: 0n,
      wasm_chunk_store_size: chunkStore,
      snapshots_size: snapshots,
      log_memory_store_size: 0n
    },
    // interface spec, "IC method canister_status": the balance, the reserved cycles and the idle burn.
    cycles: canister.cycles,
    reserved_cycles: canister.reservedCycles,
    idle_cycles_burned_per_day: idleCyclesBurnedPerDay(canister, memorySize),
    query_stats: {
      num_calls_total: 0n,
      num_instructions_total: 0n,
      request_payload_bytes_total: 0n,
      response_payload_bytes_total: 0n
    }
  }
}
