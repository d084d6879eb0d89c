// The replica's memory of update calls, which read_state `request_status` paths expose.
import type { Principal } from '@dfinity/principal'
import type { Outcome } from '../types.js'

export interface CallRecord {
  sender: Principal
  outcome?: Outcome
  done: Promise<Outcome>
}

export class RequestRegistry {
  private readonly calls = new Map<string, CallRecord>()

  get(requestId: Uint8Array): CallRecord | undefined {
    return this.calls.get(Buffer.from(requestId).toString('hex'))
  }

  /** Runs the call once per request id: a resubmitted request joins the first one (interface spec, "Request ids"). */
  submit(requestId: Uint8Array, sender: Principal, execute: () => Promise<Outcome>): CallRecord {
    const existing = this.get(requestId)
    if (existing) return existing
    const record: CallRecord = { sender, done: Promise.resolve(undefined as unknown as Outcome) }
    record.done = execute().then(outcome => {
      record.outcome = outcome
      return outcome
    })
    this.calls.set(Buffer.from(requestId).toString('hex'), record)
    return record
  }
}
