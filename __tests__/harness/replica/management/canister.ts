// What the subnet keeps per canister and per snapshot.
import type { Principal } from '@icp-sdk/core/principal'
import type { SnapshotGlobal } from '../types.js'
import type { CanisterInstance, CompiledCanister } from '../wasm/runtime.js'
import type { SparseMemory } from '../wasm/sparse-memory.js'
import type {
  DefiniteCanisterSettingsValue,
  GlobalTimerValue,
  HookStatusValue,
  Visibility
} from './candid.js'
import { CHUNK_SIZE, ChunkStore } from './chunk-store.js'
import type { Rejection } from './errors.js'

export type CanisterStatus = 'running' | 'stopping' | 'stopped'
export type Settings = Omit<DefiniteCanisterSettingsValue, 'controllers'>

/** Mainnet defaults (interface spec, "IC method create_canister"; replica config for the limits). */
export function defaultSettings(): Settings {
  return {
    compute_allocation: 0n,
    memory_allocation: 0n,
    freezing_threshold: 2_592_000n,
    reserved_cycles_limit: 5_000_000_000_000n,
    minimum_incoming_canister_call_cycles: 0n,
    log_visibility: { controllers: null },
    log_memory_limit: 4096n,
    snapshot_visibility: { controllers: null },
    status_visibility: { controllers: null },
    wasm_memory_limit: 3n * 1024n * 1024n * 1024n,
    wasm_memory_threshold: 0n,
    environment_variables: []
  }
}

export interface Code {
  module: CompiledCanister
  instance: CanisterInstance
}

export class Canister {
  status: CanisterStatus = 'running'
  /** Canister version (interface spec, "Canister version"): bumped by installs, settings changes, loads. */
  version = 0n
  settings: Settings = defaultSettings()
  /** Undefined while the canister is empty. */
  code?: Code
  chunkStore = new ChunkStore()
  /** Local ids of this canister's snapshots count up from 0 and are never reused. */
  nextSnapshotLocalId = 0n
  /** Replies owed to stop_canister calls while the canister is stopping. */
  pendingStops: Array<(error?: Rejection) => void> = []
  /** Test control: keeps a stopping canister from reaching stopped. */
  holdInStopping = false
  /** Cycles set aside for future storage payments (interface spec, "Storage reservation"); see cycles.ts. */
  reservedCycles = 0n

  constructor(
    readonly id: Principal,
    public controllers: Principal[],
    public cycles: bigint
  ) {}

  isController(principal: Principal): boolean {
    return this.controllers.some(c => c.compareTo(principal) === 'eq')
  }

  allows(visibility: Visibility, principal: Principal): boolean {
    if (this.isController(principal) || 'public' in visibility) return true
    return (
      'allowed_viewers' in visibility && visibility.allowed_viewers.some(p => p.compareTo(principal) === 'eq')
    )
  }
}

export type SnapshotSource = 'taken_from_canister' | 'metadata_upload'

/** A canister snapshot (interface spec, "IC method take_canister_snapshot"). */
export interface Snapshot {
  id: Uint8Array
  canisterId: Principal
  source: SnapshotSource
  takenAtNs: bigint
  /** The canister's version when taken, or when created by metadata upload. */
  canisterVersion: bigint
  module: Uint8Array
  /** The compiled module of a snapshot taken from the canister, so that loading it needs no compilation. */
  compiled?: CompiledCanister
  /** Sparse, as on the IC, where a snapshot shares the canister's pages: a memory's untouched pages take no space. */
  heap: SparseMemory
  stable: SparseMemory
  globals: SnapshotGlobal[]
  certifiedData: Uint8Array
  chunkStore: ChunkStore
  globalTimer?: GlobalTimerValue
  onLowWasmMemoryHookStatus?: HookStatusValue
}

/** `size_of::<Global>()`: an enum of i32, i64, f32 and f64 values, 8 bytes and its tag, aligned to 8. */
const GLOBAL_SIZE = 16
/**
 * What a snapshot counts towards its canister's memory, and `total_size` reports: the module, both memories,
 * the certified data, 16 bytes per exported global, and 1 MiB for each chunk in the chunk store whatever the
 * chunk's length (dfinity/ic, rs/replicated_state: a taken snapshot's size is CanisterState::snapshot_size_bytes,
 * ExecutionState::memory_usage_in_snapshot plus WasmChunkStore::memory_usage, which grows by PAGES_PER_CHUNK
 * pages, 1 MiB, per chunk inserted; an uploaded one starts at ValidatedSnapshotMetadata::snapshot_size_bytes,
 * the same sum without the chunk store, and grows with each chunk uploaded).
 */
export function snapshotSize(snapshot: Snapshot): bigint {
  return BigInt(
    snapshot.module.length +
      snapshot.heap.byteLength +
      snapshot.stable.byteLength +
      snapshot.certifiedData.length +
      snapshot.globals.length * GLOBAL_SIZE +
      snapshot.chunkStore.size * CHUNK_SIZE
  )
}
