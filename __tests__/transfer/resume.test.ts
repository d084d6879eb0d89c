// A transfer that loses the IC half-way keeps what it moved; run again with resume, it moves only the rest and
// ends with the same bytes as an uninterrupted one.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Principal } from '@icp-sdk/core/principal'
import { downloadSnapshot } from '../../src/transfer/download.js'
import type { TransferProgress } from '../../src/transfer/progress-log.js'
import { uploadSnapshot } from '../../src/transfer/upload.js'
import {
  callsDuring,
  count,
  counterValue,
  seedCounter,
  startFixture,
  isMemoryFile,
  memoryHashesOf,
  treeHashes,
  type TransferFixture
} from './snapshot-fixture.js'

let fixture: TransferFixture
let source: Principal
let snapshotId: string
let reference: string
let slices: number

beforeAll(async () => {
  fixture = await startFixture()
  // 12 MiB of stable memory: 7 slices, plus one each for the module and the heap.
  source = await seedCounter(fixture, 555n, { stablePages: 191, seed: 5n })
  snapshotId = (await fixture.management.takeSnapshot(source)).id
  reference = fixture.dir('reference')
  const { metadata } = await downloadSnapshot({
    connection: fixture.connection,
    canisterId: source,
    snapshotId,
    dir: reference,
    onProgress: () => undefined
  })
  slices = [metadata.wasmModuleSize, metadata.wasmMemorySize, metadata.stableMemorySize].reduce(
    (sum, size) => sum + Math.ceil(Number(size) / 2_000_000),
    0
  )
}, 120_000)

afterAll(async () => {
  await fixture?.cleanup()
})

afterEach(() => fixture.replica.controls.clearFaults())

/** A progress listener that makes every later call of `method` fail with a 503 once a third is done. */
function failAfterAThird(method: string): (p: TransferProgress) => void {
  let armed = false
  return p => {
    if (armed || p.doneBytes < p.totalBytes / 3) return
    armed = true
    fixture.replica.controls.failNext(10_000, '5xx', ['call'], method)
  }
}

it('an interrupted download resumes where it stopped and ends byte-identical', async () => {
  const dir = fixture.dir('interrupted')
  const options = { connection: fixture.connection, canisterId: source, snapshotId, dir, concurrency: 2 }

  const first = downloadSnapshot({ ...options, onProgress: failAfterAThird('read_canister_snapshot_data') })
  await expect(first).rejects.toThrow(
    new RegExp(
      `^Download of snapshot ${snapshotId} of ${source.toText()} stopped: .*503.* are kept in ${dir} .*fetches only the rest`
    )
  )
  const saved = JSON.parse(await readFile(join(dir, '.download_progress.json'), 'utf8'))
  expect(Object.keys(saved)).toEqual(['wasm_module', 'wasm_memory', 'stable_memory'])
  expect(saved.stable_memory.frontier + saved.stable_memory.ahead.length).toBeGreaterThan(0)

  fixture.replica.controls.clearFaults()
  const { result, methods } = await callsDuring(fixture.replica, () =>
    downloadSnapshot({ ...options, resume: true, onProgress: () => undefined })
  )
  expect(result.resumed).toBe(true)
  const reads = count(methods, 'read_canister_snapshot_data')
  expect(reads).toBeGreaterThan(0)
  expect(reads).toBeLessThan(slices)
  expect(await treeHashes(dir)).toEqual(await treeHashes(reference))
}, 120_000)

it('an interrupted upload resumes into the same snapshot and the canister then runs its state', async () => {
  const target = fixture.replica.state.createCanister(fixture.controllers)
  const options = { connection: fixture.connection, canisterId: target, dir: reference, concurrency: 2 }

  const first = uploadSnapshot({
    ...options,
    resume: true,
    onProgress: failAfterAThird('upload_canister_snapshot_data')
  })
  await expect(first).rejects.toThrow(
    /stopped: .*503.* are recorded in .*\.upload_progress\.json; an upload of the same directory sends only the rest/
  )
  // Beside the directory, not in it: nothing inside a directory that is uploaded may steer its upload.
  await expect(readFile(join(reference, '.upload_progress.json'))).rejects.toThrow(/ENOENT/)
  const saved = JSON.parse(await readFile(`${reference}.upload_progress.json`, 'utf8'))
  expect(saved).toMatchObject({ metadata_uploaded: true, wasm_chunks_uploaded: [] })
  expect(saved.wasm_module_offset + saved.wasm_memory_offset + saved.stable_memory_offset).toBeGreaterThan(0)

  fixture.replica.controls.clearFaults()
  const { result, methods } = await callsDuring(fixture.replica, () =>
    uploadSnapshot({ ...options, resume: true, onProgress: () => undefined })
  )
  expect(result).toMatchObject({ snapshotId: saved.snapshot_id, resumed: true })
  expect(count(methods, 'upload_canister_snapshot_metadata')).toBe(0)
  const uploads = count(methods, 'upload_canister_snapshot_data')
  expect(uploads).toBeGreaterThan(0)
  expect(uploads).toBeLessThan(slices)

  await fixture.management.loadSnapshot(target, result.snapshotId)
  expect(await counterValue(fixture, target)).toBe(555n)
  expect(await memoryHashesOf(fixture, target, result.snapshotId, 'back')).toEqual(
    await treeHashes(reference, isMemoryFile)
  )
}, 120_000)
