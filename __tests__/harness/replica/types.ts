// Types shared by the replica's layers: the HTTP interface (http/, certification/), the state machine
// (state-machine.ts, management/) and the Wasm runtime (wasm/).
import type { Principal } from '@icp-sdk/core/principal'
import type { SparseMemory } from './wasm/sparse-memory.js'

/** A global as the management canister reports it in snapshot metadata (ic.did `globals`). */
export type SnapshotGlobal =
  { i32: number } | { i64: bigint } | { f32: number } | { f64: number } | { v128: bigint }

/** Everything of a running canister that a snapshot keeps besides the module and the chunk store. */
export interface ExecutionState {
  /** Wasm memory 0 (the heap), a multiple of 64 KiB. */
  heap: SparseMemory
  /** Stable memory, a multiple of 64 KiB. */
  stable: SparseMemory
  /** Exported globals, in the module's export order. */
  globals: SnapshotGlobal[]
  certifiedData: Uint8Array
  /**
   * The global timer's deadline, ns since 1970, 0 while it is inactive (interface spec, "Global timer").
   * Absent: inactive for a fresh instance.
   */
  globalTimerNs?: bigint
}

export interface ExecutionContext {
  canisterId: Principal
  caller: Principal
  arg: Uint8Array
  /** Nanoseconds since the epoch. */
  timeNs: bigint
  methodName: string
}

/** IC reject codes (interface spec, "Reject codes"). */
export const RejectCode = {
  SysFatal: 1,
  SysTransient: 2,
  DestinationInvalid: 3,
  CanisterReject: 4,
  CanisterError: 5,
  SysUnknown: 6
} as const

export type Outcome =
  | { status: 'replied'; reply: Uint8Array }
  | { status: 'rejected'; rejectCode: number; rejectMessage: string; errorCode: string }

/** An ingress message after the HTTP layer has checked its envelope and signature. */
export interface Ingress {
  sender: Principal
  canisterId: Principal
  effectiveCanisterId: Principal
  methodName: string
  arg: Uint8Array
  /** The signed request's length in bytes, on which ingress induction is charged (set by the HTTP layer). */
  messageBytes?: number
}

export function reject(rejectCode: number, errorCode: string, rejectMessage: string): Outcome {
  return { status: 'rejected', rejectCode, rejectMessage, errorCode }
}
