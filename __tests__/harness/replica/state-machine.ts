// The replica's state machine: executes ingress messages against the subnet's canisters and the management
// canister (aaaaa-aa). The HTTP layer calls it after checking envelopes and signatures.
import { Principal } from '@icp-sdk/core/principal'
import { installCode, run } from './management/code.js'
import { callManagement } from './management/dispatch.js'
import { chargeIngress } from './management/cycles.js'
import { Rejection, errors } from './management/errors.js'
import { Deferred } from './management/handler.js'
import { finishStopping } from './management/lifecycle.js'
import { settleHeapDeltaDebits } from './management/rate-limit.js'
import type { SubnetRules } from './management/rules.js'
import { DEFAULT_PROVISIONAL_CYCLES, Subnet } from './management/subnet.js'
import type { Ingress, Outcome } from './types.js'

export interface StateMachineOptions {
  /** Current time in nanoseconds since the epoch. */
  now?: () => bigint
  subnetId: Principal
  /** A subnet read from a state dir; a new, empty one otherwise. */
  subnet?: Subnet
  /** The mainnet rules to follow (the replica's controls); an application subnet's by default. */
  rules?: SubnetRules
}

const MANAGEMENT_CANISTER = Principal.managementCanister()

// Management methods that change nothing: the state dir need not save the canister they name again.
const READ_ONLY_METHODS = new Set([
  'canister_status',
  'stored_chunks',
  'list_canister_snapshots',
  'read_canister_snapshot_metadata',
  'read_canister_snapshot_data',
  'raw_rand'
])

export class StateMachine {
  private readonly subnet: Subnet
  // Messages execute one at a time, as on a canister's thread of execution; this also keeps a message that
  // awaits compilation from interleaving with another.
  private queue: Promise<unknown> = Promise.resolve()

  constructor(opts: StateMachineOptions) {
    this.subnet =
      opts.subnet ?? new Subnet(opts.now ?? (() => BigInt(Date.now()) * 1_000_000n), opts.subnetId)
    if (opts.rules) this.subnet.rules = opts.rules
  }

  /** Runs `task` between messages, when no execution is under way (the state dir saves this way). */
  /** Settles the rate-limit debits under the current rules, before a test changes them. */
  settleRules(): void {
    settleHeapDeltaDebits(this.subnet)
  }

  betweenMessages<T>(task: (subnet: Subnet) => Promise<T>): Promise<T> {
    return this.exclusive(() => task(this.subnet))
  }

  get subnetId(): Principal {
    return this.subnet.subnetId
  }

  /** Runs an update call. Resolves when the call completes; a stop_canister of a held canister stays pending. */
  async update(ingress: Ingress): Promise<Outcome> {
    const answer = await this.exclusive(() => this.execute(ingress, 'update'))
    return answer instanceof Deferred ? answer.reply : answer
  }

  /** A query: user canister queries keep no state; of the management canister only canister_status. */
  async query(ingress: Ingress): Promise<Outcome> {
    const answer = await this.exclusive(() => this.execute(ingress, 'query'))
    return answer instanceof Deferred ? answer.reply : answer
  }

  /** What read_state serves under canister/<id>/controllers and canister/<id>/module_hash. */
  canisterInfo(id: Principal): { controllers: Principal[]; moduleHash?: Uint8Array } | undefined {
    const canister = this.subnet.canister(id)
    if (!canister) return undefined
    return { controllers: [...canister.controllers], moduleHash: canister.code?.module.moduleHash }
  }

  /** Test control: creates a canister as provisional_create_canister_with_cycles does. */
  createCanister(controllers: Principal[], cycles: bigint = DEFAULT_PROVISIONAL_CYCLES): Principal {
    return this.subnet.createCanister(controllers, cycles).id
  }

  /** Test control: installs code directly (reinstalling a non-empty canister); throws if it fails. */
  async installCode(
    canisterId: Principal,
    wasm: Uint8Array,
    arg: Uint8Array = new Uint8Array()
  ): Promise<void> {
    await this.exclusive(async () => {
      try {
        const canister = this.subnet.existing(canisterId)
        this.subnet.touched.add(canisterId.toText())
        const mode = canister.code ? 'reinstall' : 'install'
        await installCode(canister, {
          caller: MANAGEMENT_CANISTER,
          mode,
          wasm,
          arg,
          timeNs: this.subnet.now()
        })
      } catch (error) {
        if (error instanceof Rejection)
          throw new Error(`installCode(${canisterId.toText()}): ${error.message}`)
        throw error
      }
    })
  }

  /**
   * Test control: while held, stop_canister leaves the canister stopping (and the call pending); releasing
   * the hold completes the stop.
   */
  holdInStopping(canisterId: Principal, hold: boolean): void {
    const canister = this.subnet.canister(canisterId)
    if (!canister) throw new Error(`holdInStopping: no canister ${canisterId.toText()}`)
    canister.holdInStopping = hold
    this.subnet.touched.add(canisterId.toText())
    if (!hold) finishStopping(canister)
  }

  /** Test control: sets a canister's cycles balance (and, optionally, its reserved cycles). */
  setCycles(canisterId: Principal, cycles: bigint, reserved?: bigint): void {
    const canister = this.subnet.canister(canisterId)
    if (!canister) throw new Error(`setCycles: no canister ${canisterId.toText()}`)
    canister.cycles = cycles
    if (reserved !== undefined) canister.reservedCycles = reserved
    this.subnet.touched.add(canisterId.toText())
  }

  /** A canister's balance and reserved cycles, for tests to read what was charged. */
  cyclesOf(canisterId: Principal): { cycles: bigint; reserved: bigint } | undefined {
    const canister = this.subnet.canister(canisterId)
    return canister && { cycles: canister.cycles, reserved: canister.reservedCycles }
  }

  /**
   * Test control: how much memory the rest of the subnet holds. Above 750 GiB growing memory reserves
   * cycles (and can hit a canister's reserved-cycles limit).
   */
  setOtherSubnetMemory(bytes: bigint): void {
    this.subnet.otherMemoryUsage = bytes
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task)
    this.queue = result.catch(() => undefined)
    return result
  }

  private async execute(ingress: Ingress, kind: 'update' | 'query'): Promise<Outcome | Deferred<Outcome>> {
    const management = ingress.canisterId.compareTo(MANAGEMENT_CANISTER) === 'eq'
    // Marked inside the message's turn, so that a save cannot run between the mark and the change.
    if (kind === 'update' && !(management && READ_ONLY_METHODS.has(ingress.methodName)))
      this.subnet.touched.add(ingress.effectiveCanisterId.toText())
    // Queries are free; an update's ingress is paid for before it executes.
    if (kind === 'update') {
      try {
        chargeIngress(this.subnet, ingress, management)
      } catch (error) {
        if (error instanceof Rejection) return error.outcome
        throw error
      }
      // A charge alone does not mark the canister for the state dir: a read-only call would save all of
      // it again. Its balance is saved with its next change.
    }
    if (management) return callManagement(this.subnet, ingress, kind)
    try {
      return this.callCanister(ingress, kind)
    } catch (error) {
      if (error instanceof Rejection) return error.outcome
      throw error
    }
  }

  // Ingress induction refuses stopped and stopping canisters; execution then needs a module. The runtime
  // answers unknown methods itself (and runs a query method called as an update without keeping changes).
  private callCanister(ingress: Ingress, kind: 'update' | 'query'): Outcome {
    const canister = this.subnet.canister(ingress.canisterId)
    if (!canister) throw errors.noSuchCanister(ingress.canisterId)
    if (canister.status === 'stopped') throw errors.canisterStopped(canister.id)
    if (canister.status === 'stopping') throw errors.canisterStopping(canister.id)
    const code = canister.code
    if (!code) throw errors.wasmModuleNotFound(canister.id)
    const ctx = {
      canisterId: canister.id,
      caller: ingress.sender,
      arg: ingress.arg,
      timeNs: this.subnet.now(),
      methodName: ingress.methodName
    }
    const reply = run(canister, () =>
      kind === 'update' ? code.instance.update(ctx) : code.instance.query(ctx)
    )
    return { status: 'replied', reply }
  }
}
