// Stopping a canister is the one change the action makes that must always be undone: every stop is recorded
// for the post step before it is sent, and every path out of the work starts the canister again.
import * as core from '@actions/core'
import type { Principal } from '@icp-sdk/core/principal'
import { ActionError, describe } from './errors.js'
import type { Management, RunStatus } from './management.js'
import { forgetStopped, rememberStopped } from './stopped-canisters.js'

export interface StopOptions {
  /** How long to wait for Stopped before giving up and starting the canister again. */
  stopTimeoutSeconds: number
  /** Start the canister afterwards even if it was stopped before (restore: the loaded state should run). */
  startAfterwards: 'if-it-was-running' | 'always'
}

export interface StoppedWork<T> {
  result: T
  statusBefore: RunStatus
  restarted: boolean
}

/** Stops the canister, runs the work, and starts the canister again as the options say, whatever happens. */
export async function withCanisterStopped<T>(
  management: Management,
  canisterId: Principal,
  options: StopOptions,
  work: () => Promise<T>
): Promise<StoppedWork<T>> {
  const id = canisterId.toText()
  const { status: statusBefore } = await management.status(canisterId)
  const shouldStart = options.startAfterwards === 'always' || statusBefore === 'running'
  if (statusBefore !== 'stopped') {
    if (shouldStart) rememberStopped(id)
    await stopWithin(management, canisterId, options.stopTimeoutSeconds, shouldStart)
  }
  let failure: unknown
  let result: T | undefined
  try {
    result = await work()
  } catch (error) {
    failure = error
  }
  let restarted = false
  if (shouldStart) {
    try {
      core.info(`Starting ${id} again`)
      await management.start(canisterId)
      forgetStopped(id)
      restarted = true
    } catch (startError) {
      const cause = failure ? ` after: ${describe(failure)}` : ''
      throw new ActionError(
        `Could not start ${id} again (${describe(startError)})${cause}. The post step will try again; start it by hand with 'icp canister start ${id}' if it stays stopped.`
      )
    }
  }
  if (failure) throw failure
  return { result: result as T, statusBefore, restarted }
}

async function stopWithin(
  management: Management,
  canisterId: Principal,
  timeoutSeconds: number,
  wasRunning: boolean
): Promise<void> {
  const id = canisterId.toText()
  core.info(`Stopping ${id} (waiting up to ${timeoutSeconds} s)`)
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<'timeout'>(resolve => {
    timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000)
  })
  // stop_canister answers only once the canister is Stopped; it waits for open call contexts to close.
  const stopping = management.stop(canisterId).then(() => 'stopped' as const)
  stopping.catch(() => undefined)
  try {
    const outcome = await Promise.race([stopping, timedOut])
    if (outcome === 'stopped') {
      core.info(`${id} is stopped`)
      return
    }
  } catch (error) {
    if (wasRunning) await startAgain(management, canisterId)
    throw error
  } finally {
    clearTimeout(timer)
  }
  // Starting a canister that is still Stopping cancels the pending stop (interface spec, start_canister).
  if (wasRunning) await startAgain(management, canisterId)
  throw new ActionError(
    `${id} did not stop within ${timeoutSeconds} s (it may be waiting on open calls); it was started again and nothing was changed. Raise 'stop-timeout' or retry later.`
  )
}

async function startAgain(management: Management, canisterId: Principal): Promise<void> {
  try {
    await management.start(canisterId)
    forgetStopped(canisterId.toText())
  } catch (error) {
    core.warning(
      `Could not start ${canisterId.toText()} again: ${describe(error)}; the post step will retry.`
    )
  }
}
