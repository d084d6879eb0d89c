// A snapshot directory that is not exactly what it claims to be is refused before the first byte goes to the
// IC, with one line that names the file and what is wrong with it.
import { createHash } from 'node:crypto'
import { appendFile, cp, open, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Principal } from '@icp-sdk/core/principal'
import { verifySnapshotDir } from '../../src/snapshot-dir/verify.js'
import { downloadSnapshot } from '../../src/transfer/download.js'
import { uploadSnapshot } from '../../src/transfer/upload.js'
import { seedCounter, startFixture, type TransferFixture } from '../transfer/snapshot-fixture.js'

let fixture: TransferFixture
let original: string
let target: Principal
let chunkHash: string

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

beforeAll(async () => {
  fixture = await startFixture()
  const source = await seedCounter(fixture, 8n, { stablePages: 7 })
  const chunk = new Uint8Array(3000).fill(4)
  chunkHash = sha256(chunk)
  await fixture.connection.management.uploadChunk({ canisterId: source, chunk })
  const { id } = await fixture.management.takeSnapshot(source)
  original = fixture.dir('original')
  await downloadSnapshot({
    connection: fixture.connection,
    canisterId: source,
    snapshotId: id,
    dir: original,
    onProgress: () => undefined
  })
  target = fixture.replica.state.createCanister(fixture.controllers)
}, 60_000)

afterAll(async () => {
  await fixture?.cleanup()
})

/** A copy of the downloaded directory, changed by `tamper`; without checksums it is as icp-cli writes it. */
async function tampered(tamper: (dir: string) => Promise<void>, opts: { checksums?: boolean } = {}) {
  const dir = fixture.dir('tampered')
  await cp(original, dir, { recursive: true })
  if (opts.checksums === false) {
    await rm(join(dir, 'SHA256SUMS'))
    await rm(join(dir, 'manifest.json'))
  }
  await tamper(dir)
  return dir
}

/** Uploads `dir` and returns the error, checking that no request of any kind reached the replica. */
async function refusedUpload(dir: string): Promise<string> {
  const before = fixture.replica.requests.length
  const error = await uploadSnapshot({ connection: fixture.connection, canisterId: target, dir }).then(
    () => undefined,
    (e: Error) => e
  )
  expect(error).toBeInstanceOf(Error)
  expect(fixture.replica.requests.length).toBe(before)
  const message = (error as Error).message
  expect(message).not.toContain('\n')
  return message
}

async function flipByte(path: string, position: number): Promise<void> {
  const file = await open(path, 'r+')
  const byte = Buffer.alloc(1)
  await file.read(byte, 0, 1, position)
  byte[0] ^= 0xff
  await file.write(byte, 0, 1, position)
  await file.close()
}

it('an intact directory verifies against SHA256SUMS; without it, by sizes and chunk hashes', async () => {
  const verified = await verifySnapshotDir(original)
  expect(verified.checksums).toBe('sha256sums')
  expect(verified.files.map(f => f.path)).toEqual(
    expect.arrayContaining([
      'metadata.json',
      'wasm_module.bin',
      'stable_memory.bin',
      `wasm_chunk_store/${chunkHash}.bin`
    ])
  )
  expect(verified.manifest?.module_hash).toMatch(/^[0-9a-f]{64}$/)
  const plain = await tampered(async () => undefined, { checksums: false })
  expect((await verifySnapshotDir(plain)).checksums).toBe('sizes-only')
})

it.each([
  [
    'a missing memory file',
    (dir: string) => rm(join(dir, 'stable_memory.bin')),
    /stable_memory\.bin is missing; metadata\.json says it has 524288 bytes$/
  ],
  [
    'a missing chunk',
    (dir: string) => rm(join(dir, 'wasm_chunk_store', `${chunkHash}.bin`)),
    /wasm_chunk_store\/[0-9a-f]{64}\.bin is missing; metadata\.json lists it in wasm_chunk_store$/
  ],
  [
    'an extra file',
    (dir: string) => writeFile(join(dir, 'notes.txt'), 'hello'),
    /\/notes\.txt is not listed in SHA256SUMS$/
  ],
  [
    'an extra chunk',
    (dir: string) =>
      writeFile(join(dir, 'wasm_chunk_store', `${sha256(new Uint8Array([1]))}.bin`), new Uint8Array([1])),
    /wasm_chunk_store\/4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a\.bin is not a chunk of this snapshot/
  ],
  [
    'a truncated memory file',
    (dir: string) => truncate(join(dir, 'stable_memory.bin'), 100_000),
    /stable_memory\.bin has 100000 bytes, but metadata\.json says 524288$/
  ],
  [
    'a memory file with one byte changed',
    (dir: string) => flipByte(join(dir, 'stable_memory.bin'), 300_000),
    /stable_memory\.bin does not match SHA256SUMS: its sha256 is [0-9a-f]{64}, SHA256SUMS says [0-9a-f]{64}$/
  ],
  [
    'a metadata.json with a wrong size',
    async (dir: string) => {
      const path = join(dir, 'metadata.json')
      await writeFile(
        path,
        (await readFile(path, 'utf8')).replace('"stable_memory_size": 524288', '"stable_memory_size": 589824')
      )
    },
    /metadata\.json does not match SHA256SUMS: its sha256 is/
  ]
])('%s is refused before any call', async (_case, tamper, expected) => {
  expect(await refusedUpload(await tampered(tamper))).toMatch(expected)
})

it.each([
  [
    'a memory file longer than metadata.json says',
    (dir: string) => appendFile(join(dir, 'wasm_memory.bin'), new Uint8Array(10)),
    /wasm_memory\.bin has 131082 bytes, but metadata\.json says 131072$/
  ],
  [
    'a metadata.json with a wrong size',
    async (dir: string) => {
      const path = join(dir, 'metadata.json')
      await writeFile(
        path,
        (await readFile(path, 'utf8')).replace('"stable_memory_size": 524288', '"stable_memory_size": 589824')
      )
    },
    /stable_memory\.bin has 524288 bytes, but metadata\.json says 589824$/
  ],
  [
    'a chunk whose bytes changed',
    (dir: string) => flipByte(join(dir, 'wasm_chunk_store', `${chunkHash}.bin`), 0),
    /wasm_chunk_store\/[0-9a-f]{64}\.bin has sha256 [0-9a-f]{64}, not the hash its name and metadata\.json give$/
  ],
  [
    'a metadata.json with a global icp-cli could not read',
    async (dir: string) => {
      const path = join(dir, 'metadata.json')
      await writeFile(
        path,
        (await readFile(path, 'utf8')).replace(/"globals": \[\n\s+\{[^}]*\}/, '"globals": [\n    null')
      )
    },
    /metadata\.json is invalid: field 'globals\[0\]' is null: snapshot metadata contains unparseable globals$/
  ]
])('without SHA256SUMS, %s is refused before any call', async (_case, tamper, expected) => {
  expect(await refusedUpload(await tampered(tamper, { checksums: false }))).toMatch(expected)
})

it('a directory without metadata.json is not a snapshot directory', async () => {
  const dir = await tampered(dir => rm(join(dir, 'metadata.json')))
  expect(await refusedUpload(dir)).toMatch(/metadata\.json is missing: this is not a snapshot directory$/)
})
