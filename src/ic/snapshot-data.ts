// The snapshot data plane of the management canister (interface spec, read_canister_snapshot_metadata and the
// three methods after it): metadata, 2 MB slices of the memories and Wasm chunks, each call retried on
// transient failures.
import type {
  ReadCanisterSnapshotMetadataResponse,
  UploadCanisterSnapshotMetadataParam
} from '@icp-sdk/canisters/ic-management'
import type { Principal } from '@icp-sdk/core/principal'
import type { BlobKind } from '../snapshot-dir/layout.js'
import { certifiedManagementCall } from './certified-call.js'
import type { IcConnection } from './connect.js'
import { ActionError } from './errors.js'
import { READ_SLICE } from './management.js'
import { withRetry } from './retry.js'
import {
  decodeReadResult,
  encodeReadArgs,
  encodeUploadArgs,
  type ReadTarget,
  type UploadTarget
} from './snapshot-data-candid.js'
import { snapshotIdFromHex, snapshotIdToHex } from './snapshot-id.js'

/**
 * Bytes per read and per upload call. Reads may not exceed 2,000,000 (interface spec; replica
 * MAX_SLICE_SIZE_BYTES), and an upload of that many bytes plus its envelope stays under the 2 MiB ingress
 * limit; icp-cli and dfx use the same size both ways (MAX_CHUNK_SIZE).
 */
export const SLICE_SIZE = Number(READ_SLICE)

/** The data calls on one snapshot of one canister. */
export class SnapshotData {
  private readonly id: Uint8Array
  /** Told of each data call that failed and is tried again. */
  onRetry?: (error: unknown) => void

  constructor(
    private readonly ic: IcConnection,
    readonly canisterId: Principal,
    readonly snapshotId: string
  ) {
    this.id = snapshotIdFromHex(snapshotId)
  }

  async readMetadata(): Promise<ReadCanisterSnapshotMetadataResponse> {
    return withRetry(`read_canister_snapshot_metadata of snapshot ${this.snapshotId}`, () =>
      this.ic.management.readCanisterSnapshotMetadata({ canisterId: this.canisterId, snapshotId: this.id })
    )
  }

  /** `size` bytes of a memory from `offset`; at most SLICE_SIZE. */
  async readSlice(kind: BlobKind, offset: number, size: number): Promise<Uint8Array> {
    const chunk = await this.read(`read_canister_snapshot_data ${kind} at ${offset}`, {
      blob: kind,
      offset,
      size
    })
    if (chunk.length !== size)
      throw new ActionError(
        `read_canister_snapshot_data ${kind} at ${offset} returned ${chunk.length} bytes instead of ${size}`
      )
    return chunk
  }

  async readChunk(hash: Uint8Array): Promise<Uint8Array> {
    const hex = Buffer.from(hash).toString('hex')
    return this.read(`read_canister_snapshot_data wasm_chunk ${hex}`, { chunkHash: hash })
  }

  // Uploading the same bytes at the same offset twice leaves the snapshot as one upload does, and a chunk is
  // stored under its hash: so a call whose reply was lost is simply sent again.
  async uploadSlice(kind: BlobKind, offset: number, bytes: Uint8Array): Promise<void> {
    await this.upload(`upload_canister_snapshot_data ${kind} at ${offset}`, { blob: kind, offset }, bytes)
  }

  async uploadChunk(bytes: Uint8Array): Promise<void> {
    await this.upload(
      `upload_canister_snapshot_data wasm_chunk of ${bytes.length} bytes`,
      { chunk: true },
      bytes
    )
  }

  private async read(operation: string, target: ReadTarget): Promise<Uint8Array> {
    const arg = encodeReadArgs(this.canisterId, this.id, target)
    const reply = await withRetry(
      operation,
      () => certifiedManagementCall(this.ic, this.canisterId, 'read_canister_snapshot_data', arg),
      undefined,
      this.onRetry
    )
    return decodeReadResult(reply)
  }

  private async upload(operation: string, target: UploadTarget, bytes: Uint8Array): Promise<void> {
    const arg = encodeUploadArgs(this.canisterId, this.id, target, bytes)
    await withRetry(
      operation,
      () => certifiedManagementCall(this.ic, this.canisterId, 'upload_canister_snapshot_data', arg),
      undefined,
      this.onRetry
    )
  }
}

/**
 * Creates a snapshot from metadata (its memories zero-filled until uploaded) and returns its id, replacing
 * `replace` if given. Not idempotent: a retry after a lost reply would create a second snapshot (or find the
 * replaced one gone). So a retry first looks for a snapshot that appeared since the first attempt.
 */
export async function uploadSnapshotMetadata(
  ic: IcConnection,
  canisterId: Principal,
  metadata: UploadCanisterSnapshotMetadataParam,
  replace?: string
): Promise<string> {
  const listIds = async () =>
    new Set(
      (
        await withRetry(`list_canister_snapshots of ${canisterId.toText()}`, () =>
          ic.management.listCanisterSnapshots({ canisterId })
        )
      ).map(s => snapshotIdToHex(new Uint8Array(s.id)))
    )
  const before = await listIds()
  let attempt = 0
  return withRetry(`upload_canister_snapshot_metadata to ${canisterId.toText()}`, async () => {
    if (attempt++ > 0) {
      const arrived = [...(await listIds())].filter(id => !before.has(id))
      if (arrived.length > 0) return arrived[arrived.length - 1]
    }
    const { snapshot_id } = await ic.management.uploadCanisterSnapshotMetadata({
      canisterId,
      metadata,
      ...(replace ? { snapshotId: snapshotIdFromHex(replace) } : {})
    })
    return snapshotIdToHex(new Uint8Array(snapshot_id))
  })
}
