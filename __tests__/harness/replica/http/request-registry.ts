// The replica's memory of update calls, which read_state `request_status` paths expose.
import type { Principal } from '@icp-sdk/core/principal'
import type { Outcome } from '../types.js'

export interface CallRecord {
  sender: Principal
  /** When the call was first submitted (ms since the epoch). */
  at: number
  /** Set once the outcome is saved, so that nobody sees an outcome that a crash could still lose. */
  outcome?: Outcome
  /** Set once the call has executed. */
  executed?: Outcome
  done: Promise<Outcome>
}

/** A settled call as the state dir keeps it. */
export interface SettledCall {
  requestId: string
  sender: Principal
  at: number
  outcome: Outcome
}

export class RequestRegistry {
  private readonly calls = new Map<string, CallRecord>()

  /** `onSettled` runs before a call's outcome is given to anyone: the state dir saves there. */
  constructor(
    private readonly onSettled?: () => Promise<void>,
    settled: SettledCall[] = []
  ) {
    for (const call of settled) {
      const { requestId, outcome } = call
      this.calls.set(requestId, { ...call, executed: outcome, done: Promise.resolve(outcome) })
    }
  }

  get(requestId: Uint8Array): CallRecord | undefined {
    return this.calls.get(Buffer.from(requestId).toString('hex'))
  }

  /** Runs the call once per request id: a resubmitted request joins the first one (interface spec, "Request ids"). */
  submit(requestId: Uint8Array, sender: Principal, execute: () => Promise<Outcome>): CallRecord {
    const existing = this.get(requestId)
    if (existing) return existing
    const record: CallRecord = {
      sender,
      at: Date.now(),
      done: Promise.resolve(undefined as unknown as Outcome)
    }
    record.done = execute().then(async outcome => {
      record.executed = outcome
      await this.onSettled?.()
      record.outcome = outcome
      return outcome
    })
    this.calls.set(Buffer.from(requestId).toString('hex'), record)
    return record
  }

  /** Calls settled since `since` (ms since the epoch). */
  settledSince(since: number): SettledCall[] {
    const settled: SettledCall[] = []
    for (const [requestId, { sender, at, executed: outcome }] of this.calls)
      if (outcome && at >= since) settled.push({ requestId, sender, at, outcome })
    return settled
  }
}
