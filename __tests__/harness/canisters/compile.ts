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
  const module = (await wabt).parseWat(file, text)
  try {
    module.validate()
    return new Uint8Array(module.toBinary({}).buffer)
  } finally {
    module.destroy()
  }
}
