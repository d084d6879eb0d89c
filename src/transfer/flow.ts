// A transfer's congestion control wired to the action: the `concurrency` input as its cap (bounded by
// memory), the data calls' retries as push-back, and its level in the log.
import * as core from '@actions/core'
import { describe } from '../ic/errors.js'
import { isHeapDeltaRateLimited } from '../ic/rate-limits.js'
import type { SnapshotData } from '../ic/snapshot-data.js'
import { Congestion } from './congestion.js'
import { MEMORY_CAP_SLICES } from './defaults.js'

export function congestionFor(data: SnapshotData, concurrency: number): Congestion {
  const cap = Math.min(concurrency, MEMORY_CAP_SLICES)
  if (cap < concurrency)
    core.info(`concurrency ${concurrency} is more slices than memory allows; at most ${cap} are in flight`)
  const congestion = new Congestion({
    cap,
    onChange: (level, reason) => core.debug(`Slices in flight: ${level} (${reason})`)
  })
  // A rate-limited canister takes no more bytes per round however many calls are in flight: fewer, then.
  data.onRetry = error =>
    congestion.pushedBack(
      isHeapDeltaRateLimited(error)
        ? `the canister is heap delta rate limited: ${describe(error)}`
        : `a call was retried: ${describe(error)}`
    )
  return congestion
}

/**
 * Runs one slice's call, telling `congestion` how long it took and how many bytes it moved; the timing goes
 * to the debug log under `slice` (e.g. "read wasm_memory at 4000000").
 */
export async function timed<T extends { length: number } | number>(
  congestion: Congestion,
  slice: string,
  call: () => Promise<T>
): Promise<T> {
  const started = performance.now()
  const result = await call()
  const bytes = typeof result === 'number' ? result : result.length
  const ms = performance.now() - started
  congestion.completed(bytes, ms)
  core.debug(`Slice ${slice}: ${bytes} bytes in ${Math.round(ms)} ms`)
  return result
}
