import * as core from '@actions/core'
import { asRejectError, describe, isTransient } from './errors.js'

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
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce()
    } catch (raw) {
      const error = asRejectError(operation, raw)
      if (attempt >= policy.attempts || !isTransient(error)) throw error
      onRetry?.(error)
      const ceiling = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempt - 1))
      const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2)
      core.info(
        `${operation} failed (${describe(error)}); retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${policy.attempts})`
      )
      await new Promise(resolve => setTimeout(resolve, delay))
    }
  }
}

/**
 * Tests shorten the backoff through the environment; users never need to. GitHub's runner always sets
 * RUNNER_ENVIRONMENT and RUNNER_NAME, and a workflow cannot override RUNNER_* variables (docs, "Store
 * information in variables"), so on it the real schedule always applies; elsewhere the scale is clamped to
 * [0.01, 1], so that no setting turns the backoff into a busy loop or an hour-long wait.
 */
function retryPolicyFromEnv(): RetryPolicy {
  if (process.env.RUNNER_ENVIRONMENT || process.env.RUNNER_NAME) return DEFAULT_RETRY
  const given = Number(process.env.CANISTER_SNAPSHOT_RETRY_SCALE ?? '1')
  if (!Number.isFinite(given) || given <= 0) return DEFAULT_RETRY
  const scale = Math.min(1, Math.max(0.01, given))
  if (scale === 1) return DEFAULT_RETRY
  return {
    ...DEFAULT_RETRY,
    firstDelayMs: DEFAULT_RETRY.firstDelayMs * scale,
    maxDelayMs: DEFAULT_RETRY.maxDelayMs * scale
  }
}
