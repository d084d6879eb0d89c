// The replica's state on disk (`--state-dir`): every canister with its code, memories, chunk store and
// snapshots, the canister id counter, the outcomes of recent calls and the key seed. It is saved after each
// update call and before anyone sees the call's outcome, as a replica commits a block before it certifies a
// reply: a replica killed at any moment comes back with every call it has answered.
//
// <dir>/seed        the 32-byte key seed, hex (the same root key after a restart)
// <dir>/state.json  tagged JSON (codec.ts); memories and modules are named by sha256 in <dir>/blobs
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Principal } from '@icp-sdk/core/principal'
import type { RequestRegistry, SettledCall } from '../http/request-registry.js'
import { Canister, type Snapshot } from '../management/canister.js'
import { ChunkStore, sha256 } from '../management/chunk-store.js'
import { compile, restore } from '../management/code.js'
import { Subnet } from '../management/subnet.js'
import type { StateMachine } from '../state-machine.js'
import type { CompiledCanister } from '../wasm/runtime.js'
import { SparseMemory } from '../wasm/sparse-memory.js'
import { BlobStore } from './blob-store.js'
import { decodeState, encodeState, type BlobSink, type Json } from './codec.js'

// 2: memories are sparse ({$memory}); a state dir of format 1 (whole Uint8Arrays) is still read.
const FORMAT = 2
const READABLE_FORMATS = [1, FORMAT]
// A call's outcome stays readable for the ingress expiry (5 minutes) and a margin, as on the IC.
const OUTCOME_RETENTION_MS = 6 * 60_000

interface Encoded {
  json: Json
  blobs: string[]
}

interface SavedCanister {
  id: Principal
  status: Canister['status']
  version: bigint
  settings: Canister['settings']
  controllers: Principal[]
  cycles: bigint
  /** Absent from state dirs written before cycles were accounted. */
  reservedCycles?: bigint
  nextSnapshotLocalId: bigint
  holdInStopping: boolean
  chunks: Uint8Array[]
  code?: {
    module: Uint8Array
    /** Uint8Array in state dirs written before memories were sparse. */
    heap: SparseMemory | Uint8Array
    stable: SparseMemory | Uint8Array
    globals: Snapshot['globals']
    certifiedData: Uint8Array
    globalTimerNs?: bigint
  }
  snapshots: SavedSnapshot[]
}

type SavedSnapshot = Omit<Snapshot, 'canisterId' | 'compiled' | 'chunkStore' | 'heap' | 'stable'> & {
  chunks: Uint8Array[]
  heap: SparseMemory | Uint8Array
  stable: SparseMemory | Uint8Array
}

const sparse = (memory: SparseMemory | Uint8Array) =>
  memory instanceof Uint8Array ? SparseMemory.of(memory) : memory

interface SavedState {
  format: number
  canisterIndex: bigint
  canisters: Json[]
  calls: Json[]
}

export interface LoadedState {
  subnet?: Subnet
  settled: SettledCall[]
}

export class StateDir {
  /** Bumped when the replica goes down: saves of the incarnation before it are dropped. */
  private generation = 0
  private lastSave: Promise<void> = Promise.resolve()
  private readonly canisters = new Map<string, Encoded>()
  private readonly calls = new Map<string, Encoded>()
  // A snapshot taken from a canister never changes, so its encoding is reused by every later save.
  private readonly takenSnapshots = new WeakMap<Snapshot, Encoded>()

  private constructor(
    readonly dir: string,
    readonly seed: Uint8Array,
    private readonly blobs: BlobStore
  ) {}

  /** Opens (or creates) a state dir. A given seed must match the one the dir was made with. */
  static async open(dir: string, seed?: Uint8Array): Promise<StateDir> {
    await mkdir(dir, { recursive: true })
    const seedFile = join(dir, 'seed')
    let kept: Uint8Array
    if (existsSync(seedFile)) {
      kept = new Uint8Array(Buffer.from((await readFile(seedFile, 'utf8')).trim(), 'hex'))
      if (seed && Buffer.compare(seed, kept) !== 0)
        throw new Error(`state dir ${dir} belongs to a replica with another seed`)
    } else {
      kept = seed ?? new Uint8Array(randomBytes(32))
      await writeFile(seedFile, Buffer.from(kept).toString('hex') + '\n')
    }
    return new StateDir(dir, kept, await BlobStore.open(join(dir, 'blobs')))
  }

  /** The saved subnet and call outcomes; no subnet when nothing was saved yet. */
  async load(now: () => bigint, subnetId: Principal): Promise<LoadedState> {
    await this.lastSave
    const file = join(this.dir, 'state.json')
    if (!existsSync(file)) return { settled: [] }
    const saved = decodeState(JSON.parse(await readFile(file, 'utf8')) as Json, this.blobs) as SavedState
    if (!READABLE_FORMATS.includes(saved.format))
      throw new Error(`state dir ${this.dir}: unknown format ${saved.format}`)
    const subnet = new Subnet(now, subnetId)
    const modules = new Map<string, CompiledCanister>()
    for (const record of saved.canisters as unknown as SavedCanister[]) {
      const { canister, snapshots } = await rebuildCanister(record, modules)
      subnet.adopt(canister, snapshots)
    }
    subnet.canisterIndex = saved.canisterIndex
    subnet.touched.clear()
    return { subnet, settled: saved.calls as unknown as SettledCall[] }
  }

  /** Ends the current incarnation: nothing it still executes is saved. */
  abandon(): void {
    this.generation += 1
  }

  /** A save function for one incarnation of the replica. */
  saver(machine: StateMachine, registry: () => RequestRegistry): () => Promise<void> {
    const generation = this.generation
    return () => {
      if (generation !== this.generation) return Promise.resolve()
      const save = machine.betweenMessages(subnet =>
        generation === this.generation ? this.save(subnet, registry()) : Promise.resolve()
      )
      this.lastSave = save.catch(() => undefined)
      return save
    }
  }

  private async save(subnet: Subnet, registry: RequestRegistry): Promise<void> {
    const referenced = new Set<string>()
    const canisters: Json[] = []
    const live = new Set<string>()
    for (const canister of subnet.allCanisters()) {
      const key = canister.id.toText()
      live.add(key)
      let encoded = this.canisters.get(key)
      if (!encoded || subnet.touched.has(key)) {
        encoded = this.encodeCanister(subnet, canister)
        this.canisters.set(key, encoded)
      }
      canisters.push(encoded.json)
      for (const blob of encoded.blobs) referenced.add(blob)
    }
    for (const key of this.canisters.keys()) if (!live.has(key)) this.canisters.delete(key)
    subnet.touched.clear()

    const calls: Json[] = []
    const recent = new Set<string>()
    for (const call of registry.settledSince(Date.now() - OUTCOME_RETENTION_MS)) {
      recent.add(call.requestId)
      let encoded = this.calls.get(call.requestId)
      if (!encoded) {
        encoded = encodeWith(this.blobs, call)
        this.calls.set(call.requestId, encoded)
      }
      calls.push(encoded.json)
      for (const blob of encoded.blobs) referenced.add(blob)
    }
    for (const key of this.calls.keys()) if (!recent.has(key)) this.calls.delete(key)

    const state = encodeState({ format: FORMAT, canisterIndex: subnet.canisterIndex }, this.blobs) as Record<
      string,
      Json
    >
    await this.blobs.flush()
    const file = join(this.dir, 'state.json')
    await writeFile(`${file}.tmp`, JSON.stringify({ ...state, canisters, calls }))
    await rename(`${file}.tmp`, file)
    await this.blobs.keepOnly(referenced)
  }

  private encodeCanister(subnet: Subnet, canister: Canister): Encoded {
    const snapshots = subnet.snapshotsOf(canister.id).map(snapshot => this.encodeSnapshot(snapshot))
    const code = canister.code && {
      module: canister.code.module.bytes,
      ...canister.code.instance.exportState()
    }
    const own = encodeWith(this.blobs, {
      id: canister.id,
      status: canister.status,
      version: canister.version,
      settings: canister.settings,
      controllers: canister.controllers,
      cycles: canister.cycles,
      reservedCycles: canister.reservedCycles,
      nextSnapshotLocalId: canister.nextSnapshotLocalId,
      holdInStopping: canister.holdInStopping,
      chunks: chunksOf(canister.chunkStore),
      code
    })
    return {
      json: { ...(own.json as Record<string, Json>), snapshots: snapshots.map(s => s.json) },
      blobs: [...own.blobs, ...snapshots.flatMap(s => s.blobs)]
    }
  }

  private encodeSnapshot(snapshot: Snapshot): Encoded {
    const cached = this.takenSnapshots.get(snapshot)
    if (cached) return cached
    const { canisterId: _owner, compiled: _compiled, chunkStore, ...kept } = snapshot
    const encoded = encodeWith(this.blobs, { ...kept, chunks: chunksOf(chunkStore) })
    if (snapshot.source === 'taken_from_canister') this.takenSnapshots.set(snapshot, encoded)
    return encoded
  }
}

/** Encodes a value and notes the blobs it refers to. */
function encodeWith(blobs: BlobSink, value: unknown): Encoded {
  const names: string[] = []
  const json = encodeState(value, {
    put: bytes => {
      const name = blobs.put(bytes)
      names.push(name)
      return name
    }
  })
  return { json, blobs: names }
}

function chunksOf(store: ChunkStore): Uint8Array[] {
  return store.hashes().map(hash => store.get(hash) as Uint8Array)
}

function chunkStoreOf(chunks: Uint8Array[]): ChunkStore {
  const store = new ChunkStore()
  for (const chunk of chunks) store.insert(chunk)
  return store
}

async function rebuildCanister(
  record: SavedCanister,
  modules: Map<string, CompiledCanister>
): Promise<{ canister: Canister; snapshots: Snapshot[] }> {
  const canister = new Canister(record.id, record.controllers, record.cycles)
  canister.version = record.version
  canister.reservedCycles = record.reservedCycles ?? 0n
  canister.settings = record.settings
  canister.nextSnapshotLocalId = record.nextSnapshotLocalId
  canister.holdInStopping = record.holdInStopping
  // The stop calls a stopping canister owed died with the process; unless held, it has stopped since.
  canister.status = record.status === 'stopping' && !record.holdInStopping ? 'stopped' : record.status
  canister.chunkStore = chunkStoreOf(record.chunks)
  if (record.code) {
    const { module: bytes, heap, stable, ...state } = record.code
    const key = Buffer.from(sha256(bytes)).toString('hex')
    const module = modules.get(key) ?? (await compile(canister.id, bytes))
    modules.set(key, module)
    canister.code = {
      module,
      instance: await restore(canister, module, { ...state, heap: sparse(heap), stable: sparse(stable) })
    }
  }
  const snapshots = record.snapshots.map(({ chunks, heap, stable, ...snapshot }): Snapshot => ({
    ...snapshot,
    heap: sparse(heap),
    stable: sparse(stable),
    canisterId: canister.id,
    chunkStore: chunkStoreOf(chunks)
  }))
  return { canister, snapshots }
}
