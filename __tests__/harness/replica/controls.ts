// Knobs that tests turn to make the replica slow or faulty. All are off by default.

export type FaultKind = '5xx' | 'reset' | 'stall'
export type Endpoint = 'status' | 'call' | 'query' | 'read_state'

interface PendingFault {
  kind: FaultKind
  remaining: number
  endpoints?: Endpoint[]
}

export class ReplicaControls {
  /** Added before every API request is handled, like a distant boundary node. */
  latencyMs = 0
  /** How long a stalled request is held before its connection is dropped. */
  stallMs = 30_000
  private faults: PendingFault[] = []

  /** Fails the next `count` requests (optionally only those to some endpoints) in the given way. */
  failNext(count: number, kind: FaultKind, endpoints?: Endpoint[]): void {
    if (count > 0) this.faults.push({ kind, remaining: count, endpoints })
  }

  clearFaults(): void {
    this.faults = []
  }

  /** Takes the fault that applies to this request, if any. */
  takeFault(endpoint: Endpoint): FaultKind | undefined {
    const fault = this.faults.find(f => !f.endpoints || f.endpoints.includes(endpoint))
    if (!fault) return undefined
    fault.remaining -= 1
    if (fault.remaining <= 0) this.faults = this.faults.filter(f => f !== fault)
    return fault.kind
  }
}

/** What reached the replica, so that tests can assert which calls a client made. */
export interface RequestRecord {
  endpoint: Endpoint
  canisterId?: string
  methodName?: string
  sender?: string
}
