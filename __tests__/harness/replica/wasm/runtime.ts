// The Wasm execution engine of the replica: compiles canister modules and runs their messages with the IC's
// semantics (System API, traps rolling back, queries keeping nothing).
import { createHash } from 'node:crypto'
import {
  type ExecutionContext,
  type ExecutionState,
  type Outcome,
  reject,
  RejectCode,
  type SnapshotGlobal
} from '../types.js'
import { exportCanisterState, type FuncType, type ModuleInfo, readModuleInfo } from './binary.js'
import { CanisterTrap, IncompatibleStateError, InvalidModuleError, UnsupportedImportError } from './errors.js'
import {
  expectedSignature,
  ic0Imports,
  Message,
  type MessageKind,
  type SystemApiHost,
  type WasmMode
} from './ic0.js'
import { SparseMemory } from './sparse-memory.js'
import { StableMemory, WASM_PAGE_SIZE } from './stable-memory.js'
import {
  growMemory,
  WebAssembly,
  type WasmGlobal,
  type WasmImports,
  type WasmInstance,
  type WasmMemory,
  type WasmModule
} from './webassembly.js'

export { CanisterTrap, IncompatibleStateError, InvalidModuleError, UnsupportedImportError }

const MAX_CERTIFIED_DATA_SIZE = 32

/** Exports the IC calls outside of a message to a named method; all must be `() -> ()` functions. */
const SYSTEM_EXPORTS = new Set([
  'canister_init',
  'canister_pre_upgrade',
  'canister_post_upgrade',
  'canister_inspect_message',
  'canister_heartbeat',
  'canister_global_timer',
  'canister_on_low_wasm_memory'
])
const METHOD_PREFIXES = {
  update: 'canister_update ',
  query: 'canister_query ',
  composite_query: 'canister_composite_query '
} as const

type NumericType = 'i32' | 'i64' | 'f32' | 'f64'

/** An exported global as snapshots keep it. */
interface GlobalSlot {
  exportName: string
  type: NumericType
  mutable: boolean
}

/**
 * Validates and compiles a canister module.
 * @throws InvalidModuleError for bytes that are not valid Wasm or break the System API's contract
 * @throws UnsupportedImportError for an import the runtime does not provide
 */
export async function compileCanisterModule(bytes: Uint8Array): Promise<CompiledCanister> {
  const original = new Uint8Array(bytes)
  let module: WasmModule
  try {
    module = await WebAssembly.compile(original)
  } catch (error) {
    throw new InvalidModuleError((error as Error).message)
  }
  checkImportsSupported(module)
  const info = readModuleInfo(original)
  checkImportSignatures(info, info.memory64 ? 'wasm64' : 'wasm32')
  const methods = canisterMethods(info)
  // Exporting all mutable globals and the memory lets a trap roll back (and a snapshot keep) what the module hides.
  const instrumented = exportCanisterState(original, info)
  const runnable = instrumented.bytes === original ? module : await WebAssembly.compile(instrumented.bytes)
  return new CompiledCanister(original, runnable, instrumented.info, methods)
}

function checkImportsSupported(module: WasmModule): void {
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    if (from !== 'ic0' || kind !== 'function' || !expectedSignature(name))
      throw new UnsupportedImportError(`Wasm module imports unsupported ${kind} ${from}.${name}`)
  }
}

function checkImportSignatures(info: ModuleInfo, mode: WasmMode): void {
  for (const { name, typeIndex } of info.imports) {
    const expected = expectedSignature(name, mode)!
    const actual = info.types[typeIndex!]
    if (formatSignature(actual) !== formatSignature(expected))
      throw new InvalidModuleError(
        `Wasm module imports ic0.${name} with signature ${formatSignature(actual)}, expected ${formatSignature(expected)}`
      )
  }
}

function formatSignature({ params, results }: FuncType): string {
  return `(${params.join(', ')}) -> (${results.join(', ')})`
}

interface CanisterMethods {
  update: string[]
  query: string[]
  compositeQuery: string[]
}

function canisterMethods(info: ModuleInfo): CanisterMethods {
  const methods: CanisterMethods = { update: [], query: [], compositeQuery: [] }
  const seen = new Map<string, string>()
  for (const entry of info.exports) {
    const kind = (Object.keys(METHOD_PREFIXES) as (keyof typeof METHOD_PREFIXES)[]).find(k =>
      entry.name.startsWith(METHOD_PREFIXES[k])
    )
    if (!kind && !SYSTEM_EXPORTS.has(entry.name)) continue
    const type = entry.kind === 'function' ? info.types[info.functionTypes[entry.index]] : undefined
    if (!type || type.params.length > 0 || type.results.length > 0)
      throw new InvalidModuleError(
        `Wasm module exports '${entry.name}' that is not a function of type () -> ()`
      )
    if (!kind) continue
    const method = entry.name.slice(METHOD_PREFIXES[kind].length)
    const previous = seen.get(method)
    if (previous)
      throw new InvalidModuleError(
        `Duplicate function '${method}' exported multiple times with different call types: ${previous}, ${kind}`
      )
    seen.set(method, kind)
    methods[kind === 'composite_query' ? 'compositeQuery' : kind].push(method)
  }
  return methods
}

export class CompiledCanister {
  readonly moduleHash: Uint8Array
  readonly updateMethods: string[]
  /** Query methods, composite queries included (they run like queries: the runtime makes no calls). */
  readonly queryMethods: string[]
  /** @internal */ readonly globalSlots: GlobalSlot[]
  /** @internal Exported mutable globals JS can read (all but v128), which a trap restores. */
  readonly mutableGlobalExports: string[]
  /** @internal The export of memory 0, the heap. */
  readonly memoryExport: string | undefined
  /** `WasmExecutionMode`: Wasm64 when the heap is a 64-bit memory. */
  readonly wasmMode: WasmMode

  /** @internal Use compileCanisterModule. */
  constructor(
    readonly bytes: Uint8Array,
    /** @internal The module with its memory and every mutable global exported. */
    readonly module: WasmModule,
    info: ModuleInfo,
    methods: CanisterMethods
  ) {
    this.moduleHash = createHash('sha256').update(bytes).digest()
    this.wasmMode = info.memory64 ? 'wasm64' : 'wasm32'
    this.updateMethods = methods.update
    this.queryMethods = [...methods.query, ...methods.compositeQuery]
    this.globalSlots = info.exports.flatMap(entry => {
      const global = entry.kind === 'global' ? info.globals[entry.index] : undefined
      // v128 and reference globals have no snapshot form the JS API can read.
      if (!global || global.type === 'v128' || global.type === 'ref') return []
      return [{ exportName: entry.name, type: global.type, mutable: global.mutable }]
    })
    this.mutableGlobalExports = info.exports
      .filter(entry => entry.kind === 'global' && info.globals[entry.index].mutable)
      .filter(entry => info.globals[entry.index].type !== 'v128')
      .map(entry => entry.name)
    const heapExports = info.exports.filter(entry => entry.kind === 'memory' && entry.index === 0)
    this.memoryExport = (heapExports.find(entry => entry.name === 'memory') ?? heapExports[0])?.name
  }

  /**
   * A fresh instance (data segments applied), or one restored from a snapshot's state: heap, stable memory,
   * exported globals and certified data are overwritten after instantiation. An empty `heap` or `globals`
   * keeps the fresh ones. Does not run canister_init.
   * @throws IncompatibleStateError when the state does not fit the module
   */
  async instantiate(state?: ExecutionState): Promise<CanisterInstance> {
    const instance = new CanisterInstance(this, state?.stable, state?.certifiedData, state?.globalTimerNs)
    if (state) instance.restore(state.heap, state.globals)
    return instance
  }

  /**
   * The instance an upgrade installs: fresh heap and globals, the old stable memory and certified data, and
   * no global timer (interface spec, "Global timer": deactivated by install_code).
   */
  async instantiateForUpgrade(stable: SparseMemory, certifiedData: Uint8Array): Promise<CanisterInstance> {
    return new CanisterInstance(this, stable, certifiedData)
  }
}

/** The state a message may change, as it was when the message started. */
interface Checkpoint {
  heap: Uint8Array
  /** Values of all exported mutable globals but v128 ones, in export order. */
  globals: unknown[]
  certifiedData: Uint8Array
  globalTimer: bigint
}

export class CanisterInstance {
  /** debug_print output, oldest first. */
  debugLog: string[] = []
  private instance!: WasmInstance
  private readonly host: SystemApiHost & { message: Message | undefined; memory: WasmMemory | undefined }
  private readonly imports: WasmImports
  // Reused between messages so that checkpointing a big heap does not allocate each time.
  private heapBackup = new Uint8Array(0)

  /** @internal Use CompiledCanister.instantiate. */
  constructor(
    private readonly compiled: CompiledCanister,
    stable?: SparseMemory,
    certifiedData: Uint8Array = new Uint8Array(0),
    globalTimer = 0n
  ) {
    if (certifiedData.length > MAX_CERTIFIED_DATA_SIZE)
      throw new IncompatibleStateError(`certified data of ${certifiedData.length} bytes exceeds 32 bytes`)
    let stableMemory: StableMemory
    try {
      stableMemory = new StableMemory(stable)
    } catch (error) {
      throw new IncompatibleStateError((error as Error).message)
    }
    this.host = {
      message: undefined,
      memory: undefined,
      stable: stableMemory,
      certifiedData: new Uint8Array(certifiedData),
      globalTimer,
      debugPrint: text => this.debugLog.push(text)
    }
    this.imports = ic0Imports(this.host, compiled.wasmMode)
    this.instantiateModule()
  }

  /** A copy of stable memory. */
  get stableMemory(): SparseMemory {
    return this.host.stable.clone()
  }

  get certifiedData(): Uint8Array {
    return new Uint8Array(this.host.certifiedData)
  }

  /** The global timer's deadline (ns since 1970), 0 while inactive. */
  get globalTimerNs(): bigint {
    return this.host.globalTimer
  }

  /** Sizes in bytes, without copying the memories. */
  get heapSize(): number {
    return this.host.memory?.buffer.byteLength ?? 0
  }

  get stableSize(): number {
    return this.host.stable.byteLength
  }

  init(ctx: ExecutionContext): Outcome {
    return this.runSystemMethod('init', 'canister_init', ctx)
  }

  preUpgrade(ctx: ExecutionContext): Outcome {
    return this.runSystemMethod('pre_upgrade', 'canister_pre_upgrade', ctx)
  }

  postUpgrade(ctx: ExecutionContext): Outcome {
    return this.runSystemMethod('post_upgrade', 'canister_post_upgrade', ctx)
  }

  update(ctx: ExecutionContext): Outcome {
    const updateExport = METHOD_PREFIXES.update + ctx.methodName
    if (this.hasFunction(updateExport)) return this.runMethod('update', updateExport, ctx)
    // Like the IC, an update call may run a query method ("replicated query"); it keeps no changes either.
    const queryExport = this.queryExport(ctx.methodName)
    if (queryExport) return this.runMethod('replicated_query', queryExport, ctx)
    return methodNotFound(ctx, 'update')
  }

  query(ctx: ExecutionContext): Outcome {
    const queryExport = this.queryExport(ctx.methodName)
    if (queryExport) return this.runMethod('query', queryExport, ctx)
    return methodNotFound(ctx, 'query')
  }

  /** Copies of heap, stable memory, exported globals and certified data. */
  exportState(): ExecutionState {
    const memory = this.host.memory
    return {
      heap: memory ? SparseMemory.of(new Uint8Array(memory.buffer)) : new SparseMemory(),
      stable: this.host.stable.clone(),
      globals: this.compiled.globalSlots.map(slot =>
        snapshotGlobal(slot.type, this.global(slot.exportName).value)
      ),
      certifiedData: new Uint8Array(this.host.certifiedData),
      globalTimerNs: this.host.globalTimer
    }
  }

  /** @internal Overwrites heap and globals with a snapshot's; empty ones keep the fresh instance's. */
  restore(heap: SparseMemory, globals: SnapshotGlobal[]): void {
    if (heap.byteLength > 0) this.restoreHeap(heap)
    if (globals.length > 0) this.restoreGlobals(globals)
  }

  private instantiateModule(): void {
    this.host.memory = undefined
    try {
      this.instance = new WebAssembly.Instance(this.compiled.module, this.imports)
    } catch (error) {
      // Only a start function can fail here.
      throw CanisterTrap.from(error) ?? error
    }
    const memoryExport = this.compiled.memoryExport
    this.host.memory = memoryExport ? (this.instance.exports[memoryExport] as WasmMemory) : undefined
  }

  private restoreHeap(heap: SparseMemory | Uint8Array): void {
    const memory = this.host.memory
    const length = heap.byteLength
    if (length % WASM_PAGE_SIZE !== 0)
      throw new IncompatibleStateError(`heap size ${length} is not a multiple of ${WASM_PAGE_SIZE}`)
    if (!memory) throw new IncompatibleStateError('the module exports no memory to restore the heap into')
    const missing = (length - memory.buffer.byteLength) / WASM_PAGE_SIZE
    try {
      if (missing > 0) growMemory(memory, missing, this.compiled.wasmMode === 'wasm64')
    } catch (error) {
      throw new IncompatibleStateError(`cannot grow the heap to ${length} bytes: ${(error as Error).message}`)
    }
    const target = new Uint8Array(memory.buffer)
    if (heap instanceof SparseMemory) heap.read(0, target.subarray(0, length))
    else target.set(heap)
    // A heap smaller than the module's initial memory: what lies beyond it was not in the snapshot.
    target.fill(0, length)
  }

  private restoreGlobals(globals: SnapshotGlobal[]): void {
    const slots = this.compiled.globalSlots
    if (globals.length !== slots.length)
      throw new IncompatibleStateError(
        `the state has ${globals.length} globals, the module exports ${slots.length}`
      )
    slots.forEach((slot, i) => {
      const [type, value] = Object.entries(globals[i])[0] ?? []
      if (type !== slot.type)
        throw new IncompatibleStateError(
          `global ${i} (${slot.exportName}) is ${slot.type}, the state has ${type}`
        )
      // Immutable globals come from the module itself; snapshots list them only for completeness.
      if (slot.mutable) this.global(slot.exportName).value = value
    })
  }

  private global(exportName: string): WasmGlobal {
    return this.instance.exports[exportName] as WasmGlobal
  }

  private hasFunction(exportName: string): boolean {
    return typeof this.instance.exports[exportName] === 'function'
  }

  private queryExport(method: string): string | undefined {
    return [METHOD_PREFIXES.query + method, METHOD_PREFIXES.composite_query + method].find(name =>
      this.hasFunction(name)
    )
  }

  private runSystemMethod(kind: MessageKind, exportName: string, ctx: ExecutionContext): Outcome {
    const message = this.execute(kind, exportName, ctx, true)
    return message instanceof Message ? { status: 'replied', reply: new Uint8Array(0) } : message
  }

  private runMethod(kind: MessageKind, exportName: string, ctx: ExecutionContext): Outcome {
    const message = this.execute(kind, exportName, ctx, kind === 'update')
    if (!(message instanceof Message)) return message
    const canister = ctx.canisterId.toText()
    switch (message.response?.status) {
      case 'replied':
        return { status: 'replied', reply: message.reply() }
      case 'rejected':
        return reject(RejectCode.CanisterReject, 'IC0406', message.response.message)
      default:
        return reject(RejectCode.CanisterError, 'IC0506', `Canister ${canister} did not produce a response`)
    }
  }

  /** Runs an export as one message; returns the message, or the rejection when it trapped. */
  private execute(
    kind: MessageKind,
    exportName: string,
    ctx: ExecutionContext,
    keep: boolean
  ): Message | Outcome {
    const entry = this.instance.exports[exportName]
    const message = new Message(kind, ctx)
    const checkpoint = this.checkpoint()
    this.host.message = message
    try {
      if (typeof entry === 'function') (entry as () => void)()
    } catch (error) {
      this.rollback(checkpoint)
      const trap = CanisterTrap.from(error)
      if (!trap) throw error
      return reject(
        RejectCode.CanisterError,
        trap.errorCode,
        `Error from Canister ${ctx.canisterId.toText()}: ${trap.description}`
      )
    } finally {
      this.host.message = undefined
    }
    if (keep) this.host.stable.commit()
    else this.rollback(checkpoint)
    return message
  }

  // Rolling back the heap needs its old contents, and Wasm writes to it directly, so there is nothing to
  // journal: copy it before every message. Into a reused (warm) buffer that is a memcpy of ~0.2 s per GiB and
  // microseconds for the test canisters' 2-page heaps, simpler and cheaper than any write tracking from JS;
  // the price is a second copy of the heap in memory. Stable memory, written only through the System API,
  // journals the pages a message changes instead.
  private checkpoint(): Checkpoint {
    const memory = this.host.memory
    const size = memory?.buffer.byteLength ?? 0
    if (this.heapBackup.length !== size) this.heapBackup = new Uint8Array(size)
    if (memory) this.heapBackup.set(new Uint8Array(memory.buffer))
    this.host.stable.begin()
    return {
      heap: this.heapBackup,
      globals: this.mutableGlobals().map(global => global.value),
      certifiedData: this.host.certifiedData,
      globalTimer: this.host.globalTimer
    }
  }

  private rollback(checkpoint: Checkpoint): void {
    const memory = this.host.memory
    if (memory && memory.buffer.byteLength !== checkpoint.heap.length) {
      // Wasm memory cannot shrink: undo a memory.grow with a new instance of the old size.
      this.instantiateModule()
      this.restoreHeap(checkpoint.heap)
    } else if (memory) {
      new Uint8Array(memory.buffer).set(checkpoint.heap)
    }
    this.mutableGlobals().forEach((global, i) => (global.value = checkpoint.globals[i]))
    this.host.stable.rollback()
    this.host.certifiedData = checkpoint.certifiedData
    this.host.globalTimer = checkpoint.globalTimer
  }

  private mutableGlobals(): WasmGlobal[] {
    return this.compiled.mutableGlobalExports.map(name => this.global(name))
  }
}

function methodNotFound(ctx: ExecutionContext, kind: 'update' | 'query'): Outcome {
  return reject(
    RejectCode.DestinationInvalid,
    'IC0536',
    `Error from Canister ${ctx.canisterId.toText()}: Canister has no ${kind} method '${ctx.methodName}'.`
  )
}

function snapshotGlobal(type: NumericType, value: unknown): SnapshotGlobal {
  switch (type) {
    case 'i32':
      return { i32: value as number }
    case 'i64':
      return { i64: value as bigint }
    case 'f32':
      return { f32: value as number }
    case 'f64':
      return { f64: value as number }
  }
}
