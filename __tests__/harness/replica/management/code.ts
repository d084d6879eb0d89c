// Installing, upgrading and removing canister code (interface spec, "IC method install_code").
import type { Principal } from '@icp-sdk/core/principal'
import type { ExecutionContext, ExecutionState, Outcome } from '../types.js'
import {
  compileCanisterModule,
  IncompatibleStateError,
  InvalidModuleError,
  UnsupportedImportError,
  type CanisterInstance,
  type CompiledCanister
} from '../wasm/runtime.js'
import type { InstallMode } from './candid.js'
import type { Canister } from './canister.js'
import { errors, Rejection } from './errors.js'

export type Mode = 'install' | 'reinstall' | 'upgrade'

export function modeOf(mode: InstallMode): { mode: Mode; skipPreUpgrade: boolean } {
  if ('install' in mode) return { mode: 'install', skipPreUpgrade: false }
  if ('reinstall' in mode) return { mode: 'reinstall', skipPreUpgrade: false }
  // `wasm_memory_persistence` only matters to Motoko's enhanced orthogonal persistence; it is accepted
  // and ignored, so an upgrade always starts from a fresh heap.
  const [options] = mode.upgrade
  return { mode: 'upgrade', skipPreUpgrade: options?.skip_pre_upgrade[0] === true }
}

/** Compiles a module, turning the runtime's refusals into the replica's IC0505 reject. */
export async function compile(canisterId: Principal, bytes: Uint8Array): Promise<CompiledCanister> {
  try {
    return await compileCanisterModule(bytes)
  } catch (error) {
    if (error instanceof UnsupportedImportError || error instanceof InvalidModuleError)
      throw errors.invalidWasm(canisterId, error.message)
    if (error instanceof Error) throw errors.invalidWasm(canisterId, error.message)
    throw error
  }
}

export function executionContext(
  canister: Canister,
  caller: Principal,
  methodName: string,
  arg: Uint8Array,
  timeNs: bigint
): ExecutionContext {
  return { canisterId: canister.id, caller, arg, timeNs, methodName }
}

/** Runs one canister entry point; a trap (or a fault in the runtime) becomes a Rejection. */
export function run(canister: Canister, entry: () => Outcome): Uint8Array {
  let outcome: Outcome
  try {
    outcome = entry()
  } catch (error) {
    throw errors.trapped(canister.id, error instanceof Error ? error.message : String(error))
  }
  if (outcome.status === 'rejected') throw new Rejection(outcome)
  return outcome.reply
}

// The runtime copies the state in (memories become Wasm memory or its own stable buffer), so snapshot
// buffers can be passed without copying them first.
async function instantiate(canister: Canister, module: CompiledCanister, state?: ExecutionState) {
  try {
    return await module.instantiate(state)
  } catch (error) {
    if (error instanceof IncompatibleStateError) throw errors.snapshotInconsistent(error.message)
    throw errors.trapped(canister.id, error instanceof Error ? error.message : String(error))
  }
}

export interface Installation {
  caller: Principal
  mode: Mode
  skipPreUpgrade?: boolean
  wasm: Uint8Array
  arg: Uint8Array
  timeNs: bigint
}

/**
 * Installs code; on any failure the canister is left as it was (install_code is atomic). Upgrades keep
 * stable memory and certified data and start from a fresh heap.
 */
export async function installCode(canister: Canister, request: Installation): Promise<void> {
  const { caller, mode, arg, timeNs } = request
  if (mode === 'install' && canister.code) throw errors.canisterNonEmpty(canister.id)
  const module = await compile(canister.id, request.wasm)
  const ctx = (methodName: string, input: Uint8Array) =>
    executionContext(canister, caller, methodName, input, timeNs)

  if (mode !== 'upgrade') {
    const instance = await instantiate(canister, module)
    run(canister, () => instance.init(ctx('canister_init', arg)))
    canister.code = { module, instance }
    canister.version += 1n
    return
  }

  const old = canister.code
  if (!old) throw errors.wasmModuleNotFound(canister.id)
  const runPreUpgrade = !request.skipPreUpgrade
  // A trapping pre_upgrade undoes itself, but one that succeeded has changed the old instance by the time
  // post_upgrade may fail: keep the state from before it (a copy of both memories) to roll back to.
  const saved = runPreUpgrade ? old.instance.exportState() : undefined
  let instance: CanisterInstance
  try {
    if (runPreUpgrade)
      run(canister, () => old.instance.preUpgrade(ctx('canister_pre_upgrade', new Uint8Array())))
    instance = await module.instantiateForUpgrade(old.instance.stableMemory, old.instance.certifiedData)
    run(canister, () => instance.postUpgrade(ctx('canister_post_upgrade', arg)))
  } catch (error) {
    if (saved) canister.code = { module: old.module, instance: await old.module.instantiate(saved) }
    if (error instanceof Rejection) throw error
    throw errors.trapped(canister.id, error instanceof Error ? error.message : String(error))
  }
  canister.code = { module, instance }
  canister.version += 1n
}

/** interface spec, "IC method uninstall_code": drops code, memories, certified data and the chunk store. */
export function uninstall(canister: Canister): void {
  canister.code = undefined
  canister.chunkStore.clear()
  canister.version += 1n
}

/** Puts a snapshot's module and state into the canister (`load_canister_snapshot`). */
export async function restore(
  canister: Canister,
  module: CompiledCanister,
  state: ExecutionState
): Promise<CanisterInstance> {
  return instantiate(canister, module, state)
}
