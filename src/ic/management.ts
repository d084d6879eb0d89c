// The management-canister calls the modes need, with retries and the IC's answers in plain shapes.
import { Cbor } from '@icp-sdk/core/agent'
import { Principal } from '@icp-sdk/core/principal'
import type { IcConnection } from './connect.js'
import type { CyclesFacts } from './cycles.js'
import { waitUntilLoadable } from './rate-limits.js'
import { withRetry } from './retry.js'
import { snapshotIdFromHex, snapshotIdToHex } from './snapshot-id.js'

export type RunStatus = 'running' | 'stopping' | 'stopped'

export interface CanisterState {
  status: RunStatus
  moduleHash?: string
  controllers: string[]
  memorySize: bigint
  cycles: bigint
  /** What the cycles preflight needs (./cycles.ts). */
  cyclesFacts: CyclesFacts
}

export interface SnapshotInfo {
  id: string
  takenAtNs: bigint
  sizeBytes: bigint
}

/** Public facts from the certified state tree: anyone may read them, so they work before any permission check. */
export interface CanisterFacts {
  controllers: string[]
  moduleHash?: string
}

function toSnapshotInfo(s: {
  id: Uint8Array | number[]
  taken_at_timestamp: bigint
  total_size: bigint
}): SnapshotInfo {
  return {
    id: snapshotIdToHex(new Uint8Array(s.id)),
    takenAtNs: s.taken_at_timestamp,
    sizeBytes: s.total_size
  }
}

export class Management {
  constructor(private readonly ic: IcConnection) {}

  async facts(canisterId: Principal): Promise<CanisterFacts> {
    return withRetry(`Reading controllers of ${canisterId.toText()}`, async () => {
      const state = await this.ic.agent.canisterState(canisterId, ['controllers', 'module_hash'])
      // The controllers leaf is a CBOR array of principals' bytes; a canister with no code has no hash leaf.
      const encoded = state.get('controllers')
      const controllers = encoded
        ? Cbor.decode<Uint8Array[]>(encoded).map(p => Principal.fromUint8Array(p))
        : []
      const hash = state.get('module_hash')
      const moduleHash = hash ? Buffer.from(hash).toString('hex') : undefined
      return { controllers: controllers.map(c => c.toText()), ...(moduleHash ? { moduleHash } : {}) }
    })
  }

  async status(canisterId: Principal): Promise<CanisterState> {
    const reply = await withRetry(`canister_status of ${canisterId.toText()}`, () =>
      this.ic.management.canisterStatus({ canisterId })
    )
    const status: RunStatus =
      'running' in reply.status ? 'running' : 'stopping' in reply.status ? 'stopping' : 'stopped'
    const [hash] = reply.module_hash
    return {
      status,
      ...(hash ? { moduleHash: Buffer.from(hash).toString('hex') } : {}),
      controllers: reply.settings.controllers.map(c => c.toText()),
      memorySize: reply.memory_size,
      cycles: reply.cycles,
      cyclesFacts: {
        cycles: reply.cycles,
        reservedCycles: reply.reserved_cycles,
        freezingThresholdSeconds: reply.settings.freezing_threshold,
        memorySize: reply.memory_size,
        snapshotsSize: reply.memory_metrics.snapshots_size,
        idleCyclesBurnedPerDay: reply.idle_cycles_burned_per_day
      }
    }
  }

  async stop(canisterId: Principal): Promise<void> {
    await withRetry(`stop_canister ${canisterId.toText()}`, () => this.ic.management.stopCanister(canisterId))
  }

  async start(canisterId: Principal): Promise<void> {
    await withRetry(`start_canister ${canisterId.toText()}`, () =>
      this.ic.management.startCanister(canisterId)
    )
  }

  async listSnapshots(canisterId: Principal): Promise<SnapshotInfo[]> {
    const snapshots = await withRetry(`list_canister_snapshots of ${canisterId.toText()}`, () =>
      this.ic.management.listCanisterSnapshots({ canisterId })
    )
    return snapshots
      .map(toSnapshotInfo)
      .sort((a, b) => (a.takenAtNs < b.takenAtNs ? -1 : a.takenAtNs > b.takenAtNs ? 1 : 0))
  }

  /**
   * Not retried blindly: a new attempt is a new request, and a snapshot taken by a call whose answer was lost
   * would be taken twice. After a transient failure the list shows whether the first attempt went through.
   */
  async takeSnapshot(
    canisterId: Principal,
    replace?: string,
    // interface spec 0.54.0, take_canister_snapshot's `uninstall_code`: the code goes in the same message
    // that takes the snapshot, so no call can change the state between the two.
    options: { uninstallCode?: boolean } = {}
  ): Promise<SnapshotInfo> {
    const before = new Set((await this.listSnapshots(canisterId)).map(s => s.id))
    return withRetry(`take_canister_snapshot of ${canisterId.toText()}`, async () => {
      const arrived = (await this.listSnapshots(canisterId)).filter(s => !before.has(s.id))
      if (arrived.length > 0) return arrived[arrived.length - 1]
      const taken = await this.ic.management.takeCanisterSnapshot({
        canisterId,
        ...(replace ? { snapshotId: snapshotIdFromHex(replace) } : {}),
        ...(options.uninstallCode ? { uninstallCode: true } : {})
      })
      return toSnapshotInfo(taken)
    })
  }

  /** A snapshot of another canister may not be loadable yet (IC0406): that is waited out (rate-limits.ts). */
  async loadSnapshot(canisterId: Principal, snapshotId: string): Promise<void> {
    const operation = `load_canister_snapshot ${snapshotId} into ${canisterId.toText()}`
    await waitUntilLoadable(operation, () =>
      withRetry(operation, () =>
        this.ic.management.loadCanisterSnapshot({ canisterId, snapshotId: snapshotIdFromHex(snapshotId) })
      )
    )
  }

  async deleteSnapshot(canisterId: Principal, snapshotId: string): Promise<void> {
    await withRetry(`delete_canister_snapshot ${snapshotId} of ${canisterId.toText()}`, () =>
      this.ic.management.deleteCanisterSnapshot({ canisterId, snapshotId: snapshotIdFromHex(snapshotId) })
    )
  }

  async readSnapshotModule(canisterId: Principal, snapshotId: string): Promise<Uint8Array> {
    const id = snapshotIdFromHex(snapshotId)
    const metadata = await withRetry(`read_canister_snapshot_metadata ${snapshotId}`, () =>
      this.ic.management.readCanisterSnapshotMetadata({ canisterId, snapshotId: id })
    )
    const parts: Uint8Array[] = []
    for (let offset = 0n; offset < metadata.wasmModuleSize; offset += READ_SLICE) {
      const size =
        metadata.wasmModuleSize - offset < READ_SLICE ? metadata.wasmModuleSize - offset : READ_SLICE
      const { chunk } = await withRetry(`read_canister_snapshot_data ${snapshotId}`, () =>
        this.ic.management.readCanisterSnapshotData({
          canisterId,
          snapshotId: id,
          kind: { wasmModule: { offset, size } }
        })
      )
      parts.push(chunk)
    }
    return Buffer.concat(parts)
  }
}

// interface spec, read_canister_snapshot_data: at most 2,000,000 bytes per slice (icp-cli MAX_CHUNK_SIZE).
export const READ_SLICE = 2_000_000n
