// Knobs that tests turn to make the replica slow or faulty. All are off by default.

export type FaultKind = '5xx' | 'reset' | 'stall'
export type Endpoint = 'status' | 'call' | 'query' | 'read_state'

interface PendingFault {
  kind: FaultKind
  remaining: number
  /** Matching requests still to let through before the fault starts. */
  skip: number
  endpoints?: Endpoint[]
  methodName?: string
}

export class ReplicaControls {
  /** Added before every API request is handled, like a distant boundary node. */
  latencyMs = 0
  /** How long a stalled request is held before its connection is dropped. */
  stallMs = 30_000
  private faults: PendingFault[] = []
  private readonly methodDelays = new Map<string, number>()
  private restart: { methodName: string; downMs: number } | undefined

  /**
   * Fails the next `count` requests (optionally only to some endpoints, or calling one method) in the given
   * way, after letting `after` of them through: a fault at an exact point of a client's flow, not a race.
   */
  failNext(count: number, kind: FaultKind, endpoints?: Endpoint[], methodName?: string, after = 0): void {
    if (count > 0) this.faults.push({ kind, remaining: count, skip: after, endpoints, methodName })
  }

  /** Holds every call of a method this long before it runs, to widen the window between two steps of a client. */
  delayMethod(methodName: string, ms: number): void {
    if (ms > 0) this.methodDelays.set(methodName, ms)
    else this.methodDelays.delete(methodName)
  }

  methodDelay(methodName: string | undefined): number {
    return methodName ? (this.methodDelays.get(methodName) ?? 0) : 0
  }

  /**
   * The next call of `methodName` runs, and then the replica restarts before replying: every connection is
   * dropped and nothing listens for `downMs`; the state (a real replica's last checkpoint) is kept.
   */
  restartAfterCall(methodName: string, downMs: number): void {
    this.restart = { methodName, downMs }
  }

  /** The restart due after this call, if any (taken once). */
  takeRestart(methodName: string): number | undefined {
    if (this.restart?.methodName !== methodName) return undefined
    const { downMs } = this.restart
    this.restart = undefined
    return downMs
  }

  clearFaults(): void {
    this.faults = []
    this.methodDelays.clear()
    this.restart = undefined
  }

  /** Takes the fault that applies to this request, if any. */
  takeFault(endpoint: Endpoint, methodName?: string): FaultKind | undefined {
    const fault = this.faults.find(
      f => (!f.endpoints || f.endpoints.includes(endpoint)) && (!f.methodName || f.methodName === methodName)
    )
    if (!fault) return undefined
    if (fault.skip > 0) {
      fault.skip -= 1
      return undefined
    }
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
