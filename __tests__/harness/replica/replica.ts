// A local Internet Computer for tests: the HTTP interface over the state machine, on 127.0.0.1.
import type http from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Principal } from '@dfinity/principal'
import { compileCanister } from '../canisters/compile.js'
import { replicaKeys } from './certification/keys.js'
import { ReplicaControls, type RequestRecord } from './controls.js'
import { createServer, listeningUrl, type ServerOptions } from './http/server.js'
import { RequestRegistry } from './http/request-registry.js'
import { StateMachine } from './state-machine.js'

export interface ReplicaOptions {
  port?: number
  latencyMs?: number
  /** 32 bytes; the same seed gives the same root key. */
  seed?: Uint8Array
  syncCallTimeoutMs?: number
}

export interface Replica {
  url: string
  rootKey: Uint8Array
  rootKeyHex: string
  subnetId: Principal
  state: StateMachine
  controls: ReplicaControls
  /** Every API request in arrival order. */
  requests: RequestRecord[]
  /** Creates a canister controlled by `controllers` running the named WAT test canister. */
  seedCanister(wat: string, controllers: Principal[], initArg?: Uint8Array): Promise<Principal>
  /** Resolves once the replica listens again after a restart (at once when none is under way). */
  listening(): Promise<void>
  stop(): Promise<void>
}

const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n

export async function startReplica(options: ReplicaOptions = {}): Promise<Replica> {
  const keys = replicaKeys(options.seed)
  const state = new StateMachine({ now: nowNs, subnetId: keys.subnetId })
  const controls = new ReplicaControls()
  controls.latencyMs = options.latencyMs ?? 0
  const requests: RequestRecord[] = []
  const serverOptions: ServerOptions = {
    keys,
    state,
    controls,
    now: nowNs,
    syncCallTimeoutMs: options.syncCallTimeoutMs ?? 10_000,
    requestLog: requests,
    registry: new RequestRegistry(),
    restart: downMs => {
      const port = (server.address() as AddressInfo).port
      const down = server
      server = createServer(serverOptions)
      listening = close(down)
        .then(() => sleep(downMs))
        .then(() => listen(server, port))
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
    state,
    controls,
    requests,
    async seedCanister(wat, controllers, initArg) {
      const id = state.createCanister(controllers)
      await state.installCode(id, await compileCanister(wat), initArg)
      return id
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
