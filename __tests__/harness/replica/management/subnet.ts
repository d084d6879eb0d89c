// The subnet's replicated state: canisters, their snapshots and the canister id allocator.
import type { Principal } from '@icp-sdk/core/principal'
import { Canister, type Snapshot } from './canister.js'
import { errors } from './errors.js'
import { canisterIdFromIndex, displaySnapshotId, toHex } from './ids.js'
import { mainnetRules, type SubnetRules } from './rules.js'

// The first id a local dfx replica hands out (bkyz2-fmaaa-aaaaa-qaaaq-cai), so ids look familiar.
const FIRST_CANISTER_INDEX = 0x8000_0000_0010_0001n
/** Provisional creation without `amount` (replica config `default_provisional_cycles_balance`). */
export const DEFAULT_PROVISIONAL_CYCLES = 100_000_000_000_000n
/** interface spec, "canister_settings": at most 10 controllers. */
export const MAX_CONTROLLERS = 10

export class Subnet {
  private readonly canisters = new Map<string, Canister>()
  /** Every snapshot on the subnet, by hex id. */
  private readonly snapshots = new Map<string, Snapshot>()
  private nextCanisterIndex = FIRST_CANISTER_INDEX
  /** Canisters changed since the state dir last saved them (by text id). */
  readonly touched = new Set<string>()
  /** Test control: memory the rest of the subnet holds, which drives the storage reservation (cycles.ts). */
  otherMemoryUsage = 0n
  /** Rate limits and delays of mainnet; the replica's controls hand in theirs (rules.ts). */
  rules: SubnetRules = mainnetRules()

  constructor(
    readonly now: () => bigint,
    readonly subnetId: Principal
  ) {}

  createCanister(controllers: Principal[], cycles: bigint, specifiedId?: Principal): Canister {
    if (controllers.length > MAX_CONTROLLERS)
      throw errors.invalidSettings(`Invalid settings: At most ${MAX_CONTROLLERS} controllers are allowed.`)
    let id = specifiedId
    if (id) {
      if (this.canisters.has(id.toText())) throw errors.canisterIdAlreadyExists(id)
    } else {
      do id = canisterIdFromIndex(this.nextCanisterIndex++)
      while (this.canisters.has(id.toText()))
    }
    const canister = new Canister(id, dedupe(controllers), cycles)
    this.canisters.set(id.toText(), canister)
    this.touched.add(id.toText())
    return canister
  }

  /** Every canister, in creation order. */
  allCanisters(): Canister[] {
    return [...this.canisters.values()]
  }

  /** The index the next created canister's id comes from. */
  get canisterIndex(): bigint {
    return this.nextCanisterIndex
  }

  set canisterIndex(index: bigint) {
    this.nextCanisterIndex = index
  }

  /** Puts back a canister and its snapshots read from a state dir. */
  adopt(canister: Canister, snapshots: Snapshot[]): void {
    this.canisters.set(canister.id.toText(), canister)
    for (const snapshot of snapshots) this.addSnapshot(snapshot)
  }

  canister(id: Principal): Canister | undefined {
    return this.canisters.get(id.toText())
  }

  /** The canister, or the replica's "not found" reject. */
  existing(id: Principal): Canister {
    const canister = this.canister(id)
    if (!canister) throw errors.canisterNotFound(id)
    return canister
  }

  /** The canister if `sender` controls it (`validate_controller`), else the replica's reject. */
  controlledBy(id: Principal, sender: Principal): Canister {
    const canister = this.existing(id)
    if (!canister.isController(sender)) throw errors.invalidController(id, canister.controllers, sender)
    return canister
  }

  deleteCanister(canister: Canister): void {
    for (const snapshot of this.snapshotsOf(canister.id)) this.snapshots.delete(toHex(snapshot.id))
    this.canisters.delete(canister.id.toText())
  }

  /** A canister's snapshots in id order (the replica keeps them in a BTreeSet of ids). */
  snapshotsOf(canisterId: Principal): Snapshot[] {
    const owner = canisterId.toText()
    return [...this.snapshots.values()]
      .filter(s => s.canisterId.toText() === owner)
      .sort((a, b) => Buffer.compare(a.id, b.id))
  }

  findSnapshot(id: Uint8Array): Snapshot | undefined {
    return this.snapshots.get(toHex(id))
  }

  /** `CanisterManager::get_snapshot`: the snapshot if it exists and belongs to the canister. */
  snapshotOf(canister: Canister, id: Uint8Array): Snapshot {
    const snapshot = this.findSnapshot(id)
    if (!snapshot) throw errors.snapshotNotFound(canister.id, displaySnapshotId(id))
    if (snapshot.canisterId.compareTo(canister.id) !== 'eq')
      throw errors.snapshotInvalidOwnership(canister.id, displaySnapshotId(id))
    return snapshot
  }

  addSnapshot(snapshot: Snapshot): void {
    this.snapshots.set(toHex(snapshot.id), snapshot)
  }

  removeSnapshot(snapshot: Snapshot): void {
    this.snapshots.delete(toHex(snapshot.id))
  }
}

export function dedupe(principals: Principal[]): Principal[] {
  const seen = new Map(principals.map(p => [p.toText(), p]))
  return [...seen.values()]
}
