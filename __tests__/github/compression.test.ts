// compression-level: auto on real files: it deflates only what a sample shows to shrink by a tenth or more,
// weighs each file by its size, and leaves a given level alone.
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chooseCompressionLevel } from '../../src/github/compression.js'

const MiB = 1024 * 1024
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'compression-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function file(name: string, bytes: Buffer): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, bytes)
  return path
}

describe('compression-level: auto', () => {
  it('stores random bytes, as filled memory and encrypted archives are', async () => {
    const choice = await chooseCompressionLevel('auto', [await file('random.bin', randomBytes(8 * MiB))])
    expect(choice.level).toBe(0)
    expect(choice.sampledRatio).toBeGreaterThan(0.99)
    // 16 windows of 64 KiB: a sample, not the file.
    expect(choice.sampledBytes).toBe(MiB)
  })

  it('deflates zero pages at level 1', async () => {
    const choice = await chooseCompressionLevel('auto', [await file('zeros.bin', Buffer.alloc(8 * MiB))])
    expect(choice.level).toBe(1)
    expect(choice.sampledRatio).toBeLessThan(0.01)
  })

  it('deflates a memory that is half zero pages', async () => {
    const half = Buffer.concat([randomBytes(4 * MiB), Buffer.alloc(4 * MiB)])
    const choice = await chooseCompressionLevel('auto', [await file('half.bin', half)])
    expect(choice.level).toBe(1)
    expect(choice.sampledRatio).toBeGreaterThan(0.4)
    expect(choice.sampledRatio).toBeLessThan(0.6)
  })

  it('stores a memory with a twentieth of zero pages: not worth the CPU', async () => {
    const mostly = Buffer.concat([randomBytes(19 * MiB), Buffer.alloc(MiB)])
    expect((await chooseCompressionLevel('auto', [await file('mostly.bin', mostly)])).level).toBe(0)
  })

  it('weighs each file by its size: small compressible files do not outvote a large random one', async () => {
    const files = [
      await file('wasm_memory.bin', randomBytes(8 * MiB)),
      await file('metadata.json', Buffer.from(JSON.stringify({ globals: new Array(2000).fill({ i32: 0 }) }))),
      await file('SHA256SUMS', Buffer.from('0'.repeat(64) + '  wasm_memory.bin\n'))
    ]
    expect((await chooseCompressionLevel('auto', files)).level).toBe(0)
  })

  it('deflates when the large file compresses, however random the small ones', async () => {
    const files = [
      await file('stable_memory.bin', Buffer.alloc(8 * MiB)),
      await file('wasm_module.bin', randomBytes(200_000))
    ]
    expect((await chooseCompressionLevel('auto', files)).level).toBe(1)
  })

  it('keeps a given level without reading a file', async () => {
    const missing = join(dir, 'does-not-exist')
    expect(await chooseCompressionLevel(6, [missing])).toEqual({ level: 6, sampledBytes: 0 })
    expect(await chooseCompressionLevel(0, [missing])).toEqual({ level: 0, sampledBytes: 0 })
  })

  it('reads small files whole and empty ones not at all', async () => {
    const files = [await file('empty', Buffer.alloc(0)), await file('small', Buffer.alloc(1000))]
    const choice = await chooseCompressionLevel('auto', files)
    expect(choice).toMatchObject({ level: 1, sampledBytes: 1000 })
  })
})
