// The IC's rate limits and delays on snapshot calls, told apart from other rejects, and how long each is
// worth waiting for.
//  - Heap-delta rate limiting: a canister that wrote more than its per-round allowance (75 MiB on application
//    subnets, rs/config/src/subnet_config.rs) is refused take, load and metadata upload with IC0210 and data
//    upload with IC0504 "Canister is heap delta rate limited" (rs/execution_environment/src/canister_manager.rs);
//    every round pays off one allowance, so the call goes through a few rounds later ("Try waiting a few
//    seconds before retrying the operation", canister_manager/types.rs).
//  - A snapshot loaded onto another canister is "not currently loadable" (IC0406) until a checkpoint has
//    written its pages out: "The call should succeed if you wait sufficiently long (usually ten minutes)".
import * as core from '@actions/core'
import { IcRejectError, describe } from './errors.js'
import type { RetryPolicy } from './retry.js'
import { retryScale } from './retry-scale.js'

/** IC0210, or IC0504 whose text says the canister is heap delta rate limited. */
export function isHeapDeltaRateLimited(error: unknown): boolean {
  if (!(error instanceof IcRejectError)) return false
  if (error.errorCode === 'IC0210') return true
  return error.errorCode === 'IC0504' && /heap delta rate limited/i.test(error.rejectMessage)
}

/** IC0406 "Snapshot … is not currently loadable on the specified canister …". */
export function isNotLoadable(error: unknown): boolean {
  return (
    error instanceof IcRejectError &&
    error.errorCode === 'IC0406' &&
    /is not currently loadable/i.test(error.rejectMessage)
  )
}

/**
 * Rounds pay a rate-limited canister's debit off, one allowance per round (about a second): a write of a few
 * hundred MiB waits seconds, one in a busy canister longer. Eight tries over about four minutes outlast that
 * without waiting forever on a canister that keeps writing.
 */
export const RATE_LIMITED_RETRY: RetryPolicy = { attempts: 8, firstDelayMs: 2_000, maxDelayMs: 60_000 }

/** The policy for a failure that has one of its own (the rate limit), scaled as the default one is. */
export function retryPolicyFor(error: unknown): RetryPolicy | undefined {
  return isHeapDeltaRateLimited(error) ? scaled(RATE_LIMITED_RETRY) : undefined
}

/** The IC's "usually ten minutes", waited for in full. */
export const NOT_LOADABLE_WAIT_MS = 10 * 60_000
const NOT_LOADABLE_POLL_MS = 10_000
const NOT_LOADABLE_LOG_MS = 30_000

/**
 * Runs `load`, and while the IC answers that the snapshot is not loadable yet, tries again every 10 s for up
 * to 10 minutes, saying so in the log every 30 s. Any other failure ends the wait at once.
 */
export async function waitUntilLoadable<T>(operation: string, load: () => Promise<T>): Promise<T> {
  const scale = retryScale()
  const started = Date.now()
  const deadline = started + NOT_LOADABLE_WAIT_MS * scale
  let nextLog = started
  for (;;) {
    try {
      return await load()
    } catch (error) {
      if (!isNotLoadable(error) || Date.now() >= deadline) throw error
      if (Date.now() >= nextLog) {
        const waited = Math.round((Date.now() - started) / 1000)
        core.info(
          `${operation}: the IC says the snapshot is not loadable yet (${describe(error)}); waiting for it (${waited} s so far, at most ${Math.round((NOT_LOADABLE_WAIT_MS * scale) / 1000)} s)`
        )
        nextLog += NOT_LOADABLE_LOG_MS * scale
      }
      await new Promise(resolve => setTimeout(resolve, NOT_LOADABLE_POLL_MS * scale))
    }
  }
}

// Tests shorten every wait as they do the default retries (retry-scale.ts).
function scaled(policy: RetryPolicy): RetryPolicy {
  const scale = retryScale()
  return { ...policy, firstDelayMs: policy.firstDelayMs * scale, maxDelayMs: policy.maxDelayMs * scale }
}
