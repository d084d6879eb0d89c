import { WebAssembly } from './webassembly.js'

/** The module imports something the runtime does not provide (the message names it, e.g. `ic0.call_new`). */
export class UnsupportedImportError extends Error {
  override name = 'UnsupportedImportError'
}

/** The bytes are not a Wasm module the IC would install (invalid Wasm, or a System API/export contract broken). */
export class InvalidModuleError extends Error {
  override name = 'InvalidModuleError'
}

/** An ExecutionState that does not fit the module (wrong sizes, globals of other types, …). */
export class IncompatibleStateError extends Error {
  override name = 'IncompatibleStateError'
}

/**
 * Why a message stopped early. Thrown from System API imports, it unwinds through the running Wasm code
 * back to the runtime, which rolls the message back. The codes are the replica's: IC0502 for a trap of the
 * Wasm code itself, IC0503 for an explicit ic0.trap, IC0504 for a System API contract violation.
 */
export class CanisterTrap extends Error {
  override name = 'CanisterTrap'

  constructor(
    readonly errorCode: 'IC0502' | 'IC0503' | 'IC0504',
    readonly description: string
  ) {
    super(description)
  }

  static called(message: string): CanisterTrap {
    return new CanisterTrap('IC0503', `Canister called \`ic0.trap\` with message: '${message}'`)
  }

  static trapped(reason: string): CanisterTrap {
    return new CanisterTrap('IC0502', `Canister trapped: ${reason}`)
  }

  static violated(reason: string): CanisterTrap {
    return new CanisterTrap('IC0504', `Canister violated contract: ${reason}`)
  }

  /** The trap behind an exception thrown out of Wasm code, or undefined for a bug of the harness. */
  static from(error: unknown): CanisterTrap | undefined {
    if (error instanceof CanisterTrap) return error
    if (error instanceof WebAssembly.RuntimeError) return CanisterTrap.trapped(wasmTrapReason(error.message))
    if (error instanceof RangeError && /call stack/i.test(error.message))
      return CanisterTrap.trapped('stack overflow')
    return undefined
  }
}

// V8's wording for the traps canisters hit most, in the replica's words.
const TRAP_REASONS: Record<string, string> = {
  'memory access out of bounds': 'heap out of bounds',
  'divide by zero': 'integer division by 0',
  'table index is out of bounds': 'table out of bounds'
}

function wasmTrapReason(message: string): string {
  return TRAP_REASONS[message] ?? message
}
