// A minimal reader (and one rewrite) of the Wasm binary format. The JS API cannot tell the types of imports,
// exports or globals (no type reflection in Node 20), and it cannot reach non-exported globals, so the
// runtime reads them from the binary itself. Only modules WebAssembly.compile already accepted are parsed,
// which is why malformed input is not diagnosed here in detail.

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'ref'

export interface FuncType {
  params: ValType[]
  results: ValType[]
}

export type ExternKind = 'function' | 'table' | 'memory' | 'global' | 'tag'

export interface ImportEntry {
  module: string
  name: string
  kind: ExternKind
  /** Type index of an imported function. */
  typeIndex?: number
  /** Value type of an imported global. */
  global?: GlobalType
  /** An imported memory with 64-bit addresses. */
  memory64?: boolean
}

export interface GlobalType {
  type: ValType
  mutable: boolean
}

export interface ExportEntry {
  name: string
  kind: ExternKind
  index: number
}

export interface ModuleInfo {
  types: FuncType[]
  imports: ImportEntry[]
  /** Type index of every function in the function index space (imports first). */
  functionTypes: number[]
  /** Every global in the global index space (imports first). */
  globals: GlobalType[]
  exports: ExportEntry[]
  /** Number of memories, imported and defined. */
  memories: number
  /** Memory 0 has 64-bit addresses (memory64): the canister runs in Wasm64 mode. */
  memory64: boolean
}

const SECTION = { custom: 0, type: 1, import: 2, function: 3, memory: 5, global: 6, export: 7 } as const
const EXTERN_KINDS: ExternKind[] = ['function', 'table', 'memory', 'global', 'tag']
// Sections that must come after the export section; a new export section goes before the first of them.
const AFTER_EXPORT = new Set([8, 9, 10, 11, 12])

export function readModuleInfo(bytes: Uint8Array): ModuleInfo {
  const info: ModuleInfo = {
    types: [],
    imports: [],
    functionTypes: [],
    globals: [],
    exports: [],
    memories: 0,
    memory64: false
  }
  for (const section of sections(bytes)) {
    const r = new Reader(bytes, section.contentStart, section.end)
    switch (section.id) {
      case SECTION.type:
        info.types = r.vec(() => r.funcType())
        break
      case SECTION.import:
        info.imports = r.vec(() => r.importEntry())
        for (const entry of info.imports) {
          if (entry.kind === 'function') info.functionTypes.push(entry.typeIndex!)
          if (entry.kind === 'global') info.globals.push(entry.global!)
          if (entry.kind === 'memory' && info.memories++ === 0) info.memory64 = entry.memory64 === true
        }
        break
      case SECTION.memory: {
        const count = r.u32()
        if (info.memories === 0 && count > 0) info.memory64 = r.limits() === 'i64'
        info.memories += count
        break
      }
      case SECTION.function:
        info.functionTypes.push(...r.vec(() => r.u32()))
        break
      case SECTION.global:
        info.globals.push(
          ...r.vec(() => {
            const type = r.globalType()
            r.skipConstExpr()
            return type
          })
        )
        break
      case SECTION.export:
        info.exports = r.vec(() => ({ name: r.name(), kind: r.externKind(), index: r.u32() }))
        break
    }
  }
  return info
}

/**
 * Exports the state JS could not reach otherwise, as the IC's instrumentation does: every mutable global not
 * exported yet, as `__persistent_mutable_global_<index>` after the existing exports, and memory 0 as
 * "memory" when it is not exported. A trap must roll back all of it (a compiler's hidden stack pointer
 * included), and a snapshot must keep it.
 */
export function exportCanisterState(
  bytes: Uint8Array,
  info: ModuleInfo
): { bytes: Uint8Array; info: ModuleInfo } {
  const exported = new Set(info.exports.filter(e => e.kind === 'global').map(e => e.index))
  const added: ExportEntry[] = []
  if (info.memories > 0 && !info.exports.some(e => e.kind === 'memory' && e.index === 0)) {
    const names = new Set(info.exports.map(e => e.name))
    added.push({ name: names.has('memory') ? '__canister_memory' : 'memory', kind: 'memory', index: 0 })
  }
  info.globals.forEach((global, index) => {
    if (global.mutable && !exported.has(index))
      added.push({ name: `__persistent_mutable_global_${index}`, kind: 'global', index })
  })
  if (added.length === 0) return { bytes, info }

  const exports = [...info.exports, ...added]
  const all = [...sections(bytes)]
  const old = all.find(s => s.id === SECTION.export)
  const start = old?.start ?? all.find(s => AFTER_EXPORT.has(s.id))?.start ?? bytes.length
  const end = old?.end ?? start
  const section = encodeExportSection(exports)
  const out = new Uint8Array(bytes.length - (end - start) + section.length)
  out.set(bytes.subarray(0, start))
  out.set(section, start)
  out.set(bytes.subarray(end), start + section.length)
  return { bytes: out, info: { ...info, exports } }
}

function encodeExportSection(exports: ExportEntry[]): Uint8Array {
  const content: number[] = [...uleb(exports.length)]
  for (const entry of exports) {
    const name = new TextEncoder().encode(entry.name)
    content.push(...uleb(name.length), ...name, EXTERN_KINDS.indexOf(entry.kind), ...uleb(entry.index))
  }
  return Uint8Array.from([SECTION.export, ...uleb(content.length), ...content])
}

function uleb(value: number): number[] {
  const out: number[] = []
  do {
    let byte = value % 128
    value = Math.floor(value / 128)
    if (value > 0) byte |= 0x80
    out.push(byte)
  } while (value > 0)
  return out
}

interface Section {
  id: number
  /** Offset of the section id byte. */
  start: number
  contentStart: number
  end: number
}

function* sections(bytes: Uint8Array): Generator<Section> {
  const r = new Reader(bytes, 8, bytes.length)
  while (r.pos < bytes.length) {
    const start = r.pos
    const id = r.byte()
    const size = r.u32()
    const contentStart = r.pos
    r.pos += size
    yield { id, start, contentStart, end: r.pos }
  }
}

class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
    private readonly end: number
  ) {}

  byte(): number {
    if (this.pos >= this.end) throw new Error('unexpected end of Wasm section')
    return this.bytes[this.pos++]
  }

  u32(): number {
    let result = 0
    let scale = 1
    for (;;) {
      const byte = this.byte()
      result += (byte & 0x7f) * scale
      scale *= 128
      if ((byte & 0x80) === 0) return result
    }
  }

  /** Skips a signed or unsigned LEB128 of any width (i64 constants do not fit a JS number). */
  skipLeb(): void {
    while (this.byte() & 0x80);
  }

  vec<T>(item: () => T): T[] {
    const count = this.u32()
    const out: T[] = []
    for (let i = 0; i < count; i++) out.push(item())
    return out
  }

  name(): string {
    const length = this.u32()
    const text = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + length))
    this.pos += length
    return text
  }

  externKind(): ExternKind {
    const kind = EXTERN_KINDS[this.byte()]
    if (!kind) throw new Error('unknown Wasm extern kind')
    return kind
  }

  valType(): ValType {
    const code = this.byte()
    switch (code) {
      case 0x7f:
        return 'i32'
      case 0x7e:
        return 'i64'
      case 0x7d:
        return 'f32'
      case 0x7c:
        return 'f64'
      case 0x7b:
        return 'v128'
      case 0x63:
      case 0x64:
        // (ref null? heaptype): the heap type is a signed LEB.
        this.skipLeb()
        return 'ref'
      default:
        // Abbreviated reference types (funcref, externref, …) are a single byte.
        return 'ref'
    }
  }

  funcType(): FuncType {
    if (this.byte() !== 0x60) throw new Error('type definitions other than function types are not supported')
    return { params: this.vec(() => this.valType()), results: this.vec(() => this.valType()) }
  }

  globalType(): GlobalType {
    const type = this.valType()
    return { type, mutable: this.byte() === 1 }
  }

  /** Skips a limits entry; says whether it is a 64-bit memory's (flag 0x04 of the memory64 proposal). */
  limits(): 'i32' | 'i64' {
    const flags = this.byte()
    this.skipLeb()
    if (flags & 0x01) this.skipLeb()
    if (flags & 0x08) this.skipLeb() // custom page size
    return flags & 0x04 ? 'i64' : 'i32'
  }

  importEntry(): ImportEntry {
    const module = this.name()
    const name = this.name()
    const kind = this.externKind()
    switch (kind) {
      case 'function':
        return { module, name, kind, typeIndex: this.u32() }
      case 'table':
        this.valType()
        this.limits()
        return { module, name, kind }
      case 'memory':
        return { module, name, kind, memory64: this.limits() === 'i64' }
      case 'global':
        return { module, name, kind, global: this.globalType() }
      case 'tag':
        this.byte()
        return { module, name, kind, typeIndex: this.u32() }
    }
  }

  /** Skips a constant expression (global initialiser) up to and including its `end`. */
  skipConstExpr(): void {
    for (;;) {
      const op = this.byte()
      switch (op) {
        case 0x0b: // end
          return
        case 0x41: // i32.const
        case 0x42: // i64.const
        case 0x23: // global.get
        case 0xd2: // ref.func
        case 0xd0: // ref.null heaptype
          this.skipLeb()
          break
        case 0x43: // f32.const
          this.pos += 4
          break
        case 0x44: // f64.const
          this.pos += 8
          break
        case 0xfd: // SIMD prefix: only v128.const is constant
          this.skipLeb()
          this.pos += 16
          break
        default:
          // Extended constant expressions (i32.add, i64.mul, …) carry no immediates.
          break
      }
    }
  }
}
