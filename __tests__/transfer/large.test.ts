// A multi-MiB snapshot moves with several slices in flight, never more than asked for, and arrives with the
// same bytes icp-cli downloads.
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
  type InFlight,
  type TransferFixture
} from './snapshot-fixture.js'

let fixture: TransferFixture & { inFlight: InFlight }

beforeAll(async () => {
  fixture = await startFixture({ icp: true })
})

afterAll(async () => {
  await fixture?.cleanup()
})

it('a 28 MiB snapshot downloads with bounded parallel slices, byte-identical to icp-cli, and uploads back', async () => {
  // 24 MiB of stable memory (init wrote its first page) and 4 MiB of heap, filled with incompressible bytes.
  const source = await seedCounter(fixture, 2024n, { stablePages: 383, heapPages: 62, seed: 11n })
  const { id } = await fixture.management.takeSnapshot(source)
  const concurrency = 6

  const ours = fixture.dir('ours')
  fixture.inFlight.reset()
  const { result: downloaded, methods } = await callsDuring(fixture.replica, () =>
    downloadSnapshot({
      connection: fixture.connection,
      canisterId: source,
      snapshotId: id,
      dir: ours,
      concurrency,
      onProgress: () => undefined
    })
  )
  const { metadata } = downloaded
  expect(metadata.stableMemorySize).toBe(24n * 1024n * 1024n)
  const slices = [metadata.wasmModuleSize, metadata.wasmMemorySize, metadata.stableMemorySize].reduce(
    (sum, size) => sum + Math.ceil(Number(size) / 2_000_000),
    0
  )
  expect(count(methods, 'read_canister_snapshot_data')).toBe(slices)
  expect(fixture.inFlight.max).toBeGreaterThan(1)
  expect(fixture.inFlight.max).toBeLessThanOrEqual(concurrency)

  const theirs = fixture.dir('icp')
  const icpStarted = performance.now()
  await (fixture.icp as IcpCli).snapshotDownload(source.toText(), id, theirs, { timeoutMs: 120_000 })
  const icpSeconds = (performance.now() - icpStarted) / 1000
  expect(await treeHashes(ours, icpCliFiles)).toEqual(await treeHashes(theirs))

  const target = fixture.replica.state.createCanister(fixture.controllers)
  fixture.inFlight.reset()
  const uploaded = await uploadSnapshot({
    connection: fixture.connection,
    canisterId: target,
    dir: ours,
    concurrency,
    onProgress: () => undefined
  })
  expect(fixture.inFlight.max).toBeGreaterThan(1)
  expect(fixture.inFlight.max).toBeLessThanOrEqual(concurrency)
  await fixture.management.loadSnapshot(target, uploaded.snapshotId)
  expect(await counterValue(fixture, target)).toBe(2024n)

  const rate = (bytes: number, seconds: number) => `${(bytes / 1e6 / seconds).toFixed(1)} MB/s`
  console.log(
    `${(downloaded.bytes / 1e6).toFixed(1)} MB on the test replica: download ${rate(downloaded.bytes, downloaded.seconds)} ` +
      `(icp-cli ${rate(downloaded.bytes, icpSeconds)}), upload ${rate(uploaded.bytes, uploaded.seconds)}, ` +
      `${concurrency} in flight`
  )
}, 120_000)
