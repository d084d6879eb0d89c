// A snapshot's total_size as the IC counts it (dfinity/ic, rs/replicated_state: CanisterState::
// snapshot_size_bytes for a taken snapshot, ValidatedSnapshotMetadata::snapshot_size_bytes plus the chunks
// uploaded for an uploaded one): module, memories, certified data, 16 bytes per global, and 1 MiB per chunk
// of the chunk store, however short the chunk.
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import type { Principal } from '@icp-sdk/core/principal'
import { agentFor, managementFor } from '../harness/agent.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'

const MiB = 1024n * 1024n
const owner = Ed25519KeyIdentity.generate()
let replica: Replica
let ic: ReturnType<typeof managementFor>

beforeAll(async () => {
  replica = await startReplica()
  ic = managementFor(await agentFor(replica, owner))
})
afterAll(async () => {
  await replica?.stop()
})

/** The sum of a snapshot's parts, read back from its metadata, chunks at 1 MiB each. */
async function countedSize(canisterId: Principal, snapshotId: Uint8Array): Promise<bigint> {
  const metadata = await ic.readCanisterSnapshotMetadata({ canisterId, snapshotId })
  return (
    metadata.wasmModuleSize +
    metadata.wasmMemorySize +
    metadata.stableMemorySize +
    BigInt(metadata.certifiedData.length) +
    16n * BigInt(metadata.globals.length) +
    MiB * BigInt(metadata.wasmChunkStore.length)
  )
}

async function listedSize(canisterId: Principal, snapshotId: Uint8Array): Promise<bigint> {
  const listed = await ic.listCanisterSnapshots({ canisterId })
  const found = listed.find(s => Buffer.from(s.id).equals(Buffer.from(snapshotId)))
  if (!found) throw new Error('the snapshot is not listed')
  return found.total_size
}

it('counts each chunk of a taken snapshot as 1 MiB, however short', async () => {
  const canisterId = await replica.seedCanister('counter', [owner.getPrincipal()])
  const bare = await ic.takeCanisterSnapshot({ canisterId })
  for (const fill of [1, 2, 3]) await ic.uploadChunk({ canisterId, chunk: new Uint8Array(10).fill(fill) })
  const taken = await ic.takeCanisterSnapshot({ canisterId })

  expect(taken.total_size - bare.total_size).toBe(3n * MiB)
  expect(taken.total_size).toBe(await countedSize(canisterId, taken.id))
  expect(await listedSize(canisterId, taken.id)).toBe(taken.total_size)
})

it('counts an uploaded snapshot the same way, its chunks as they arrive', async () => {
  const source = await replica.seedCanister('counter', [owner.getPrincipal()])
  await ic.uploadChunk({ canisterId: source, chunk: new Uint8Array(1000).fill(7) })
  const taken = await ic.takeCanisterSnapshot({ canisterId: source })
  const metadata = await ic.readCanisterSnapshotMetadata({ canisterId: source, snapshotId: taken.id })

  const target = await replica.seedCanister('counter', [owner.getPrincipal()])
  const { snapshot_id: uploaded } = await ic.uploadCanisterSnapshotMetadata({ canisterId: target, metadata })
  expect(await listedSize(target, uploaded)).toBe(taken.total_size - MiB)
  await ic.uploadCanisterSnapshotData({
    canisterId: target,
    snapshotId: uploaded,
    kind: { wasmChunk: null } as never,
    chunk: new Uint8Array(1000).fill(7)
  })
  expect(await listedSize(target, uploaded)).toBe(taken.total_size)
})
