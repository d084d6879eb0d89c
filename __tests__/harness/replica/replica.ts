// A local Internet Computer for tests: the HTTP interface over the state machine, on 127.0.0.1.
import type http from 'node:http'
import { Principal } from '@dfinity/principal'
import { compileCanister } from '../canisters/compile.js'
import { replicaKeys } from './certification/keys.js'
import { ReplicaControls, type RequestRecord } from './controls.js'
import { createServer, listeningUrl } from './http/server.js'
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
  stop(): Promise<void>
}

const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n

export async function startReplica(options: ReplicaOptions = {}): Promise<Replica> {
  const keys = replicaKeys(options.seed)
  const state = new StateMachine({ now: nowNs, subnetId: keys.subnetId })
  const controls = new ReplicaControls()
  controls.latencyMs = options.latencyMs ?? 0
  const requests: RequestRecord[] = []
  const server = createServer({
    keys,
    state,
    controls,
    now: nowNs,
    syncCallTimeoutMs: options.syncCallTimeoutMs ?? 10_000,
    requestLog: requests
  })
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
    stop: () => close(server)
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
