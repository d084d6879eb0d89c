// Candid types of the management canister (aaaaa-aa), built with IDL.
// Source: dfinity/ic packages/ic-management-canister-types/tests/ic.did (crate 0.10.0 + unreleased), the
// newest ic.did. One deliberate difference: `read_canister_snapshot_metadata` replies with the portal
// ic.did shapes `source : variant` and `globals : vec variant` (the crate's did says `opt variant` and
// `vec opt variant`). Rust's `Option` fields accept a bare value by Candid's opt subtyping rule, while
// @icp-sdk/core/candid cannot decode an `opt` where its (older) did expects a bare variant.
import { IDL } from '@icp-sdk/core/candid'
import type { Principal } from '@icp-sdk/core/principal'
import type { SnapshotGlobal } from '../types.js'

const CanisterId = IDL.Principal
const SnapshotId = IDL.Vec(IDL.Nat8)
const Blob = IDL.Vec(IDL.Nat8)

const Visibility = IDL.Variant({
  controllers: IDL.Null,
  public: IDL.Null,
  allowed_viewers: IDL.Vec(IDL.Principal)
})
const EnvironmentVariable = IDL.Record({ name: IDL.Text, value: IDL.Text })

export const CanisterSettings = IDL.Record({
  controllers: IDL.Opt(IDL.Vec(IDL.Principal)),
  compute_allocation: IDL.Opt(IDL.Nat),
  memory_allocation: IDL.Opt(IDL.Nat),
  freezing_threshold: IDL.Opt(IDL.Nat),
  reserved_cycles_limit: IDL.Opt(IDL.Nat),
  minimum_incoming_canister_call_cycles: IDL.Opt(IDL.Nat),
  log_visibility: IDL.Opt(Visibility),
  log_memory_limit: IDL.Opt(IDL.Nat),
  snapshot_visibility: IDL.Opt(Visibility),
  status_visibility: IDL.Opt(Visibility),
  wasm_memory_limit: IDL.Opt(IDL.Nat),
  wasm_memory_threshold: IDL.Opt(IDL.Nat),
  environment_variables: IDL.Opt(IDL.Vec(EnvironmentVariable))
})

export const DefiniteCanisterSettings = IDL.Record({
  controllers: IDL.Vec(IDL.Principal),
  compute_allocation: IDL.Nat,
  memory_allocation: IDL.Nat,
  freezing_threshold: IDL.Nat,
  reserved_cycles_limit: IDL.Nat,
  minimum_incoming_canister_call_cycles: IDL.Nat,
  log_visibility: Visibility,
  log_memory_limit: IDL.Nat,
  snapshot_visibility: Visibility,
  status_visibility: Visibility,
  wasm_memory_limit: IDL.Nat,
  wasm_memory_threshold: IDL.Nat,
  environment_variables: IDL.Vec(EnvironmentVariable)
})

const ChunkHash = IDL.Record({ hash: Blob })

export const CanisterInstallMode = IDL.Variant({
  install: IDL.Null,
  reinstall: IDL.Null,
  upgrade: IDL.Opt(
    IDL.Record({
      skip_pre_upgrade: IDL.Opt(IDL.Bool),
      wasm_memory_persistence: IDL.Opt(IDL.Variant({ keep: IDL.Null, replace: IDL.Null }))
    })
  )
})

const CanisterIdRecord = IDL.Record({ canister_id: CanisterId })

const SnapshotGlobal = IDL.Variant({
  i32: IDL.Int32,
  i64: IDL.Int64,
  f32: IDL.Float32,
  f64: IDL.Float64,
  v128: IDL.Nat
})
const GlobalTimer = IDL.Variant({ inactive: IDL.Null, active: IDL.Nat64 })
const OnLowWasmMemoryHookStatus = IDL.Variant({
  condition_not_satisfied: IDL.Null,
  ready: IDL.Null,
  executed: IDL.Null
})

export const Snapshot = IDL.Record({ id: SnapshotId, taken_at_timestamp: IDL.Nat64, total_size: IDL.Nat64 })

/** Argument and result types of each management method this replica serves, as `(args) -> (results)`. */
export const methods = {
  create_canister: {
    args: IDL.Record({ settings: IDL.Opt(CanisterSettings), sender_canister_version: IDL.Opt(IDL.Nat64) }),
    result: IDL.Record({ canister_id: CanisterId })
  },
  provisional_create_canister_with_cycles: {
    args: IDL.Record({
      amount: IDL.Opt(IDL.Nat),
      settings: IDL.Opt(CanisterSettings),
      specified_id: IDL.Opt(CanisterId),
      sender_canister_version: IDL.Opt(IDL.Nat64)
    }),
    result: IDL.Record({ canister_id: CanisterId })
  },
  provisional_top_up_canister: {
    args: IDL.Record({ canister_id: CanisterId, amount: IDL.Nat }),
    result: undefined
  },
  update_settings: {
    args: IDL.Record({
      canister_id: IDL.Principal,
      settings: CanisterSettings,
      sender_canister_version: IDL.Opt(IDL.Nat64)
    }),
    result: undefined
  },
  upload_chunk: {
    args: IDL.Record({ canister_id: IDL.Principal, chunk: Blob }),
    result: ChunkHash
  },
  clear_chunk_store: { args: CanisterIdRecord, result: undefined },
  stored_chunks: { args: CanisterIdRecord, result: IDL.Vec(ChunkHash) },
  install_code: {
    args: IDL.Record({
      mode: CanisterInstallMode,
      canister_id: CanisterId,
      wasm_module: Blob,
      arg: Blob,
      sender_canister_version: IDL.Opt(IDL.Nat64)
    }),
    result: undefined
  },
  install_chunked_code: {
    args: IDL.Record({
      mode: CanisterInstallMode,
      target_canister: CanisterId,
      store_canister: IDL.Opt(CanisterId),
      chunk_hashes_list: IDL.Vec(ChunkHash),
      wasm_module_hash: Blob,
      arg: Blob,
      sender_canister_version: IDL.Opt(IDL.Nat64)
    }),
    result: undefined
  },
  uninstall_code: {
    args: IDL.Record({ canister_id: CanisterId, sender_canister_version: IDL.Opt(IDL.Nat64) }),
    result: undefined
  },
  start_canister: { args: CanisterIdRecord, result: undefined },
  stop_canister: { args: CanisterIdRecord, result: undefined },
  canister_status: {
    args: CanisterIdRecord,
    result: IDL.Record({
      status: IDL.Variant({ running: IDL.Null, stopping: IDL.Null, stopped: IDL.Null }),
      ready_for_migration: IDL.Bool,
      version: IDL.Nat64,
      settings: DefiniteCanisterSettings,
      module_hash: IDL.Opt(Blob),
      memory_size: IDL.Nat,
      memory_metrics: IDL.Record({
        wasm_memory_size: IDL.Nat,
        stable_memory_size: IDL.Nat,
        global_memory_size: IDL.Nat,
        wasm_binary_size: IDL.Nat,
        custom_sections_size: IDL.Nat,
        canister_history_size: IDL.Nat,
        wasm_chunk_store_size: IDL.Nat,
        snapshots_size: IDL.Nat,
        log_memory_store_size: IDL.Nat
      }),
      cycles: IDL.Nat,
      reserved_cycles: IDL.Nat,
      idle_cycles_burned_per_day: IDL.Nat,
      query_stats: IDL.Record({
        num_calls_total: IDL.Nat,
        num_instructions_total: IDL.Nat,
        request_payload_bytes_total: IDL.Nat,
        response_payload_bytes_total: IDL.Nat
      })
    })
  },
  delete_canister: { args: CanisterIdRecord, result: undefined },
  raw_rand: { args: undefined, result: Blob },
  take_canister_snapshot: {
    args: IDL.Record({
      canister_id: CanisterId,
      replace_snapshot: IDL.Opt(SnapshotId),
      uninstall_code: IDL.Opt(IDL.Bool),
      sender_canister_version: IDL.Opt(IDL.Nat64)
    }),
    result: Snapshot
  },
  load_canister_snapshot: {
    args: IDL.Record({
      canister_id: CanisterId,
      snapshot_id: SnapshotId,
      sender_canister_version: IDL.Opt(IDL.Nat64)
    }),
    result: undefined
  },
  list_canister_snapshots: { args: CanisterIdRecord, result: IDL.Vec(Snapshot) },
  delete_canister_snapshot: {
    args: IDL.Record({ canister_id: CanisterId, snapshot_id: SnapshotId }),
    result: undefined
  },
  read_canister_snapshot_metadata: {
    args: IDL.Record({ canister_id: CanisterId, snapshot_id: SnapshotId }),
    result: IDL.Record({
      source: IDL.Variant({ taken_from_canister: IDL.Reserved, metadata_upload: IDL.Reserved }),
      taken_at_timestamp: IDL.Nat64,
      wasm_module_size: IDL.Nat64,
      globals: IDL.Vec(SnapshotGlobal),
      wasm_memory_size: IDL.Nat64,
      stable_memory_size: IDL.Nat64,
      wasm_chunk_store: IDL.Vec(ChunkHash),
      canister_version: IDL.Nat64,
      certified_data: Blob,
      global_timer: IDL.Opt(GlobalTimer),
      on_low_wasm_memory_hook_status: IDL.Opt(OnLowWasmMemoryHookStatus)
    })
  },
  read_canister_snapshot_data: {
    args: IDL.Record({
      canister_id: CanisterId,
      snapshot_id: SnapshotId,
      kind: IDL.Variant({
        wasm_module: IDL.Record({ offset: IDL.Nat64, size: IDL.Nat64 }),
        wasm_memory: IDL.Record({ offset: IDL.Nat64, size: IDL.Nat64 }),
        stable_memory: IDL.Record({ offset: IDL.Nat64, size: IDL.Nat64 }),
        wasm_chunk: IDL.Record({ hash: Blob })
      })
    }),
    result: IDL.Record({ chunk: Blob })
  },
  upload_canister_snapshot_metadata: {
    args: IDL.Record({
      canister_id: CanisterId,
      replace_snapshot: IDL.Opt(SnapshotId),
      wasm_module_size: IDL.Nat64,
      globals: IDL.Vec(SnapshotGlobal),
      wasm_memory_size: IDL.Nat64,
      stable_memory_size: IDL.Nat64,
      certified_data: Blob,
      global_timer: IDL.Opt(GlobalTimer),
      on_low_wasm_memory_hook_status: IDL.Opt(OnLowWasmMemoryHookStatus)
    }),
    result: IDL.Record({ snapshot_id: SnapshotId })
  },
  upload_canister_snapshot_data: {
    args: IDL.Record({
      canister_id: CanisterId,
      snapshot_id: SnapshotId,
      kind: IDL.Variant({
        wasm_module: IDL.Record({ offset: IDL.Nat64 }),
        wasm_memory: IDL.Record({ offset: IDL.Nat64 }),
        stable_memory: IDL.Record({ offset: IDL.Nat64 }),
        wasm_chunk: IDL.Null
      }),
      chunk: Blob
    }),
    result: undefined
  }
} satisfies Record<keyof MethodTypes, { args: IDL.Type | undefined; result: IDL.Type | undefined }>

export type ManagementMethod = keyof typeof methods

/** The TypeScript value a method's argument decodes to (and is encoded from). */
export type ArgsOf<M extends ManagementMethod> = MethodTypes[M]['args']
/** The TypeScript value a method's reply is encoded from (and decodes to). */
export type ResultOf<M extends ManagementMethod> = MethodTypes[M]['result']

export function isManagementMethod(name: string): name is ManagementMethod {
  return Object.prototype.hasOwnProperty.call(methods, name)
}

/** Encodes a method's argument, as a client would. */
export function encodeArgs<M extends ManagementMethod>(method: M, args: ArgsOf<M>): Uint8Array {
  const type = methods[method].args as IDL.Type | undefined
  return type ? IDL.encode([type], [args]) : IDL.encode([], [])
}

/** Decodes a method's argument; throws on malformed Candid. */
export function decodeArgs<M extends ManagementMethod>(method: M, bytes: Uint8Array): ArgsOf<M> {
  const type = methods[method].args as IDL.Type | undefined
  if (!type) return undefined as ArgsOf<M>
  const [value] = IDL.decode([type], bytes)
  return value as unknown as ArgsOf<M>
}

export function encodeResult<M extends ManagementMethod>(method: M, result: ResultOf<M>): Uint8Array {
  const type = methods[method].result as IDL.Type | undefined
  return type ? IDL.encode([type], [result]) : IDL.encode([], [])
}

/** Decodes a method's reply, as a client would. */
export function decodeResult<M extends ManagementMethod>(method: M, bytes: Uint8Array): ResultOf<M> {
  const type = methods[method].result as IDL.Type | undefined
  if (!type) return undefined as ResultOf<M>
  const [value] = IDL.decode([type], bytes)
  return value as unknown as ResultOf<M>
}

// TypeScript shapes of the values above, as @icp-sdk/core/candid decodes them (opt = [] | [T], nat = bigint).
// IDL's own typings are `Record<string, any>` for records and variants, hence these.

type Opt<T> = [] | [T]
export type Visibility = { controllers: null } | { public: null } | { allowed_viewers: Principal[] }
export interface EnvironmentVariable {
  name: string
  value: string
}

export interface CanisterSettingsValue {
  controllers: Opt<Principal[]>
  compute_allocation: Opt<bigint>
  memory_allocation: Opt<bigint>
  freezing_threshold: Opt<bigint>
  reserved_cycles_limit: Opt<bigint>
  minimum_incoming_canister_call_cycles: Opt<bigint>
  log_visibility: Opt<Visibility>
  log_memory_limit: Opt<bigint>
  snapshot_visibility: Opt<Visibility>
  status_visibility: Opt<Visibility>
  wasm_memory_limit: Opt<bigint>
  wasm_memory_threshold: Opt<bigint>
  environment_variables: Opt<EnvironmentVariable[]>
}

export interface DefiniteCanisterSettingsValue {
  controllers: Principal[]
  compute_allocation: bigint
  memory_allocation: bigint
  freezing_threshold: bigint
  reserved_cycles_limit: bigint
  minimum_incoming_canister_call_cycles: bigint
  log_visibility: Visibility
  log_memory_limit: bigint
  snapshot_visibility: Visibility
  status_visibility: Visibility
  wasm_memory_limit: bigint
  wasm_memory_threshold: bigint
  environment_variables: EnvironmentVariable[]
}

export type InstallMode =
  | { install: null }
  | { reinstall: null }
  | {
      upgrade: Opt<{
        skip_pre_upgrade: Opt<boolean>
        wasm_memory_persistence: Opt<{ keep: null } | { replace: null }>
      }>
    }

export interface ChunkHashValue {
  hash: Uint8Array
}
export interface SnapshotValue {
  id: Uint8Array
  taken_at_timestamp: bigint
  total_size: bigint
}
export type GlobalTimerValue = { inactive: null } | { active: bigint }
export type HookStatusValue = { condition_not_satisfied: null } | { ready: null } | { executed: null }
export type SnapshotSourceValue = { taken_from_canister: null } | { metadata_upload: null }
type CanisterIdArgs = { canister_id: Principal }
type SnapshotArgs = { canister_id: Principal; snapshot_id: Uint8Array }
type Slice = { offset: bigint; size: bigint }

export interface CanisterStatusValue {
  status: { running: null } | { stopping: null } | { stopped: null }
  ready_for_migration: boolean
  version: bigint
  settings: DefiniteCanisterSettingsValue
  module_hash: Opt<Uint8Array>
  memory_size: bigint
  memory_metrics: {
    wasm_memory_size: bigint
    stable_memory_size: bigint
    global_memory_size: bigint
    wasm_binary_size: bigint
    custom_sections_size: bigint
    canister_history_size: bigint
    wasm_chunk_store_size: bigint
    snapshots_size: bigint
    log_memory_store_size: bigint
  }
  cycles: bigint
  reserved_cycles: bigint
  idle_cycles_burned_per_day: bigint
  query_stats: {
    num_calls_total: bigint
    num_instructions_total: bigint
    request_payload_bytes_total: bigint
    response_payload_bytes_total: bigint
  }
}

export interface SnapshotMetadataValue {
  source: SnapshotSourceValue
  taken_at_timestamp: bigint
  wasm_module_size: bigint
  globals: SnapshotGlobal[]
  wasm_memory_size: bigint
  stable_memory_size: bigint
  wasm_chunk_store: ChunkHashValue[]
  canister_version: bigint
  certified_data: Uint8Array
  global_timer: Opt<GlobalTimerValue>
  on_low_wasm_memory_hook_status: Opt<HookStatusValue>
}

export interface MethodTypes {
  create_canister: {
    args: { settings: Opt<CanisterSettingsValue>; sender_canister_version: Opt<bigint> }
    result: CanisterIdArgs
  }
  provisional_create_canister_with_cycles: {
    args: {
      amount: Opt<bigint>
      settings: Opt<CanisterSettingsValue>
      specified_id: Opt<Principal>
      sender_canister_version: Opt<bigint>
    }
    result: CanisterIdArgs
  }
  provisional_top_up_canister: { args: { canister_id: Principal; amount: bigint }; result: void }
  update_settings: {
    args: { canister_id: Principal; settings: CanisterSettingsValue; sender_canister_version: Opt<bigint> }
    result: void
  }
  upload_chunk: { args: { canister_id: Principal; chunk: Uint8Array }; result: ChunkHashValue }
  clear_chunk_store: { args: CanisterIdArgs; result: void }
  stored_chunks: { args: CanisterIdArgs; result: ChunkHashValue[] }
  install_code: {
    args: {
      mode: InstallMode
      canister_id: Principal
      wasm_module: Uint8Array
      arg: Uint8Array
      sender_canister_version: Opt<bigint>
    }
    result: void
  }
  install_chunked_code: {
    args: {
      mode: InstallMode
      target_canister: Principal
      store_canister: Opt<Principal>
      chunk_hashes_list: ChunkHashValue[]
      wasm_module_hash: Uint8Array
      arg: Uint8Array
      sender_canister_version: Opt<bigint>
    }
    result: void
  }
  uninstall_code: {
    args: { canister_id: Principal; sender_canister_version: Opt<bigint> }
    result: void
  }
  start_canister: { args: CanisterIdArgs; result: void }
  stop_canister: { args: CanisterIdArgs; result: void }
  canister_status: { args: CanisterIdArgs; result: CanisterStatusValue }
  delete_canister: { args: CanisterIdArgs; result: void }
  raw_rand: { args: undefined; result: Uint8Array }
  take_canister_snapshot: {
    args: {
      canister_id: Principal
      replace_snapshot: Opt<Uint8Array>
      uninstall_code: Opt<boolean>
      sender_canister_version: Opt<bigint>
    }
    result: SnapshotValue
  }
  load_canister_snapshot: { args: SnapshotArgs & { sender_canister_version: Opt<bigint> }; result: void }
  list_canister_snapshots: { args: CanisterIdArgs; result: SnapshotValue[] }
  delete_canister_snapshot: { args: SnapshotArgs; result: void }
  read_canister_snapshot_metadata: { args: SnapshotArgs; result: SnapshotMetadataValue }
  read_canister_snapshot_data: {
    args: SnapshotArgs & {
      kind:
        | { wasm_module: Slice }
        | { wasm_memory: Slice }
        | { stable_memory: Slice }
        | { wasm_chunk: ChunkHashValue }
    }
    result: { chunk: Uint8Array }
  }
  upload_canister_snapshot_metadata: {
    args: {
      canister_id: Principal
      replace_snapshot: Opt<Uint8Array>
      wasm_module_size: bigint
      globals: SnapshotGlobal[]
      wasm_memory_size: bigint
      stable_memory_size: bigint
      certified_data: Uint8Array
      global_timer: Opt<GlobalTimerValue>
      on_low_wasm_memory_hook_status: Opt<HookStatusValue>
    }
    result: { snapshot_id: Uint8Array }
  }
  upload_canister_snapshot_data: {
    args: SnapshotArgs & {
      kind:
        | { wasm_module: { offset: bigint } }
        | { wasm_memory: { offset: bigint } }
        | { stable_memory: { offset: bigint } }
        | { wasm_chunk: null }
      chunk: Uint8Array
    }
    result: void
  }
}
