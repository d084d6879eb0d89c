// Content-addressed files under <state-dir>/blobs: a memory or module is written once, however many saves
// refer to it, and files no save refers to any more are removed after the save that dropped them.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BlobSink, BlobSource } from './codec.js'

export class BlobStore implements BlobSink, BlobSource {
  private readonly pending = new Map<string, Uint8Array>()

  private constructor(
    private readonly dir: string,
    private readonly present: Set<string>
  ) {}

  static async open(dir: string): Promise<BlobStore> {
    await mkdir(dir, { recursive: true })
    return new BlobStore(dir, new Set(await readdir(dir)))
  }

  put(bytes: Uint8Array): string {
    const name = createHash('sha256').update(bytes).digest('hex')
    // Not copied: saves run between messages, so nothing changes the bytes before flush has written them.
    if (!this.present.has(name) && !this.pending.has(name)) this.pending.set(name, bytes)
    return name
  }

  get(name: string): Uint8Array {
    if (!/^[0-9a-f]{64}$/.test(name)) throw new Error(`state dir: bad blob name ${name}`)
    return new Uint8Array(readFileSync(join(this.dir, name)))
  }

  /** Writes what `put` has been given since the last flush. */
  async flush(): Promise<void> {
    for (const [name, bytes] of this.pending) {
      // Written under a temporary name and renamed, so that a killed process leaves no half blob behind.
      await writeFile(join(this.dir, `${name}.tmp`), bytes)
      await rename(join(this.dir, `${name}.tmp`), join(this.dir, name))
      this.present.add(name)
    }
    this.pending.clear()
  }

  /** Removes every blob not in `referenced`, and any temporary file a killed process left. */
  async keepOnly(referenced: Set<string>): Promise<void> {
    for (const name of [...this.present]) {
      if (referenced.has(name)) continue
      await rm(join(this.dir, name), { force: true })
      this.present.delete(name)
    }
  }
}
