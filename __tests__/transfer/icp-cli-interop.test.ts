// The action and icp-cli 1.5.0 read and write the same snapshot directories: each uploads what the other
// downloaded, metadata.json comes out byte for byte the same, and each resumes the other's interrupted download.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { snapshotIdToHex } from '../../src/ic/snapshot-id.js'
import { encodeMetadataJson, parseMetadataJson } from '../../src/snapshot-dir/metadata.js'
import { verifySnapshotDir } from '../../src/snapshot-dir/verify.js'
import { downloadSnapshot } from '../../src/transfer/download.js'
import { uploadSnapshot } from '../../src/transfer/upload.js'
import type { IcpCli } from '../harness/icp-cli.js'
import {
  callsDuring,
  count,
  counterValue,
  icpCliFiles,
  seedCounter,
  startFixture,
  treeHashes,
  type TransferFixture
} from './snapshot-fixture.js'

let fixture: TransferFixture
let icp: IcpCli
const quiet = { onProgress: () => undefined }

beforeAll(async () => {
  fixture = await startFixture({ icp: true })
  icp = fixture.icp as IcpCli
})

afterAll(async () => {
  await fixture?.cleanup()
})

afterEach(() => fixture.replica.controls.clearFaults())

it('a directory downloaded by icp-cli uploads with uploadSnapshot and loads into another canister', async () => {
  const source = await seedCounter(fixture, 1234n, { stablePages: 20, heapPages: 4 })
  const { id } = await fixture.management.takeSnapshot(source)
  const dir = fixture.dir('icp-download')
  await icp.snapshotDownload(source.toText(), id, dir)

  const verified = await verifySnapshotDir(dir)
  expect(verified.checksums).toBe('sizes-only')
  const target = fixture.replica.state.createCanister(fixture.controllers)
  const { snapshotId } = await uploadSnapshot({
    connection: fixture.connection,
    canisterId: target,
    dir,
    ...quiet
  })
  await fixture.management.loadSnapshot(target, snapshotId)
  expect(await counterValue(fixture, target)).toBe(1234n)
}, 60_000)

it('a directory written by downloadSnapshot uploads with `icp canister snapshot upload` and loads', async () => {
  const source = await seedCounter(fixture, 4321n, { stablePages: 20, heapPages: 4 })
  const { id } = await fixture.management.takeSnapshot(source)
  const dir = fixture.dir('our-download')
  await downloadSnapshot({
    connection: fixture.connection,
    canisterId: source,
    snapshotId: id,
    dir,
    ...quiet
  })

  const target = fixture.replica.state.createCanister(fixture.controllers)
  const uploaded = await icp.snapshotUpload(target.toText(), dir)
  await icp.snapshotRestore(target.toText(), uploaded).catch(async () => {
    // icp-cli restores only a stopped canister.
    await icp.stop(target.toText())
    await icp.snapshotRestore(target.toText(), uploaded)
    await icp.start(target.toText())
  })
  expect(await counterValue(fixture, target)).toBe(4321n)
}, 60_000)

it('both tools write the same bytes for a taken snapshot', async () => {
  const source = await seedCounter(fixture, 99n, { stablePages: 10, heapPages: 2 })
  const { id } = await fixture.management.takeSnapshot(source)
  const theirs = fixture.dir('icp')
  const ours = fixture.dir('ours')
  await icp.snapshotDownload(source.toText(), id, theirs)
  await downloadSnapshot({
    connection: fixture.connection,
    canisterId: source,
    snapshotId: id,
    dir: ours,
    ...quiet
  })

  expect(await readFile(join(ours, 'metadata.json'), 'utf8')).toBe(
    await readFile(join(theirs, 'metadata.json'), 'utf8')
  )
  expect(await treeHashes(ours, icpCliFiles)).toEqual(await treeHashes(theirs))
  expect((await readdir(join(ours, 'wasm_chunk_store'))).length).toBe(0)
}, 60_000)

it('metadata.json is byte-identical to icp-cli for every kind of global, timer, hook status and chunk', async () => {
  const canister = await seedCounter(fixture, 1n)
  // Chunks in the canister's store are part of its snapshots.
  await fixture.connection.management.uploadChunk({ canisterId: canister, chunk: new Uint8Array([1, 2, 3]) })
  await fixture.connection.management.uploadChunk({
    canisterId: canister,
    chunk: new Uint8Array(5000).fill(9)
  })
  const taken = await fixture.management.takeSnapshot(canister)
  // A snapshot created from metadata may carry any globals (the replica checks them only when loading).
  const { snapshot_id } = await fixture.connection.management.uploadCanisterSnapshotMetadata({
    canisterId: canister,
    metadata: {
      globals: [
        { i32: -7 },
        { i64: -(2n ** 63n) },
        { i64: 2n ** 62n + 1n },
        { f32: Math.fround(1.1) },
        { f32: Math.fround(3.4e38) },
        { f32: Math.fround(1e-7) },
        { f64: 1e300 },
        { f64: -0 },
        { f64: 0.000012 },
        { f64: 1e16 },
        { f64: 1.2e-6 },
        { v128: 2n ** 100n + 5n },
        { v128: 0n }
      ],
      certifiedData: new Uint8Array([0, 1, 255]),
      globalTimer: { active: 2n ** 62n + 3n },
      onLowWasmMemoryHookStatus: { ready: null },
      wasmModuleSize: 10n,
      wasmMemorySize: 0n,
      stableMemorySize: 65_536n
    }
  })
  for (const id of [taken.id, snapshotIdToHex(snapshot_id)]) {
    const theirs = fixture.dir('icp')
    const ours = fixture.dir('ours')
    await icp.snapshotDownload(canister.toText(), id, theirs)
    await downloadSnapshot({
      connection: fixture.connection,
      canisterId: canister,
      snapshotId: id,
      dir: ours,
      ...quiet
    })
    const icpText = await readFile(join(theirs, 'metadata.json'), 'utf8')
    expect(await readFile(join(ours, 'metadata.json'), 'utf8')).toBe(icpText)
    expect(encodeMetadataJson(parseMetadataJson(icpText))).toBe(icpText)
    expect(await treeHashes(ours, icpCliFiles)).toEqual(await treeHashes(theirs))
  }
}, 60_000)

it("each tool resumes the other's interrupted download", async () => {
  const source = await seedCounter(fixture, 77n, { stablePages: 96, seed: 3n })
  const { id } = await fixture.management.takeSnapshot(source)
  const reference = fixture.dir('reference')
  await downloadSnapshot({
    connection: fixture.connection,
    canisterId: source,
    snapshotId: id,
    dir: reference,
    ...quiet
  })

  // icp-cli does not retry a 5xx: once the module and the heap are in, a failed read of stable memory stops
  // its download and leaves .download_progress.json.
  const byIcp = fixture.dir('icp-first')
  fixture.replica.controls.failNext(1, '5xx', ['call'], 'read_canister_snapshot_data', 2)
  await expect(icp.snapshotDownload(source.toText(), id, byIcp)).rejects.toThrow(/503|Service Unavailable/i)
  fixture.replica.controls.clearFaults()
  expect(await readdir(byIcp)).toContain('.download_progress.json')
  const { result, methods } = await callsDuring(fixture.replica, () =>
    downloadSnapshot({
      connection: fixture.connection,
      canisterId: source,
      snapshotId: id,
      dir: byIcp,
      resume: true,
      ...quiet
    })
  )
  expect(result.resumed).toBe(true)
  // 6 slices in all: the module, the heap and 4 of stable memory.
  expect(count(methods, 'read_canister_snapshot_data')).toBeLessThanOrEqual(4)
  expect(await treeHashes(byIcp, icpCliFiles)).toEqual(await treeHashes(reference, icpCliFiles))
  expect(await treeHashes(byIcp)).toEqual(await treeHashes(reference))

  // Ours stops after its retries; icp-cli finishes it from our progress file.
  const byUs = fixture.dir('ours-first')
  let armed = false
  await expect(
    downloadSnapshot({
      connection: fixture.connection,
      canisterId: source,
      snapshotId: id,
      dir: byUs,
      concurrency: 2,
      onProgress: p => {
        if (!armed && p.doneBytes > p.totalBytes / 3) {
          armed = true
          fixture.replica.controls.failNext(1000, '5xx', ['call'], 'read_canister_snapshot_data')
        }
      }
    })
  ).rejects.toThrow(/fetches only the rest/)
  fixture.replica.controls.clearFaults()
  await icp.snapshotDownload(source.toText(), id, byUs, { resume: true })
  expect(await treeHashes(byUs, icpCliFiles)).toEqual(await treeHashes(reference, icpCliFiles))
}, 90_000)
