// A local Internet Computer for tests: the HTTP interface over the state machine, on 127.0.0.1.
import type http from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Principal } from '@icp-sdk/core/principal'
import { compileCanister } from '../canisters/compile.js'
import { replicaKeys } from './certification/keys.js'
import { ReplicaControls, type RequestRecord } from './controls.js'
import { SEEDED_CANISTER_CYCLES } from './management/cycles.js'
import { createServer, listeningUrl, type ServerOptions } from './http/server.js'
import { RequestRegistry } from './http/request-registry.js'
import { StateDir } from './state-dir/state-dir.js'
import { StateMachine } from './state-machine.js'

export interface ReplicaOptions {
  port?: number
  latencyMs?: number
  /** 32 bytes; the same seed gives the same root key. */
  seed?: Uint8Array
  syncCallTimeoutMs?: number
  /**
   * Keeps the state in this directory: a replica started on it again (after a crash, a kill or a restart)
   * has its canisters, snapshots and recent call outcomes back, and the seed it was made with.
   */
  stateDir?: string
}

export interface Replica {
  url: string
  rootKey: Uint8Array
  rootKeyHex: string
  subnetId: Principal
  /** The state of the running incarnation (a restart from a state dir replaces it). */
  readonly state: StateMachine
  controls: ReplicaControls
  /** Every API request in arrival order. */
  requests: RequestRecord[]
  /**
   * Creates a canister controlled by `controllers` running the named WAT test canister, holding `cycles`
   * (10T, a funded mainnet canister's balance, unless told).
   */
  seedCanister(
    wat: string,
    controllers: Principal[],
    initArg?: Uint8Array,
    options?: { cycles?: bigint }
  ): Promise<Principal>
  /** Sets a canister's cycles balance (and optionally its reserved cycles), as a top-up or a drain would. */
  setCycles(canisterId: Principal, cycles: bigint, reserved?: bigint): Promise<void>
  /** Resolves once the replica listens again after a restart (at once when none is under way). */
  listening(): Promise<void>
  stop(): Promise<void>
}

const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n

export async function startReplica(options: ReplicaOptions = {}): Promise<Replica> {
  const stateDir = options.stateDir ? await StateDir.open(options.stateDir, options.seed) : undefined
  const keys = replicaKeys(stateDir?.seed ?? options.seed)
  const controls = new ReplicaControls()
  controls.latencyMs = options.latencyMs ?? 0
  const requests: RequestRecord[] = []

  // One incarnation of the replica: with a state dir, what a restart reads back; without, a fresh state.
  async function boot(): Promise<{
    state: StateMachine
    registry: RequestRegistry
    save: () => Promise<void>
  }> {
    const loaded = await stateDir?.load(nowNs, keys.subnetId)
    const state = new StateMachine({
      now: nowNs,
      subnetId: keys.subnetId,
      subnet: loaded?.subnet,
      rules: controls.rules
    })
    controls.beforeRulesChange = () => state.settleRules()
    const save: () => Promise<void> = stateDir
      ? stateDir.saver(state, (): RequestRegistry => registry)
      : () => Promise.resolve()
    const registry: RequestRegistry = new RequestRegistry(save, loaded?.settled)
    return { state, registry, save }
  }
  let incarnation = await boot()
  const serverOptions: ServerOptions = {
    keys,
    state: incarnation.state,
    controls,
    now: nowNs,
    syncCallTimeoutMs: options.syncCallTimeoutMs ?? 10_000,
    requestLog: requests,
    registry: incarnation.registry,
    restart: downMs => {
      const port = (server.address() as AddressInfo).port
      // With a state dir the restart is a crash: what the old incarnation still executes is lost, and the
      // new one starts from what was saved.
      stateDir?.abandon()
      listening = close(server)
        .then(() => sleep(downMs))
        .then(async () => {
          if (stateDir) {
            incarnation = await boot()
            serverOptions.state = incarnation.state
            serverOptions.registry = incarnation.registry
          }
          server = createServer(serverOptions)
          await listen(server, port)
        })
    }
  }
  let listening: Promise<void> = Promise.resolve()
  let server = createServer(serverOptions)
  await listen(server, options.port ?? 0)
  return {
    url: listeningUrl(server),
    rootKey: keys.rootKeyDer,
    rootKeyHex: Buffer.from(keys.rootKeyDer).toString('hex'),
    subnetId: keys.subnetId,
    get state() {
      return incarnation.state
    },
    controls,
    requests,
    async seedCanister(wat, controllers, initArg, seedOptions) {
      const { state, save } = incarnation
      const id = state.createCanister(controllers, seedOptions?.cycles ?? SEEDED_CANISTER_CYCLES)
      await state.installCode(id, await compileCanister(wat), initArg)
      await save()
      return id
    },
    async setCycles(canisterId, cycles, reserved) {
      incarnation.state.setCycles(canisterId, cycles, reserved)
      await incarnation.save()
    },
    listening: () => listening,
    stop: () => listening.then(() => close(server))
  }
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
}

function close(server: http.Server): Promise<void> {
  return new Promise(resolve => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}
