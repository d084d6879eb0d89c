// A snapshot downloaded to disk becomes a snapshot of another canister, which then runs the first one's state.
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseManifest, parseSha256Sums } from '../../src/snapshot-dir/checksums.js'
import { verifySnapshotDir } from '../../src/snapshot-dir/verify.js'
import { downloadSnapshot } from '../../src/transfer/download.js'
import type { TransferProgress } from '../../src/transfer/progress-log.js'
import { uploadSnapshot } from '../../src/transfer/upload.js'
import {
  counterValue,
  seedCounter,
  startFixture,
  isMemoryFile,
  memoryHashesOf,
  treeHashes,
  type TransferFixture
} from './snapshot-fixture.js'

let fixture: TransferFixture

beforeAll(async () => {
  fixture = await startFixture()
})

afterAll(async () => {
  await fixture?.cleanup()
})

it('a downloaded snapshot uploads to a second canister, which then holds the counter value', async () => {
  const source = await seedCounter(fixture, 41n, { stablePages: 40, heapPages: 8 })
  const { id: snapshotId } = await fixture.management.takeSnapshot(source)
  const dir = fixture.dir('download')

  const progress: TransferProgress[] = []
  const downloaded = await downloadSnapshot({
    connection: fixture.connection,
    canisterId: source,
    snapshotId,
    dir,
    concurrency: 4,
    onProgress: p => progress.push(p)
  })
  expect(downloaded.resumed).toBe(false)
  expect((await readdir(dir)).sort()).toEqual(
    [
      'SHA256SUMS',
      'manifest.json',
      'metadata.json',
      'stable_memory.bin',
      'wasm_chunk_store',
      'wasm_memory.bin',
      'wasm_module.bin'
    ].sort()
  )
  const total = Number(
    downloaded.metadata.wasmModuleSize +
      downloaded.metadata.wasmMemorySize +
      downloaded.metadata.stableMemorySize
  )
  expect(downloaded.bytes).toBe(total)
  expect(progress.at(-1)).toMatchObject({ direction: 'download', doneBytes: total, totalBytes: total })

  // SHA256SUMS and manifest.json describe exactly what is on disk.
  const sums = parseSha256Sums(await readFile(join(dir, 'SHA256SUMS'), 'utf8'))
  const hashes = await treeHashes(dir)
  expect(Object.fromEntries(sums)).toEqual(
    Object.fromEntries(Object.entries(hashes).filter(([p]) => p !== 'SHA256SUMS'))
  )
  const manifest = parseManifest(await readFile(join(dir, 'manifest.json'), 'utf8'))
  expect(manifest).toMatchObject({
    format: 1,
    canister: source.toText(),
    snapshot_id: snapshotId,
    module_hash: hashes['wasm_module.bin'],
    taken_at_ns: downloaded.metadata.takenAtTimestamp.toString(),
    total_bytes: total
  })
  expect((await fixture.management.status(source)).moduleHash).toBe(manifest.module_hash)

  const verified = await verifySnapshotDir(dir)
  expect(verified.checksums).toBe('sha256sums')
  expect(verified.totalBytes).toBe(BigInt(total))

  const target = fixture.replica.state.createCanister(fixture.controllers)
  const uploaded = await uploadSnapshot({
    connection: fixture.connection,
    canisterId: target,
    dir,
    concurrency: 4,
    onProgress: () => undefined
  })
  expect(uploaded.snapshotId).not.toBe(snapshotId)
  expect(uploaded.bytes).toBe(total)
  expect((await readdir(dir)).filter(name => name.startsWith('.'))).toEqual([])

  await fixture.management.loadSnapshot(target, uploaded.snapshotId)
  expect(await counterValue(fixture, target)).toBe(41n)
  expect((await fixture.management.status(target)).moduleHash).toBe(manifest.module_hash)

  // Downloaded again, the uploaded snapshot has the same bytes in every memory.
  expect(await memoryHashesOf(fixture, target, uploaded.snapshotId, 'again')).toEqual(
    await treeHashes(dir, isMemoryFile)
  )
}, 60_000)

it('refuses a directory that is not empty unless resuming', async () => {
  const source = await seedCounter(fixture, 5n)
  const { id: snapshotId } = await fixture.management.takeSnapshot(source)
  const dir = fixture.dir('twice')
  const options = {
    connection: fixture.connection,
    canisterId: source,
    snapshotId,
    dir,
    onProgress: () => undefined
  }
  await downloadSnapshot(options)
  await expect(downloadSnapshot(options)).rejects.toThrow(
    `Directory ${dir} is not empty. Use resume to continue a previous download or choose an empty directory.`
  )
  // Resuming a finished download verifies it and reads nothing from the IC.
  const before = fixture.replica.requests.length
  const resumed = await downloadSnapshot({ ...options, resume: true })
  expect(resumed).toMatchObject({ bytes: 0, resumed: true })
  expect(fixture.replica.requests.slice(before).map(r => r.methodName)).toEqual([
    'read_canister_snapshot_metadata'
  ])
  // One that no longer matches its SHA256SUMS is fetched again.
  const intact = await treeHashes(dir)
  await writeFile(join(dir, 'wasm_memory.bin'), new Uint8Array(Number(resumed.metadata.wasmMemorySize)))
  const repaired = await downloadSnapshot({ ...options, resume: true })
  expect(repaired.bytes).toBeGreaterThan(0)
  expect(await treeHashes(dir)).toEqual(intact)

  // A directory holding another snapshot is not mixed with this one.
  const otherCanister = await seedCounter(fixture, 6n)
  const other = await fixture.management.takeSnapshot(otherCanister)
  await expect(
    downloadSnapshot({ ...options, snapshotId: other.id, canisterId: otherCanister, resume: true })
  ).rejects.toThrow(/Cannot resume: .*metadata\.json is not the metadata of snapshot/)
}, 60_000)
