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
  Module: { imports(module: WasmModule): { module: string; name: string; kind: string }[] }
  Instance: new (module: WasmModule, imports: WasmImports) => WasmInstance
  RuntimeError: new (message?: string) => Error
}

export const WebAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly

// Wasm64 canisters have 64-bit memories (memory64), which V8 ships from Node 24 on and Node 20 has behind a
// flag. The flag is a V8 one, refused in NODE_OPTIONS, so the replica sets it for its own process, before it
// compiles anything; on a Node that accepts memory64 already it is left alone. The module is
// `(module (memory i64 0))`.
const MEMORY64_PROBE = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 3, 1, 4, 0)
if (!WebAssembly.validate(MEMORY64_PROBE)) setFlagsFromString('--experimental-wasm-memory64')
