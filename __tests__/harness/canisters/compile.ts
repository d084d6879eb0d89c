// Compiles the hand-written WAT test canisters next to this file to Wasm.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import wabtInit from 'wabt'

type Wabt = Awaited<ReturnType<typeof wabtInit>>

// Loading wabt's own Wasm build takes a while; every compile shares one instance.
let wabt: Promise<Wabt> | undefined

/** The Wasm module of `__tests__/harness/canisters/<name>.wat`. */
export async function compileCanister(name: 'counter' | 'broken_counter' | string): Promise<Uint8Array> {
  if (!/^[\w-]+$/.test(name)) throw new Error(`Invalid test canister name '${name}'`)
  const file = fileURLToPath(new URL(`./${name}.wat`, import.meta.url))
  const text = await readFile(file, 'utf8')
  wabt ??= wabtInit()
  // memory64 for wasm64.wat; the other canisters do not use it.
  const module = (await wabt).parseWat(file, text, { memory64: true })
  try {
    module.validate()
    return new Uint8Array(module.toBinary({}).buffer)
  } finally {
    module.destroy()
  }
}

/**
 * The module with a custom section appended: it behaves the same but has another hash, as a new release of
 * the same code would.
 */
export function withReleaseTag(module: Uint8Array, release: string): Uint8Array {
  const name = new TextEncoder().encode('release')
  const content = new TextEncoder().encode(release)
  const body = [...leb128(name.length), ...name, ...content]
  return new Uint8Array([...module, 0, ...leb128(body.length), ...body])
}

function leb128(n: number): number[] {
  const bytes: number[] = []
  do {
    let byte = n & 0x7f
    n >>>= 7
    if (n !== 0) byte |= 0x80
    bytes.push(byte)
  } while (n !== 0)
  return bytes
}
