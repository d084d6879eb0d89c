// The subset of the IC System API (module "ic0") that the runtime provides to canisters.
import type { ExecutionContext } from '../types.js'
import type { FuncType, ValType } from './binary.js'
import { CanisterTrap } from './errors.js'
import { MAX_STABLE_PAGES_32, type StableMemory } from './stable-memory.js'
import type { WasmImports, WasmMemory } from './webassembly.js'

/** The entry point a message runs; each kind may use a different part of the System API. */
export type MessageKind = 'init' | 'pre_upgrade' | 'post_upgrade' | 'update' | 'replicated_query' | 'query'

/** The response a message builds up through msg_reply_data_append / msg_reply / msg_reject. */
export class Message {
  readonly replyChunks: Uint8Array[] = []
  replySize = 0
  response?: { status: 'replied' } | { status: 'rejected'; message: string }

  constructor(
    readonly kind: MessageKind,
    readonly ctx: ExecutionContext
  ) {}

  /** The reply in a buffer of its own (Buffer.concat could share Node's pool, confusing `.buffer` readers). */
  reply(): Uint8Array {
    const reply = new Uint8Array(this.replySize)
    let offset = 0
    for (const chunk of this.replyChunks) {
      reply.set(chunk, offset)
      offset += chunk.length
    }
    return reply
  }
}

/** What the System API reads and changes: the state of one canister instance. */
export interface SystemApiHost {
  /** The running message; undefined while a start function runs. */
  readonly message: Message | undefined
  readonly memory: WasmMemory | undefined
  readonly stable: StableMemory
  certifiedData: Uint8Array
  /** The global timer's deadline (ns since 1970), 0 while inactive. */
  globalTimer: bigint
  debugPrint(text: string): void
}

// The most a reply may hold (dfinity/ic, rs/system_api/src/lib.rs): MAX_INTER_CANISTER_PAYLOAD_IN_BYTES,
// 2 MiB, in replicated execution; MAX_NON_REPLICATED_QUERY_REPLY_SIZE, 3 MiB, for a non-replicated query.
const MAX_REPLY_SIZE = 2 * 1024 * 1024
const MAX_NON_REPLICATED_QUERY_REPLY_SIZE = 3 * 1024 * 1024
const maxReplySize = (kind: MessageKind) =>
  kind === 'query' ? MAX_NON_REPLICATED_QUERY_REPLY_SIZE : MAX_REPLY_SIZE
const MAX_CERTIFIED_DATA_SIZE = 32

const ANY: readonly MessageKind[] = [
  'init',
  'pre_upgrade',
  'post_upgrade',
  'update',
  'replicated_query',
  'query'
]
const WITH_ARG: readonly MessageKind[] = ['init', 'post_upgrade', 'update', 'replicated_query', 'query']
const RESPONDING: readonly MessageKind[] = ['update', 'replicated_query', 'query']
// Queries cannot change certified data: their state changes are never kept.
const CERTIFYING: readonly MessageKind[] = ['init', 'pre_upgrade', 'post_upgrade', 'update']

/**
 * An address or a size in the heap: i32 in a Wasm32 canister, i64 in a Wasm64 one (interface spec, "System
 * API imports": `I` is i32 or i64 by the canister's Wasm mode).
 */
const A = 'address'
type Param = ValType | typeof A

interface Ic0Function {
  params: Param[]
  results: Param[]
  /** Where the spec allows the call; `accept_message` is only valid in canister_inspect_message, never run here. */
  allowed: readonly MessageKind[]
}

const fn = (params: Param[], results: Param[], allowed: readonly MessageKind[] = ANY): Ic0Function => ({
  params,
  results,
  allowed
})
const I32: ValType = 'i32'
const I64: ValType = 'i64'

export const IC0_FUNCTIONS = {
  msg_arg_data_size: fn([], [A], WITH_ARG),
  msg_arg_data_copy: fn([A, A, A], [], WITH_ARG),
  msg_caller_size: fn([], [A]),
  msg_caller_copy: fn([A, A, A], []),
  msg_reply_data_append: fn([A, A], [], RESPONDING),
  msg_reply: fn([], [], RESPONDING),
  msg_reject: fn([A, A], [], RESPONDING),
  // The spec allows the method name only in canister_inspect_message; messages may read it here too.
  msg_method_name_size: fn([], [A], RESPONDING),
  msg_method_name_copy: fn([A, A, A], [], RESPONDING),
  accept_message: fn([], [], []),
  canister_self_size: fn([], [A]),
  canister_self_copy: fn([A, A, A], []),
  trap: fn([A, A], []),
  debug_print: fn([A, A], []),
  time: fn([], [I64]),
  // The 32-bit stable API keeps its i32 offset and page counts in Wasm64 too; only heap addresses widen.
  stable_size: fn([], [I32]),
  stable_grow: fn([I32], [I32]),
  stable_read: fn([A, I32, A], []),
  stable_write: fn([I32, A, A], []),
  stable64_size: fn([], [I64]),
  stable64_grow: fn([I64], [I64]),
  stable64_read: fn([I64, I64, I64], []),
  stable64_write: fn([I64, I64, I64], []),
  certified_data_set: fn([A, A], [], CERTIFYING),
  // interface spec, "System API imports": `I G U Ry Rt C T`, the same contexts as certified_data_set here.
  global_timer_set: fn([I64], [I64], CERTIFYING),
  data_certificate_present: fn([], [I32])
} satisfies Record<string, Ic0Function>

type Ic0Name = keyof typeof IC0_FUNCTIONS

function isIc0Name(name: string): name is Ic0Name {
  return Object.hasOwn(IC0_FUNCTIONS, name)
}

export type WasmMode = 'wasm32' | 'wasm64'

const valType = (param: Param, mode: WasmMode): ValType =>
  param === A ? (mode === 'wasm64' ? I64 : I32) : param

/** The signature the System API gives `ic0.<name>` in `mode`, or undefined for a function the runtime lacks. */
export function expectedSignature(name: string, mode: WasmMode = 'wasm32'): FuncType | undefined {
  if (!isIc0Name(name)) return undefined
  const { params, results } = IC0_FUNCTIONS[name]
  return { params: params.map(p => valType(p, mode)), results: results.map(p => valType(p, mode)) }
}

const u32 = (value: number): number => value >>> 0
// Addresses beyond 2^53 are out of bounds anyway; Infinity keeps every bounds check failing for them.
const u64 = (value: bigint): number => {
  const unsigned = BigInt.asUintN(64, value)
  return unsigned > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(unsigned)
}

const utf8 = new TextDecoder('utf-8', { fatal: false })

/** The `ic0` import object for a canister instance. */
export function ic0Imports(host: SystemApiHost, mode: WasmMode = 'wasm32'): WasmImports {
  // A Wasm32 address arrives as a signed i32; a Wasm64 one has been made a Number by `forWasm64` already.
  const a = mode === 'wasm64' ? (value: number): number => value : u32

  // Checks that the running entry point may call `ic0.<name>`; returns the message it serves.
  const enter = (name: Ic0Name): Message => {
    const message = host.message
    const allowed: readonly MessageKind[] = IC0_FUNCTIONS[name].allowed
    if (!message) throw CanisterTrap.violated(`ic0.${name} cannot be executed in start mode`)
    if (!allowed.includes(message.kind))
      throw CanisterTrap.violated(`ic0.${name} cannot be executed in ${message.kind.replace('_', ' ')} mode`)
    return message
  }

  const heap = (offset: number, size: number): Uint8Array => {
    const buffer = host.memory?.buffer
    if (size === 0) return new Uint8Array(0)
    if (!buffer || offset + size > buffer.byteLength) throw CanisterTrap.trapped('heap out of bounds')
    return new Uint8Array(buffer, offset, size)
  }

  // The *_copy functions share one contract: copy [offset, offset + size) of a system value to the heap.
  const copyOut = (name: Ic0Name, source: Uint8Array, dst: number, offset: number, size: number): void => {
    if (offset + size > source.length)
      throw CanisterTrap.violated(
        `ic0.${name}: offset + size (${offset + size}) exceeds the length ${source.length}`
      )
    heap(dst, size).set(source.subarray(offset, offset + size))
  }

  const respond = (name: Ic0Name, message: Message): void => {
    if (message.response) throw CanisterTrap.violated(`ic0.${name}: the call was already responded to`)
  }

  // dfinity/ic, rs/embedders (system_api_replacements.rs, system_api.rs `try_grow_stable_memory`): the 32-bit
  // functions trap once stable memory is larger than 4 GiB (TrapCode::StableMemoryTooBigFor32Bit), and
  // stable_grow answers -1 when the memory would pass 4 GiB. The 64-bit ones reach the 500 GiB maximum.
  const checkStable32 = (): void => {
    if (host.stable.pages > MAX_STABLE_PAGES_32)
      throw CanisterTrap.trapped('32 bit stable memory api used on a memory larger than 4GB')
  }

  const stableRead = (dst: number, offset: number, size: number): void => {
    if (!host.stable.inBounds(offset, size)) throw CanisterTrap.trapped('stable memory out of bounds')
    host.stable.read(offset, heap(dst, size))
  }

  const stableWrite = (offset: number, src: number, size: number): void => {
    if (!host.stable.inBounds(offset, size)) throw CanisterTrap.trapped('stable memory out of bounds')
    host.stable.write(offset, heap(src, size))
  }

  const stableGrow32 = (pages: number): number => {
    checkStable32()
    return host.stable.pages + pages > MAX_STABLE_PAGES_32 ? -1 : host.stable.grow(pages)
  }

  const ic0 = {
    msg_arg_data_size: () => enter('msg_arg_data_size').ctx.arg.length,
    msg_arg_data_copy: (dst: number, offset: number, size: number) =>
      copyOut('msg_arg_data_copy', enter('msg_arg_data_copy').ctx.arg, a(dst), a(offset), a(size)),
    msg_caller_size: () => enter('msg_caller_size').ctx.caller.toUint8Array().length,
    msg_caller_copy: (dst: number, offset: number, size: number) =>
      copyOut(
        'msg_caller_copy',
        enter('msg_caller_copy').ctx.caller.toUint8Array(),
        a(dst),
        a(offset),
        a(size)
      ),
    msg_reply_data_append: (src: number, size: number) => {
      const message = enter('msg_reply_data_append')
      respond('msg_reply_data_append', message)
      if (message.replySize + a(size) > maxReplySize(message.kind))
        throw CanisterTrap.violated(
          `ic0.msg_reply_data_append: application payload size (${message.replySize + a(size)}) cannot be larger than ${maxReplySize(message.kind)}`
        )
      message.replyChunks.push(heap(a(src), a(size)).slice())
      message.replySize += a(size)
    },
    msg_reply: () => {
      const message = enter('msg_reply')
      respond('msg_reply', message)
      message.response = { status: 'replied' }
    },
    msg_reject: (src: number, size: number) => {
      const message = enter('msg_reject')
      respond('msg_reject', message)
      message.response = { status: 'rejected', message: utf8.decode(heap(a(src), a(size))) }
    },
    msg_method_name_size: () => Buffer.byteLength(enter('msg_method_name_size').ctx.methodName),
    msg_method_name_copy: (dst: number, offset: number, size: number) =>
      copyOut(
        'msg_method_name_copy',
        Buffer.from(enter('msg_method_name_copy').ctx.methodName),
        a(dst),
        a(offset),
        a(size)
      ),
    accept_message: () => {
      enter('accept_message')
    },
    canister_self_size: () => enter('canister_self_size').ctx.canisterId.toUint8Array().length,
    canister_self_copy: (dst: number, offset: number, size: number) =>
      copyOut(
        'canister_self_copy',
        enter('canister_self_copy').ctx.canisterId.toUint8Array(),
        a(dst),
        a(offset),
        a(size)
      ),
    // Both work in a start function too, where no message exists yet.
    trap: (src: number, size: number) => {
      throw CanisterTrap.called(utf8.decode(heap(a(src), a(size))))
    },
    debug_print: (src: number, size: number) => {
      host.debugPrint(utf8.decode(heap(a(src), a(size))))
    },
    time: () => enter('time').ctx.timeNs,
    stable_size: () => {
      enter('stable_size')
      checkStable32()
      return host.stable.pages
    },
    stable_grow: (pages: number) => {
      enter('stable_grow')
      return stableGrow32(u32(pages))
    },
    stable_read: (dst: number, offset: number, size: number) => {
      enter('stable_read')
      checkStable32()
      stableRead(a(dst), u32(offset), a(size))
    },
    stable_write: (offset: number, src: number, size: number) => {
      enter('stable_write')
      checkStable32()
      stableWrite(u32(offset), a(src), a(size))
    },
    stable64_size: () => {
      enter('stable64_size')
      return BigInt(host.stable.pages)
    },
    stable64_grow: (pages: bigint) => {
      enter('stable64_grow')
      // Beyond the 500 GiB maximum (or 2^53) the grow fails with -1.
      return BigInt(host.stable.grow(u64(pages)))
    },
    stable64_read: (dst: bigint, offset: bigint, size: bigint) => {
      enter('stable64_read')
      stableRead(u64(dst), u64(offset), u64(size))
    },
    stable64_write: (offset: bigint, src: bigint, size: bigint) => {
      enter('stable64_write')
      stableWrite(u64(offset), u64(src), u64(size))
    },
    certified_data_set: (src: number, size: number) => {
      enter('certified_data_set')
      if (a(size) > MAX_CERTIFIED_DATA_SIZE)
        throw CanisterTrap.violated(
          `ic0.certified_data_set: the data must be no larger than ${MAX_CERTIFIED_DATA_SIZE} bytes`
        )
      host.certifiedData = heap(a(src), a(size)).slice()
    },
    // interface spec, "Global timer": returns the previous deadline, 0 if none; 0 deactivates the timer. The
    // replica keeps the timer (snapshots take and load it) but runs no canister_global_timer.
    global_timer_set: (timestamp: bigint) => {
      enter('global_timer_set')
      const previous = host.globalTimer
      host.globalTimer = BigInt.asUintN(64, timestamp)
      return BigInt.asIntN(64, previous)
    },
    data_certificate_present: () => {
      enter('data_certificate_present')
      // The runtime executes no non-replicated query that could carry a certificate.
      return 0
    }
  } satisfies Record<Ic0Name, (...args: never[]) => unknown>

  return { ic0: mode === 'wasm64' ? forWasm64(ic0) : ic0 }
}

/** The same functions with i64 addresses and sizes: BigInts in (as u64), BigInts out. */
function forWasm64(ic0: Record<Ic0Name, (...args: never[]) => unknown>): Record<string, unknown> {
  const wrapped: Record<string, unknown> = {}
  for (const name of Object.keys(ic0) as Ic0Name[]) {
    const { params, results } = IC0_FUNCTIONS[name]
    const inner = ic0[name] as (...args: unknown[]) => unknown
    if (!params.includes(A) && !results.includes(A)) {
      wrapped[name] = inner
      continue
    }
    wrapped[name] = (...args: unknown[]) => {
      const result = inner(...args.map((arg, i) => (params[i] === A ? u64(arg as bigint) : arg)))
      return results[0] === A ? BigInt(result as number) : result
    }
  }
  return wrapped
}
