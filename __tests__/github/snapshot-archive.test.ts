// The snapshot archive on its own (the tar inside snapshot.tar.age): a directory with a chunk store and an
// empty stable memory comes back file for file, and the layout rules that the action tests do not reach
// (a file twice, a memory of the wrong size, a memory before metadata.json, an unlisted chunk) stop it.
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import * as tar from 'tar-stream'
import { extractSnapshotArchive, packSnapshotDir } from '../../src/github/snapshot-archive.js'
import { encodeMetadataJson, type SnapshotMetadata } from '../../src/snapshot-dir/metadata.js'
import { readTree, type Tree } from '../harness/github/trees.js'

let work: string
const chunk = Buffer.alloc(4096, 3)
const chunkHash = createHash('sha256').update(chunk).digest()
const metadata: SnapshotMetadata = {
  source: 'taken_from_canister',
  takenAtTimestamp: 1n,
  wasmModuleSize: 3n,
  globals: [],
  wasmMemorySize: 70_000n,
  stableMemorySize: 0n,
  wasmChunkStore: [chunkHash],
  canisterVersion: 2n,
  certifiedData: new Uint8Array(),
  globalTimer: null,
  onLowWasmMemoryHookStatus: null
}
const tree: Tree = {
  'metadata.json': Buffer.from(encodeMetadataJson(metadata)),
  'manifest.json': Buffer.from('{"format":1}\n'),
  SHA256SUMS: Buffer.from('\n'),
  'wasm_module.bin': Buffer.from('abc'),
  'wasm_memory.bin': Buffer.alloc(70_000, 9),
  'stable_memory.bin': Buffer.alloc(0),
  [`wasm_chunk_store/${chunkHash.toString('hex')}.bin`]: chunk
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'snapshot-archive-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

async function emptyDir(): Promise<string> {
  const dir = await mkdtemp(join(work, 'out-'))
  return dir
}

function archiveOf(entries: Array<[string, Buffer]>): Readable {
  const pack = tar.pack()
  for (const [name, body] of entries) pack.entry({ name, type: 'file', size: body.length }, body)
  pack.finalize()
  return Readable.from(pack, { objectMode: false })
}

test('a directory with a chunk store and an empty stable memory comes back file for file', async () => {
  const source = join(work, 'source')
  for (const [path, bytes] of Object.entries(tree)) {
    await mkdir(join(source, path, '..'), { recursive: true })
    await writeFile(join(source, path), bytes)
  }
  const out = await emptyDir()
  const files = await extractSnapshotArchive(packSnapshotDir(source, Object.keys(tree)), out)
  expect(files.sort()).toEqual(Object.keys(tree).sort())
  const back = await readTree(out)
  for (const [path, bytes] of Object.entries(tree)) expect(back[path].equals(bytes)).toBe(true)
})

test.each([
  [
    'a file twice',
    [
      ['metadata.json', tree['metadata.json']],
      ['manifest.json', tree['manifest.json']],
      ['manifest.json', tree['manifest.json']]
    ],
    "entry 'manifest.json' appears twice"
  ],
  [
    'a memory of another size than metadata.json says',
    [
      ['metadata.json', tree['metadata.json']],
      ['wasm_memory.bin', Buffer.alloc(10)]
    ],
    "entry 'wasm_memory.bin' has 10 bytes, but metadata.json says 70000"
  ],
  [
    'a memory before metadata.json',
    [['wasm_module.bin', tree['wasm_module.bin']]],
    "entry 'wasm_module.bin' comes before metadata.json, which gives its size"
  ],
  [
    'a chunk that metadata.json does not list',
    [
      ['metadata.json', tree['metadata.json']],
      [`wasm_chunk_store/${'0'.repeat(64)}.bin`, chunk]
    ],
    `entry 'wasm_chunk_store/${'0'.repeat(64)}.bin' is not a chunk of this snapshot (metadata.json does not list it)`
  ],
  [
    'an absolute path',
    [['/etc/metadata.json', tree['metadata.json']]],
    "entry '/etc/metadata.json' is not a file of a snapshot directory"
  ]
] as Array<[string, Array<[string, Buffer]>, string]>)(
  'refuses %s, naming the entry',
  async (_, entries, message) => {
    const out = await emptyDir()
    await expect(extractSnapshotArchive(archiveOf(entries), out)).rejects.toThrow(message)
    expect((await readdir(out)).filter(f => f.startsWith('..'))).toEqual([])
  }
)

test('refuses a pax record at its header, before tar-stream would buffer it whole', async () => {
  const pack = tar.pack()
  const body = tree['metadata.json']
  // tar-stream writes a pax record for a header with `pax` (pack.js _encodePax); @types/tar-stream omits it.
  const header = { name: 'metadata.json', type: 'file', size: body.length, pax: { comment: 'x' } }
  pack.entry(header as tar.Headers, body)
  pack.finalize()
  await expect(
    extractSnapshotArchive(Readable.from(pack, { objectMode: false }), await emptyDir())
  ).rejects.toThrow("entry 'PaxHeader' is a pax-header, not a regular file or a directory")
})
