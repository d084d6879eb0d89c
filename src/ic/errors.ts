import { AgentError, CertificateVerificationErrorCode, CertifiedRejectErrorCode } from '@icp-sdk/core/agent'
import { ErrorKindEnum, HttpErrorCode } from '@icp-sdk/core/agent'
import { UncertifiedRejectErrorCode, UncertifiedRejectUpdateErrorCode } from '@icp-sdk/core/agent'
import * as core from '@actions/core'
import { inert } from '../untrusted-text.js'

/** The IC answered, and said no. Never retried: the same call would be refused again. */
export class IcRejectError extends Error {
  constructor(
    readonly operation: string,
    readonly rejectCode: number,
    readonly errorCode: string | undefined,
    readonly rejectMessage: string
  ) {
    // The IC's messages run over several lines (controllers, help text); the annotation needs one.
    super(
      `${operation} was rejected by the IC (${errorCode ?? `reject code ${rejectCode}`}): ${oneLine(rejectMessage)}` +
        (CYCLES_ERROR_CODES.has(errorCode ?? '')
          ? " Add cycles with 'icp canister top-up --amount <cycles> <canister> -n ic' and run the step again."
          : '')
    )
    this.name = 'IcRejectError'
  }
}

/** Anything else the action reports as its own failure, already worded for the user. */
export class ActionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ActionError'
  }
}

export function oneLine(text: string): string {
  return text
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(Boolean)
    .join(' ')
}

type Reject = CertifiedRejectErrorCode | UncertifiedRejectErrorCode | UncertifiedRejectUpdateErrorCode

function rejectOf(error: AgentError): Reject | undefined {
  const code = error.cause?.code
  if (
    code instanceof CertifiedRejectErrorCode ||
    code instanceof UncertifiedRejectErrorCode ||
    code instanceof UncertifiedRejectUpdateErrorCode
  ) {
    return code
  }
  return undefined
}

/** Turns a reject from the agent into an IcRejectError; other errors pass through unchanged. */
export function asRejectError(operation: string, error: unknown): unknown {
  if (!(error instanceof AgentError)) return error
  const reject = rejectOf(error)
  if (!reject) return error
  // The error code is the IC's text: inert, like its message.
  const errorCode = reject.rejectErrorCode ? `, error code ${inert(reject.rejectErrorCode, 80)}` : ''
  core.debug(`${operation}: the IC rejected the call with reject code ${reject.rejectCode}${errorCode}`)
  return new IcRejectError(operation, reject.rejectCode, reject.rejectErrorCode, reject.rejectMessage)
}

/**
 * Rejects that no retry can fix, whatever their reject code: the canister lacks cycles (IC0207
 * `CanisterOutOfCycles` is SYS_TRANSIENT, yet the same call fails again until someone tops it up), or cannot
 * pay to grow its memory (IC0532) within its reserved-cycles limit (IC0534). packages/ic-error-types.
 */
export const CYCLES_ERROR_CODES = new Set(['IC0207', 'IC0532', 'IC0534'])

/**
 * Failures worth another try: the network, a boundary node or replica under load (5xx, 429), a call whose
 * outcome did not arrive in time. A reject (SYS_TRANSIENT aside, and even then not for want of cycles) or a
 * failed certificate check is final.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof IcRejectError)
    return error.rejectCode === 2 && !CYCLES_ERROR_CODES.has(error.errorCode ?? '')
  if (error instanceof AgentError) {
    const code = error.cause?.code
    if (code instanceof HttpErrorCode) return code.status >= 500 || code.status === 429 || code.status === 408
    const reject = rejectOf(error)
    if (reject) return reject.rejectCode === 2 && !CYCLES_ERROR_CODES.has(reject.rejectErrorCode ?? '')
    return error.kind === ErrorKindEnum.Transport || /timeout|timed out|expir/i.test(error.message)
  }
  if (error instanceof Error) {
    return /fetch failed|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|network|other side closed/i.test(
      `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`
    )
  }
  return false
}

// A V8 stack frame inside a message: `at fn (/path/file.js:1:2)`, `at async #m (file:///…:1:2)`,
// `at node:internal/…:1:2`. The SDK puts a wrapped error's whole stack into its own message.
const STACK_FRAME = /\s+at (?:async )?(?:new )?(?:[^\s()]+ (?:\[as [^\]]+\] )?)?\(?[^\s()]+:\d+:\d+\)?/g

function withoutStack(message: string): string {
  return message.replace(STACK_FRAME, '')
}

/**
 * Why a certificate was refused, from the outermost check to the innermost: the SDK wraps the check that
 * failed (`Invalid signature`) in the one that called it (`Signature verification failed`).
 */
function certificateReasons(error: AgentError): string[] | undefined {
  const reasons: string[] = []
  for (let current: unknown = error; current instanceof AgentError && reasons.length < 8;) {
    const code = current.cause?.code
    if (!(code instanceof CertificateVerificationErrorCode)) break
    reasons.push(code.reason)
    current = code.error
  }
  return reasons.length > 0 ? reasons : undefined
}

/**
 * A short, single-line description of an unexpected error, with no stack. Messages carry text from outside
 * (reject messages, HTTP bodies, file names from an artifact), so the line is made inert for the log.
 */
export function describe(error: unknown): string {
  if (error instanceof AgentError) {
    const code = error.cause?.code
    if (code instanceof HttpErrorCode) {
      return inert(
        `HTTP ${code.status} ${code.statusText}${code.bodyText ? `: ${oneLine(code.bodyText)}` : ''}`,
        300
      )
    }
    const reasons = certificateReasons(error)
    if (reasons) {
      return inert(
        `the reply's certificate failed verification (${reasons.map(oneLine).join(': ')}) and was refused: ` +
          "it was not signed by the network's root key",
        500
      )
    }
  }
  // The action's own messages are worded to be read whole (a rollback's says what is left to do by hand).
  if (error instanceof ActionError) return inert(oneLine(error.message), 4000)
  if (error instanceof Error) return inert(withoutStack(oneLine(error.message)), 500)
  return inert(withoutStack(oneLine(String(error))), 500)
}
