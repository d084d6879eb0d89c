// The replica's reject messages and error codes for management calls and canister messages.
// Texts follow dfinity/ic rs/execution_environment/src/canister_manager/types.rs (`From<CanisterManagerError>
// for UserError`, including the appended `ErrorHelp`), rs/replicated_state (`StateError`) and
// rs/interfaces (`HypervisorError`); codes follow packages/ic-error-types. The reject code is the first
// digit of the error code (IC03xx → DestinationInvalid, IC04xx → CanisterReject, IC05xx → CanisterError).
import type { Principal } from '@icp-sdk/core/principal'
import { reject, RejectCode, type Outcome } from '../types.js'

/** Thrown by management handlers to answer with a reject; the dispatcher turns it into the outcome. */
export class Rejection extends Error {
  constructor(readonly outcome: Extract<Outcome, { status: 'rejected' }>) {
    super(outcome.rejectMessage)
  }

  /** A reject with the replica's numeric error code (e.g. 512 → "IC0512", reject code 5). */
  static of(errorCode: number, rejectMessage: string): Rejection {
    const code = `IC${String(errorCode).padStart(4, '0')}`
    return new Rejection(
      reject(rejectCodeOf(errorCode), code, rejectMessage) as Extract<Outcome, { status: 'rejected' }>
    )
  }
}

function rejectCodeOf(errorCode: number): number {
  const family = Math.floor(errorCode / 100)
  const codes: Record<number, number> = {
    1: RejectCode.SysFatal,
    2: RejectCode.SysTransient,
    3: RejectCode.DestinationInvalid,
    4: RejectCode.CanisterReject,
    5: RejectCode.CanisterError
  }
  return codes[family] ?? RejectCode.SysUnknown
}

export const DOC = 'http://internetcomputer.org/docs/current/references/execution-errors#'

// `ErrorHelp::UserError` renders as "{suggestion} See documentation: {doc_link}" after a newline.
export function help(suggestion: string, docLink: string): string {
  return `\n${suggestion} See documentation: ${docLink}`
}

export const ErrorCode = {
  CanisterIdAlreadyExists: 205,
  CanisterNotFound: 301,
  CanisterSnapshotNotFound: 305,
  CanisterRejectedMessage: 406,
  UnknownManagementMessage: 407,
  InvalidManagementPayload: 408,
  CanisterSnapshotImmutable: 409,
  CanisterTrapped: 502,
  CanisterContractViolation: 504,
  CanisterInvalidWasm: 505,
  CanisterStopped: 508,
  CanisterStopping: 509,
  CanisterNotStopped: 510,
  CanisterStoppingCancelled: 511,
  CanisterInvalidController: 512,
  CanisterNonEmpty: 514,
  CanisterMethodNotFound: 536,
  CanisterWasmModuleNotFound: 537
} as const

export const errors = {
  canisterNotFound: (cid: Principal) =>
    Rejection.of(
      ErrorCode.CanisterNotFound,
      `Canister ${cid.toText()} not found.` +
        help('Check the ICP dashboard to ensure the canister exists.', `${DOC}canister-not-found`)
    ),

  invalidController: (cid: Principal, controllers: Principal[], sender: Principal) =>
    Rejection.of(
      ErrorCode.CanisterInvalidController,
      `Only the controllers of the canister ${cid.toText()} can control it.\n` +
        `Canister's controllers: ${controllers.map(c => c.toText()).join(' ')}\n` +
        `Sender's ID: ${sender.toText()}` +
        help(
          'Execute this call from a controller of the target canister or add the current caller as a controller.',
          `${DOC}invalid-controller`
        )
    ),

  snapshotNotFound: (cid: Principal, sid: string) =>
    Rejection.of(
      ErrorCode.CanisterSnapshotNotFound,
      `Could not find the snapshot ID ${sid} for canister ${cid.toText()}.` +
        help(
          'Use the `list_canister_snapshot` API to see which snapshots are present.',
          `${DOC}canister-snapshot-not-found`
        )
    ),

  snapshotInvalidOwnership: (cid: Principal, sid: string) =>
    Rejection.of(
      ErrorCode.CanisterRejectedMessage,
      `The snapshot ${sid} does not belong to canister ${cid.toText()}.` +
        help(
          'Use the `list_canister_snapshot` API to see which snapshots are present.',
          `${DOC}canister-snapshot-invalid-ownership`
        )
    ),

  snapshotNotController: (sender: Principal, cid: Principal, sid: string) =>
    Rejection.of(
      ErrorCode.CanisterRejectedMessage,
      `Only a controller of the canister that snapshot ${sid} belongs to can load it on canister ` +
        `${cid.toText()}. Sender: ${sender.toText()}.` +
        help(
          'Make sure you are a controller of the canister that the snapshot belongs to.',
          'canister-snapshot-not-controller'
        )
    ),

  snapshotLimitExceeded: (cid: Principal, limit: number) =>
    Rejection.of(
      ErrorCode.CanisterRejectedMessage,
      `Canister ${cid.toText()} has reached the maximum number of snapshots allowed: ${limit}.` +
        help(
          'Consider deleting an unnecessary snapshot of the specified canister before creating a new one.',
          'canister-snapshot-limit-exceeded'
        )
    ),

  // The replica's text really ends with a colon and nothing after it.
  snapshotOfEmptyCanister: (cid: Principal) =>
    Rejection.of(
      ErrorCode.CanisterRejectedMessage,
      `Failed to create snapshot for empty canister ${cid.toText()}:`
    ),

  snapshotImmutable: () =>
    Rejection.of(
      ErrorCode.CanisterSnapshotImmutable,
      'Only canister snapshots created by metadata upload can be mutated.'
    ),

  snapshotInconsistent: (message: string) => Rejection.of(ErrorCode.InvalidManagementPayload, message),

  invalidSnapshotMetadata: (reason: string) =>
    Rejection.of(ErrorCode.InvalidManagementPayload, `Snapshot Metadata contains invalid data: ${reason}`),

  invalidSlice: (offset: bigint, size: bigint) =>
    Rejection.of(
      ErrorCode.InvalidManagementPayload,
      `Invalid subslice into wasm module / main memory / stable memory: offset: ${offset}, size: ${size}`
    ),

  sliceTooLarge: (requested: bigint, allowed: number) =>
    Rejection.of(ErrorCode.InvalidManagementPayload, `Requested slice too large: ${requested} > ${allowed}`),

  wasmChunkStore: (message: string) =>
    Rejection.of(
      ErrorCode.CanisterContractViolation,
      `Error from Wasm chunk store: ${message}.` +
        help(
          'Use the `stored_chunks` API to check which hashes are present or top up the canister if it is low on cycles.',
          `${DOC}wasm-chunk-store-error`
        )
    ),

  invalidSettings: (message: string) =>
    Rejection.of(ErrorCode.CanisterContractViolation, `Could not validate the settings: ${message} `),

  canisterNonEmpty: (cid: Principal) =>
    Rejection.of(
      ErrorCode.CanisterNonEmpty,
      `Canister ${cid.toText()} cannot be installed because the canister is not empty. ` +
        "Try installing with mode='reinstall' instead." +
        help(
          "Check that you want to overwrite the canister and, if so, use mode='reinstall'.",
          `${DOC}canister-not-empty`
        )
    ),

  canisterIdAlreadyExists: (cid: Principal) =>
    Rejection.of(
      ErrorCode.CanisterIdAlreadyExists,
      `Unsuccessful canister creation: canister id ${cid.toText()} already exists.`
    ),

  deleteNotStopped: (cid: Principal) =>
    Rejection.of(
      ErrorCode.CanisterNotStopped,
      `Canister ${cid.toText()} must be stopped before it is deleted.` +
        help('Stop the canister before deleting it.', `${DOC}delete-canister-not-stopped`)
    ),

  stopCancelled: (cid: Principal) =>
    Rejection.of(
      ErrorCode.CanisterStoppingCancelled,
      `Canister ${cid.toText()} has been restarted while it was stopping.`
    ),

  // Hypervisor errors are shown as "Error from Canister {id}: {error}".
  invalidWasm: (cid: Principal, detail: string) =>
    Rejection.of(
      ErrorCode.CanisterInvalidWasm,
      `Error from Canister ${cid.toText()}: Canister's Wasm module is not valid: ${detail}`
    ),

  wasmModuleNotFound: (cid: Principal) =>
    Rejection.of(
      ErrorCode.CanisterWasmModuleNotFound,
      `Error from Canister ${cid.toText()}: Attempted to execute a message, but the canister contains no Wasm module.`
    ),

  trapped: (cid: Principal, detail: string) =>
    Rejection.of(
      ErrorCode.CanisterTrapped,
      `Error from Canister ${cid.toText()}: Canister trapped: ${detail}`
    ),

  // Ingress to a missing, stopped or stopping canister (StateError's Display).
  noSuchCanister: (cid: Principal) =>
    Rejection.of(ErrorCode.CanisterNotFound, `Canister ${cid.toText()} not found`),
  canisterStopped: (cid: Principal) =>
    Rejection.of(ErrorCode.CanisterStopped, `Canister ${cid.toText()} is stopped`),
  canisterStopping: (cid: Principal) =>
    Rejection.of(ErrorCode.CanisterStopping, `Canister ${cid.toText()} is stopping`),

  unknownMethod: (method: string) =>
    Rejection.of(ErrorCode.UnknownManagementMessage, `Management canister has no method '${method}'`),

  notAQueryMethod: (method: string) =>
    Rejection.of(ErrorCode.CanisterMethodNotFound, `Management canister has no query method '${method}'`),

  invalidPayload: (detail: string) =>
    Rejection.of(ErrorCode.InvalidManagementPayload, `Error decoding candid: ${detail}`),

  // The IC answers this at the HTTP layer (400); a reject keeps the state machine callable on its own.
  effectiveIdMismatch: (argument: Principal, effective: Principal) =>
    Rejection.of(
      ErrorCode.InvalidManagementPayload,
      `Specified CanisterId ${argument.toText()} does not match effective canister id in URL ${effective.toText()}`
    )
}
