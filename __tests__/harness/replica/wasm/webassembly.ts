// Node provides WebAssembly, but the project's TypeScript libs (ES2023, @types/node 20) do not declare it;
// this is the part of the JS API the runtime uses, typed locally rather than as a global that could clash.
import { setFlagsFromString } from 'node:v8'

/** A compiled module, opaque to the runtime. */
export type WasmModule = object & { readonly __brand?: 'WasmModule' }

export interface WasmMemory {
  readonly buffer: ArrayBuffer
  grow(deltaPages: number): number
}

export interface WasmGlobal {
  value: unknown
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>
}

export type WasmImports = Record<string, Record<string, unknown>>

interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<WasmModule>
  validate(bytes: Uint8Array): boolean
  Module: {
    new (bytes: Uint8Array): WasmModule
    imports(module: WasmModule): { module: string; name: string; kind: string }[]
  }
  Instance: new (module: WasmModule, imports: WasmImports) => WasmInstance
  RuntimeError: new (message?: string) => Error
}

export const WebAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly

// Wasm64 canisters have 64-bit memories (memory64), which V8 ships from Node 24 on and Node 20 has behind a
// flag. The flag is a V8 one, refused in NODE_OPTIONS, so the replica sets it for its own process, before it
// compiles anything; on a Node that accepts memory64 already it is left alone. The module is
// `(module (memory (export "m") i64 0))`.
const MEMORY64_PROBE = Uint8Array.of(
  ...[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
  ...[5, 3, 1, 4, 0],
  ...[7, 5, 1, 1, 0x6d, 2, 0]
)
if (!WebAssembly.validate(MEMORY64_PROBE)) setFlagsFromString('--experimental-wasm-memory64')

// The JS API of a 64-bit memory counts pages as a BigInt in Node 24 (the memory64 proposal's AddressValue)
// and as a number in Node 20's flagged implementation.
const growTakesBigInt = (() => {
  const memory = new WebAssembly.Instance(new WebAssembly.Module(MEMORY64_PROBE), {}).exports.m as {
    grow(delta: unknown): unknown
  }
  try {
    memory.grow(0)
    return false
  } catch {
    return true
  }
})()

/** Grows memory 0 by `pages`, a 64-bit memory as its JS API takes the count. */
export function growMemory(memory: WasmMemory, pages: number, memory64: boolean): void {
  if (memory64 && growTakesBigInt) (memory as unknown as { grow(delta: bigint): unknown }).grow(BigInt(pages))
  else memory.grow(pages)
}
