// Canister snapshot methods of the management canister (interface spec, "IC method take_canister_snapshot"
// and the seven after it), with the checks and their order taken from the replica's `CanisterManager`
// (rs/execution_environment/src/canister_manager.rs).
import type { Principal } from '@icp-sdk/core/principal'
import type { SnapshotGlobal } from '../types.js'
import type {
  GlobalTimerValue,
  HookStatusValue,
  MethodTypes,
  SnapshotMetadataValue,
  SnapshotValue
} from './candid.js'
import { snapshotSize, type Canister, type Snapshot } from './canister.js'
import { ChunkStore, sha256 } from './chunk-store.js'
import { compile, restore, uninstall } from './code.js'
import {
  chargeSnapshotInstructions,
  chargeValidated,
  checkCyclesAndMemory,
  memoryUsage,
  readDataInstructions,
  SNAPSHOT_BASELINE_INSTRUCTIONS,
  snapshotCreationCost,
  STORED_CHUNK_BYTES,
  writeDataInstructions
} from './cycles.js'
import { errors } from './errors.js'
import type { Handlers } from './handler.js'
import { displaySnapshotId, parseSnapshotId, snapshotIdOf, toHex } from './ids.js'
import { checkLoadable, snapshotWritten } from './loadability.js'
import { chargeHeapDelta, checkHeapDelta, checkHeapDeltaForData, snapshotHeapDelta } from './rate-limit.js'
import type { Subnet } from './subnet.js'
import { SparseMemory } from '../wasm/sparse-memory.js'

/** `MAX_SLICE_SIZE_BYTES`: the most one read_canister_snapshot_data call returns. */
export const MAX_SLICE_SIZE = 2_000_000

const WASM_PAGE_SIZE = 65_536n
const GiB = 1024n * 1024n * 1024n
// Limits of `ValidatedSnapshotMetadata::validate` (rs/replicated_state/src/canister_snapshots.rs), with the
// constants of ic_types: MAX_WASM_MEMORY_IN_BYTES (4 GiB) for a Wasm32 canister, MAX_WASM64_MEMORY_IN_BYTES
// (6 GiB since dfinity/ic #3748; #11445, still open, would make it 18 GiB) for a Wasm64 one, and
// MAX_STABLE_MEMORY_IN_BYTES (500 GiB). The memories are sparse here, so no size is capped by the host.
const WASM_MODULE_MAX_SIZE = 100n * 1024n * 1024n
const MAX_WASM_MEMORY = { wasm32: 4n * GiB, wasm64: 6n * GiB }
const MAX_STABLE_MEMORY = 500n * GiB
const MAX_GLOBALS = 1000
const MAX_CERTIFIED_DATA = 32

type SnapshotMethod =
  | 'take_canister_snapshot'
  | 'load_canister_snapshot'
  | 'list_canister_snapshots'
  | 'delete_canister_snapshot'
  | 'read_canister_snapshot_metadata'
  | 'read_canister_snapshot_data'
  | 'upload_canister_snapshot_metadata'
  | 'upload_canister_snapshot_data'

export const snapshots: Handlers<SnapshotMethod> = {
  take_canister_snapshot: ({ subnet, sender }, { canister_id, replace_snapshot, uninstall_code }) => {
    const canister = subnet.controlledBy(canister_id, sender)
    const replaced = replaceable(subnet, canister, replace_snapshot[0])
    checkHeapDelta(subnet, canister)
    if (!canister.code) throw errors.snapshotOfEmptyCanister(canister.id)
    const { globalTimerNs = 0n, ...state } = canister.code.instance.exportState()
    const snapshot: Snapshot = {
      id: snapshotIdOf(canister.id, canister.nextSnapshotLocalId),
      canisterId: canister.id,
      source: 'taken_from_canister',
      takenAtNs: subnet.now(),
      canisterVersion: canister.version,
      module: canister.code.module.bytes,
      compiled: canister.code.module,
      ...state,
      globalTimer: timerValue(globalTimerNs),
      // dfinity/ic #10229: a taken snapshot's hook status is the canister's actual condition. This replica
      // never runs canister_on_low_wasm_memory, so a satisfied condition leaves the hook ready.
      onLowWasmMemoryHookStatus: hookConditionSatisfied(canister, canister.code.instance.heapSize)
        ? { ready: null }
        : { condition_not_satisfied: null },
      chunkStore: canister.chunkStore.clone()
    }
    const size = snapshotSize(snapshot)
    const charge = checkCyclesAndMemory(subnet, canister, sender, {
      cyclesForInstructions: snapshotCreationCost(size),
      ...usageChange(subnet, canister, size, replaced, uninstall_code[0] === true)
    })
    canister.nextSnapshotLocalId++
    // The replacement exists before the replaced snapshot goes.
    subnet.addSnapshot(snapshot)
    if (replaced) subnet.removeSnapshot(replaced)
    chargeValidated(charge)
    chargeHeapDelta(subnet, canister, snapshotHeapDelta(snapshot))
    if (uninstall_code[0] === true) uninstall(canister)
    return summary(snapshot)
  },

  // A snapshot of another canister may be loaded by a controller of both.
  load_canister_snapshot: async ({ subnet, sender }, { canister_id, snapshot_id }) => {
    const canister = subnet.controlledBy(canister_id, sender)
    checkSnapshotId(snapshot_id)
    checkHeapDelta(subnet, canister)
    const snapshot = subnet.findSnapshot(snapshot_id)
    if (!snapshot) throw errors.snapshotNotFound(canister.id, displaySnapshotId(snapshot_id))
    if (snapshot.canisterId.compareTo(canister.id) !== 'eq') {
      const owner = subnet.existing(snapshot.canisterId)
      if (!owner.isController(sender))
        throw errors.snapshotNotController(sender, canister.id, displaySnapshotId(snapshot_id))
    }
    // The baseline is charged once the basic checks pass (`load_canister_snapshot`).
    chargeSnapshotInstructions(subnet, canister, sender, SNAPSHOT_BASELINE_INSTRUCTIONS)
    const module = snapshot.compiled ?? (await compile(canister.id, snapshot.module))
    if (snapshot.source === 'metadata_upload') await checkGlobalsMatch(module, snapshot.globals)
    checkLoadable(subnet, canister, snapshot)
    const instance = await restore(canister, module, {
      heap: snapshot.heap,
      stable: snapshot.stable,
      globals: snapshot.globals,
      certifiedData: snapshot.certifiedData,
      // dfinity/ic, canister_manager.rs `load_canister_snapshot`: only an uploaded snapshot's timer is
      // restored ("We don't restore the state of global timer and on low wasm memory hook for snapshots
      // created via take_canister_snapshot since that would be a breaking change"), and only when the upload
      // gave one (interface spec, "IC method upload_canister_snapshot_metadata"); otherwise the canister
      // keeps its own.
      globalTimerNs:
        snapshot.source === 'metadata_upload' && snapshot.globalTimer
          ? timerNs(snapshot.globalTimer)
          : (canister.code?.instance.globalTimerNs ?? 0n)
    })
    // canister_manager.rs: an uploaded snapshot's hook status must agree with the loaded canister's state.
    if (snapshot.source === 'metadata_upload' && snapshot.onLowWasmMemoryHookStatus) {
      const satisfied = hookConditionSatisfied(canister, instance.heapSize)
      if (!hookStatusConsistent(snapshot.onLowWasmMemoryHookStatus, satisfied))
        throw errors.snapshotInconsistent(
          `Hook status (Some(${hookStatusName(snapshot.onLowWasmMemoryHookStatus)})) of uploaded snapshot is inconsistent with the canister's state (hook condition satisfied: ${satisfied}).`
        )
    }
    canister.code = { module, instance }
    canister.chunkStore = snapshot.chunkStore.clone()
    canister.version += 1n
    chargeHeapDelta(subnet, canister, snapshotHeapDelta(snapshot))
  },

  list_canister_snapshots: ({ subnet, sender }, { canister_id }) =>
    subnet.snapshotsOf(viewable(subnet, canister_id, sender).id).map(summary),

  delete_canister_snapshot: ({ subnet, sender }, { canister_id, snapshot_id }) => {
    const canister = subnet.controlledBy(canister_id, sender)
    const snapshot = owned(subnet, canister, snapshot_id)
    // Deleting frees memory, yet a frozen canister is refused with IC0532 (`delete_canister_snapshot` runs
    // `cycles_and_memory_usage_checks` at the smaller usage).
    const usage = memoryUsage(subnet, canister)
    const charge = checkCyclesAndMemory(subnet, canister, sender, {
      cyclesForInstructions: 0n,
      oldUsage: usage,
      newUsage: usage - snapshotSize(snapshot)
    })
    subnet.removeSnapshot(snapshot)
    chargeValidated(charge)
  },

  read_canister_snapshot_metadata: ({ subnet, sender }, { canister_id, snapshot_id }) => {
    const snapshot = owned(subnet, viewable(subnet, canister_id, sender), snapshot_id)
    return metadata(snapshot)
  },

  read_canister_snapshot_data: ({ subnet, sender }, { canister_id, snapshot_id, kind }) => {
    const canister = viewable(subnet, canister_id, sender)
    const snapshot = owned(subnet, canister, snapshot_id)
    // Charged up front for the baseline and the most the slice can hold (`read_snapshot_data`).
    const asked: { size?: bigint } = 'wasm_chunk' in kind ? {} : (Object.values(kind)[0] as { size: bigint })
    if (asked.size === undefined || asked.size <= BigInt(MAX_SLICE_SIZE))
      chargeSnapshotInstructions(subnet, canister, sender, readDataInstructions(asked))
    if ('wasm_chunk' in kind) return { chunk: storedChunk(snapshot, kind.wasm_chunk.hash) }
    const [blob, { offset, size }] =
      'wasm_module' in kind
        ? [snapshot.module, kind.wasm_module]
        : 'wasm_memory' in kind
          ? [snapshot.heap, kind.wasm_memory]
          : [snapshot.stable, kind.stable_memory]
    // The size limit is checked before the bounds (`get_response_size` runs first).
    if (size > BigInt(MAX_SLICE_SIZE)) throw errors.sliceTooLarge(size, MAX_SLICE_SIZE)
    if (offset + size > BigInt(blob.byteLength)) throw errors.invalidSlice(offset, size)
    // The module is a view, not a copy: the reply's encoding copies it once anyway.
    const [start, end] = [Number(offset), Number(offset + size)]
    return { chunk: blob instanceof Uint8Array ? blob.subarray(start, end) : blob.slice(start, end) }
  },

  upload_canister_snapshot_metadata: ({ subnet, sender }, args) => {
    const canister = subnet.controlledBy(args.canister_id, sender)
    // canister_manager.rs, `create_snapshot_from_metadata`: the limit is the one of the code the canister runs
    // now, Wasm32 for a canister without code, whatever module the snapshot holds.
    validateMetadata(args, canister.code?.module.wasmMode ?? 'wasm32')
    const replaced = replaceable(subnet, canister, args.replace_snapshot[0])
    // Its zero-filled memories are no delta yet: the metadata upload adds nothing to the debit.
    checkHeapDelta(subnet, canister)
    // Zero-filled blobs of the announced sizes, filled in by upload_canister_snapshot_data.
    const snapshot: Snapshot = {
      id: snapshotIdOf(canister.id, canister.nextSnapshotLocalId),
      canisterId: canister.id,
      source: 'metadata_upload',
      takenAtNs: subnet.now(),
      canisterVersion: canister.version,
      module: new Uint8Array(Number(args.wasm_module_size)),
      heap: new SparseMemory(Number(args.wasm_memory_size)),
      stable: new SparseMemory(Number(args.stable_memory_size)),
      globals: args.globals,
      certifiedData: args.certified_data.slice(),
      chunkStore: new ChunkStore(),
      globalTimer: args.global_timer[0],
      onLowWasmMemoryHookStatus: args.on_low_wasm_memory_hook_status[0]
    }
    // Charged for the whole announced snapshot from the start (`create_snapshot_from_metadata`).
    const size = snapshotSize(snapshot)
    const charge = checkCyclesAndMemory(subnet, canister, sender, {
      cyclesForInstructions: snapshotCreationCost(size),
      ...usageChange(subnet, canister, size, replaced, false)
    })
    canister.nextSnapshotLocalId++
    subnet.addSnapshot(snapshot)
    if (replaced) subnet.removeSnapshot(replaced)
    chargeValidated(charge)
    return { snapshot_id: snapshot.id }
  },

  upload_canister_snapshot_data: ({ subnet, sender }, { canister_id, snapshot_id, kind, chunk }) => {
    const canister = subnet.controlledBy(canister_id, sender)
    const snapshot = owned(subnet, canister, snapshot_id)
    if (snapshot.source !== 'metadata_upload') throw errors.snapshotImmutable()
    checkHeapDeltaForData(subnet, canister)
    // The bytes written are charged as instructions, whatever else fails (`write_snapshot_data`).
    chargeSnapshotInstructions(
      subnet,
      canister,
      sender,
      writeDataInstructions('wasm_chunk' in kind, chunk.length)
    )
    snapshotWritten(subnet, snapshot)
    if ('wasm_chunk' in kind) {
      // A new chunk grows the snapshot by 1 MiB, which must pass the memory checks.
      const fresh = snapshot.chunkStore.get(sha256(chunk)) === undefined
      const usage = memoryUsage(subnet, canister)
      const charge = fresh
        ? checkCyclesAndMemory(subnet, canister, sender, {
            cyclesForInstructions: 0n,
            oldUsage: usage,
            newUsage: usage + STORED_CHUNK_BYTES
          })
        : undefined
      const result = snapshot.chunkStore.insert(chunk)
      if ('error' in result) throw errors.wasmChunkStore(result.error)
      if (charge) chargeValidated(charge)
      // `get_bytes_and_instructions`: a chunk counts as a whole chunk-store page (1 MiB).
      chargeHeapDelta(subnet, canister, 1024 * 1024)
      return
    }
    const [blob, { offset }] =
      'wasm_module' in kind
        ? [snapshot.module, kind.wasm_module]
        : 'wasm_memory' in kind
          ? [snapshot.heap, kind.wasm_memory]
          : [snapshot.stable, kind.stable_memory]
    if (offset + BigInt(chunk.length) > BigInt(blob.byteLength))
      throw errors.invalidSlice(offset, BigInt(chunk.length))
    if (blob instanceof Uint8Array) blob.set(chunk, Number(offset))
    else blob.write(Number(offset), chunk)
    chargeHeapDelta(subnet, canister, chunk.length)
  }
}

/** Memory usage before and after a new snapshot of `size` bytes (replacing one, or uninstalling the code). */
function usageChange(
  subnet: Subnet,
  canister: Canister,
  size: bigint,
  replaced: Snapshot | undefined,
  uninstallCode: boolean
): { oldUsage: bigint; newUsage: bigint } {
  const oldUsage = memoryUsage(subnet, canister)
  const instance = canister.code?.instance
  const uninstalled = uninstallCode
    ? BigInt((instance?.heapSize ?? 0) + (instance?.stableSize ?? 0)) +
      BigInt(canister.code?.module.bytes.length ?? 0) +
      BigInt(canister.chunkStore.byteLength)
    : 0n
  const newUsage = oldUsage + size - (replaced ? snapshotSize(replaced) : 0n) - uninstalled
  return { oldUsage, newUsage }
}

/**
 * The snapshot `replace_snapshot` names (which must exist and be this canister's), or, without one, a check
 * that the canister has room for another snapshot.
 */
function replaceable(
  subnet: Subnet,
  canister: Canister,
  replace: Uint8Array | undefined
): Snapshot | undefined {
  if (replace) return owned(subnet, canister, replace)
  const limit = subnet.rules.maxSnapshotsPerCanister
  if (subnet.snapshotsOf(canister.id).length >= limit) throw errors.snapshotLimitExceeded(canister.id, limit)
  return undefined
}

function owned(subnet: Subnet, canister: Canister, id: Uint8Array): Snapshot {
  checkSnapshotId(id)
  return subnet.snapshotOf(canister, id)
}

/** Listing and reading follow `snapshot_visibility` (controllers by default). */
function viewable(subnet: Subnet, canisterId: Principal, sender: Principal): Canister {
  const canister = subnet.existing(canisterId)
  if (!canister.allows(canister.settings.snapshot_visibility, sender))
    throw errors.invalidController(canister.id, canister.controllers, sender)
  return canister
}

// Bytes that cannot be a snapshot id fail the replica's Candid decoding of the argument.
function checkSnapshotId(id: Uint8Array): void {
  if (!parseSnapshotId(id))
    throw errors.invalidPayload(`Invalid length of SnapshotId: provided ${id.length} bytes (${toHex(id)})`)
}

/**
 * The low-memory hook's condition (dfinity/ic, rs/replicated_state task_queue.rs,
 * `is_low_wasm_memory_hook_condition_satisfied`): `wasm_memory_limit < wasm_memory_usage + wasm_memory_threshold`,
 * an unset limit counting as 4 GiB.
 */
function hookConditionSatisfied(canister: Canister, wasmMemoryUsage: number): boolean {
  const limit = canister.settings.wasm_memory_limit || 4n * 1024n * 1024n * 1024n
  return limit < BigInt(wasmMemoryUsage) + canister.settings.wasm_memory_threshold
}

/** A status that says the condition does not hold agrees only with a condition that does not. */
function hookStatusConsistent(status: HookStatusValue, satisfied: boolean): boolean {
  return 'condition_not_satisfied' in status ? !satisfied : satisfied
}

/** The status as Rust's Debug prints it. */
function hookStatusName(status: HookStatusValue): string {
  if ('condition_not_satisfied' in status) return 'ConditionNotSatisfied'
  return 'ready' in status ? 'Ready' : 'Executed'
}

/** ic.did's global timer: inactive, or active with a deadline in ns since 1970 (0 is inactive in ic0). */
function timerValue(deadlineNs: bigint): GlobalTimerValue {
  return deadlineNs === 0n ? { inactive: null } : { active: deadlineNs }
}

function timerNs(timer: GlobalTimerValue): bigint {
  return 'active' in timer ? timer.active : 0n
}

function summary(snapshot: Snapshot): SnapshotValue {
  return { id: snapshot.id, taken_at_timestamp: snapshot.takenAtNs, total_size: snapshotSize(snapshot) }
}

function metadata(snapshot: Snapshot): SnapshotMetadataValue {
  const taken = snapshot.source === 'taken_from_canister'
  return {
    source: taken ? { taken_from_canister: null } : { metadata_upload: null },
    taken_at_timestamp: snapshot.takenAtNs,
    wasm_module_size: BigInt(snapshot.module.length),
    globals: snapshot.globals,
    wasm_memory_size: BigInt(snapshot.heap.byteLength),
    stable_memory_size: BigInt(snapshot.stable.byteLength),
    wasm_chunk_store: snapshot.chunkStore.hashes().map(hash => ({ hash })),
    canister_version: snapshot.canisterVersion,
    certified_data: snapshot.certifiedData,
    // A taken snapshot records the canister's global timer and its hook's status.
    global_timer: snapshot.globalTimer ? [snapshot.globalTimer] : [],
    on_low_wasm_memory_hook_status: snapshot.onLowWasmMemoryHookStatus
      ? [snapshot.onLowWasmMemoryHookStatus]
      : []
  }
}

// `{hash:02x?}` of a Rust byte array.
function debugHex(bytes: Uint8Array): string {
  return `[${[...bytes].map(b => b.toString(16).padStart(2, '0')).join(', ')}]`
}

function storedChunk(snapshot: Snapshot, hash: Uint8Array): Uint8Array {
  if (hash.length !== 32)
    throw errors.wasmChunkStore(`Bytes ${debugHex(hash)} are not a valid WasmChunkHash.`)
  const chunk = snapshot.chunkStore.get(hash)
  if (!chunk) throw errors.wasmChunkStore(`WasmChunkHash ${debugHex(hash)} not found.`)
  return chunk
}

/** `ValidatedSnapshotMetadata::validate`; the reason is the Debug name of `MetadataValidationError`. */
function validateMetadata(
  args: MethodTypes['upload_canister_snapshot_metadata']['args'],
  wasmMode: 'wasm32' | 'wasm64'
): void {
  const reason = (() => {
    if (args.wasm_module_size === 0n) return 'WasmModuleEmpty'
    if (args.wasm_module_size > WASM_MODULE_MAX_SIZE) return 'WasmModuleTooLarge'
    if (args.wasm_memory_size % WASM_PAGE_SIZE !== 0n) return 'WasmMemoryNotPageAligned'
    if (args.wasm_memory_size > MAX_WASM_MEMORY[wasmMode]) return 'WasmMemoryTooLarge'
    if (args.stable_memory_size % WASM_PAGE_SIZE !== 0n) return 'StableMemoryNotPageAligned'
    if (args.stable_memory_size > MAX_STABLE_MEMORY) return 'StableMemoryTooLarge'
    if (args.globals.length > MAX_GLOBALS) return 'ExportedGlobalsTooLarge'
    if (args.certified_data.length > MAX_CERTIFIED_DATA) return 'CertifiedDataTooLarge'
    return undefined
  })()
  if (reason) throw errors.invalidSnapshotMetadata(reason)
}

/** An uploaded snapshot's globals must have the module's types, in order (`globals_match`). */
async function checkGlobalsMatch(module: Awaited<ReturnType<typeof compile>>, globals: SnapshotGlobal[]) {
  const expected = (await module.instantiate()).exportState().globals
  const kind = (global: SnapshotGlobal) => Object.keys(global)[0]
  if (expected.length !== globals.length || expected.some((g, i) => kind(g) !== kind(globals[i])))
    throw errors.snapshotInconsistent(
      'Wasm exported globals of canister module and snapshot metadata do not match.'
    )
}
