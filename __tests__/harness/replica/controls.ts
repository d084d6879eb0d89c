// Knobs that tests turn to make the replica slow or faulty. All are off by default.
import { FaultBudget } from '../fault-budget.js'
import { mainnetRules, type SubnetRules } from './management/rules.js'

// 'forged-signature' answers as usual, but with one byte of the certificate's signature changed: a network
// between the client and the IC that rewrites replies. It applies to the replies that carry a certificate
// (a synchronous call's and read_state's).
export type FaultKind = '5xx' | '429' | 'reset' | 'stall' | 'forged-signature'
export type Endpoint = 'status' | 'call' | 'query' | 'read_state'

interface PendingFault {
  kind: FaultKind
  budget: FaultBudget
  endpoints?: Endpoint[]
  methodName?: string
}

export class ReplicaControls {
  /** Added before every API request is handled, like a distant boundary node. */
  latencyMs = 0
  /** How long a stalled request is held before its connection is dropped. */
  stallMs = 30_000
  /** Mainnet's limits as the subnet applies them (an application subnet's until a test changes them). */
  readonly rules: SubnetRules = mainnetRules()
  /** Set by the replica: settles what the old rules owe before they change (rate-limit.ts). */
  beforeRulesChange?: () => void
  private faults: PendingFault[] = []
  private readonly methodDelays = new Map<string, number>()
  private restart: { methodName: string; downMs: number } | undefined
  // What was armed since the last clearFaults, to tell a fault that fired from one that never found its request.
  private armed: PendingFault[] = []
  private restartArmed = false
  private delayed = false

  /**
   * Fails the next `count` requests (optionally only to some endpoints, or calling one method) in the given
   * way, after letting `after` of them through: a fault at an exact point of a client's flow, not a race.
   */
  failNext(count: number, kind: FaultKind, endpoints?: Endpoint[], methodName?: string, after = 0): void {
    if (count > 0) {
      const fault = { kind, budget: new FaultBudget(count, after), endpoints, methodName }
      this.faults.push(fault)
      this.armed.push(fault)
    }
  }

  /** Holds every call of a method this long before it runs, to widen the window between two steps of a client. */
  delayMethod(methodName: string, ms: number): void {
    if (ms > 0) this.methodDelays.set(methodName, ms)
    else this.methodDelays.delete(methodName)
  }

  methodDelay(methodName: string | undefined): number {
    const delay = methodName ? (this.methodDelays.get(methodName) ?? 0) : 0
    if (delay > 0) this.delayed = true
    return delay
  }

  /**
   * The next call of `methodName` runs, and then the replica restarts before replying: every connection is
   * dropped and nothing listens for `downMs`; the state (a real replica's last checkpoint) is kept.
   */
  restartAfterCall(methodName: string, downMs: number): void {
    this.restart = { methodName, downMs }
    this.restartArmed = true
  }

  /** The restart due after this call, if any (taken once). */
  takeRestart(methodName: string): number | undefined {
    if (this.restart?.methodName !== methodName) return undefined
    const { downMs } = this.restart
    this.restart = undefined
    return downMs
  }

  /** Lets a canister add only `bytes` of heap delta per round (of `roundMs`), so that the limit bites. */
  limitHeapDelta(bytes: number, roundMs = this.rules.roundMs): void {
    this.beforeRulesChange?.()
    this.rules.heapDeltaRateLimit = bytes
    this.rules.roundMs = roundMs
  }

  /** A snapshot cannot be loaded onto another canister until `ms` after it was last written. */
  delayCrossCanisterLoads(ms: number): void {
    this.rules.crossCanisterLoadDelayMs = ms
  }

  /** The most snapshots a canister may hold (mainnet: 10). */
  limitSnapshots(count: number): void {
    this.rules.maxSnapshotsPerCanister = count
  }

  /** Clears the faults and puts mainnet's rules back. */
  clearFaults(): void {
    this.beforeRulesChange?.()
    Object.assign(this.rules, mainnetRules())
    this.faults = []
    this.methodDelays.clear()
    this.restart = undefined
    this.armed = []
    this.restartArmed = false
    this.delayed = false
  }

  /**
   * Whether what was armed since the last clearFaults has fired: every failing fault on at least one
   * request, the restart, and (of the delayed methods) at least one. Undefined when nothing was armed.
   */
  faultsFired(): boolean | undefined {
    const checks = [
      ...this.armed.map(fault => fault.budget.fired),
      ...(this.restartArmed ? [this.restart === undefined] : []),
      ...(this.methodDelays.size > 0 ? [this.delayed] : [])
    ]
    return checks.length > 0 ? checks.every(Boolean) : undefined
  }

  /** Takes the fault that applies to this request, if any. */
  takeFault(endpoint: Endpoint, methodName?: string): FaultKind | undefined {
    const fault = this.faults.find(
      f => (!f.endpoints || f.endpoints.includes(endpoint)) && (!f.methodName || f.methodName === methodName)
    )
    if (!fault || !fault.budget.take()) return undefined
    if (fault.budget.spent) this.faults = this.faults.filter(f => f !== fault)
    return fault.kind
  }
}

/** What reached the replica, so that tests can assert which calls a client made. */
export interface RequestRecord {
  endpoint: Endpoint
  /** The interface version in the path: /api/v2, v3 or v4. */
  version: number
  /** The canister the call is addressed to: `aaaaa-aa` for the management canister. */
  canisterId?: string
  /** The canister in the URL path: for a management call, the canister it is about. */
  effectiveCanisterId?: string
  /** For a subnet's read_state (/api/v3/subnet/<id>/read_state). */
  subnetId?: string
  methodName?: string
  sender?: string
}
