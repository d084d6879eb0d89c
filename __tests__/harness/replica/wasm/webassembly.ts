// Node provides WebAssembly, but the project's TypeScript libs (ES2023, @types/node 20) do not declare it;
// this is the part of the JS API the runtime uses, typed locally rather than as a global that could clash.

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
  Module: { imports(module: WasmModule): { module: string; name: string; kind: string }[] }
  Instance: new (module: WasmModule, imports: WasmImports) => WasmInstance
  RuntimeError: new (message?: string) => Error
}

export const WebAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly
