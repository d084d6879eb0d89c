import * as core from '@actions/core'
import { asRejectError, describe, isTransient } from './errors.js'
import { retryPolicyFor } from './rate-limits.js'
import { retryScale } from './retry-scale.js'

export interface RetryPolicy {
  attempts: number
  firstDelayMs: number
  maxDelayMs: number
}

// Five tries over about 15 s ride out a boundary node restart without hiding a real outage for long.
export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, firstDelayMs: 1_000, maxDelayMs: 8_000 }

/** Runs an IC operation, retrying transient failures with exponential backoff and full jitter. */
export async function withRetry<T>(
  operation: string,
  attemptOnce: () => Promise<T>,
  policy: RetryPolicy = retryPolicyFromEnv(),
  // Told of each failure that is tried again: a transfer slows down on it.
  onRetry?: (error: unknown) => void
): Promise<T> {
  // A rate limit (rate-limits.ts) has a longer policy of its own, and its tries are counted apart.
  let limited = 0
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce()
    } catch (raw) {
      const error = asRejectError(operation, raw)
      const own = retryPolicyFor(error)
      const current = own ?? policy
      const tries = own ? ++limited : attempt - limited
      const verdict = !(own || isTransient(error))
        ? 'final'
        : tries >= current.attempts
          ? 'no tries left'
          : 'retrying'
      core.debug(`${operation}: try ${tries} of ${current.attempts} failed (${describe(error)}): ${verdict}`)
      if (verdict !== 'retrying') throw error
      onRetry?.(error)
      const ceiling = Math.min(current.maxDelayMs, current.firstDelayMs * 2 ** (tries - 1))
      const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2)
      core.info(
        `${operation} failed (${describe(error)}); retrying in ${(delay / 1000).toFixed(1)} s (attempt ${tries + 1} of ${current.attempts})`
      )
      await new Promise(resolve => setTimeout(resolve, delay))
    }
  }
}

// Tests shorten the backoff (retry-scale.ts).
function retryPolicyFromEnv(): RetryPolicy {
  const scale = retryScale()
  if (scale === 1) return DEFAULT_RETRY
  return {
    ...DEFAULT_RETRY,
    firstDelayMs: DEFAULT_RETRY.firstDelayMs * scale,
    maxDelayMs: DEFAULT_RETRY.maxDelayMs * scale
  }
}
