// What the suites that run dist/ share: a replica, the GitHub stand-in, a controller identity (dfx's secp256k1
// PEM), the management client as that controller, jobs that are searched for leaked keys and removed at the
// end, and counter canisters seeded with a value.
import { createHash } from 'node:crypto'
import type { ActorSubclass } from '@icp-sdk/core/agent'
import { IDL } from '@icp-sdk/core/candid'
import type { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1'
import type { Principal } from '@icp-sdk/core/principal'
import { agentFor, counterFor, managementFor, type Counter } from './agent.js'
import { startGitHubBackend, type GitHubBackend } from './github/index.js'
import { dfxSecp256k1Sec1, type PemFixture } from './pem.js'
import { startReplica, type Replica } from './replica/replica.js'
import { Job } from './runner.js'
import { outOfRateLimit } from './wait-out-rate-limit.js'

export interface ActionWorld {
  replica: Replica
  github: GitHubBackend
  identity: PemFixture
  controller: Principal
  ic: IcManagementCanister
  newJob(): Promise<Job>
  /** A counter canister of the controller holding `initial`, and a client of it as an unrelated caller. */
  newCounter(initial: bigint): Promise<{ id: Principal; counter: ActorSubclass<Counter> }>
  /** The inputs that point a step at the replica as the controller. */
  connection(): Record<string, string>
  /**
   * The sha256 of the canister's module, heap and stable memory as the IC holds them, read through the
   * management client (a snapshot taken, read and deleted again), not through the action under test.
   */
  memoryOf(id: Principal): Promise<MemoryHashes>
  /** Cleans up every job (failing on leaked key material) and stops the servers. */
  stop(): Promise<void>
}

export interface MemoryHashes {
  module: string
  heap: string
  stable: string
}

// interface spec, read_canister_snapshot_data: at most 2,000,000 bytes per slice.
const SLICE = 2_000_000n

async function memoryOf(ic: IcManagementCanister, canisterId: Principal): Promise<MemoryHashes> {
  const { status } = await ic.canisterStatus({ canisterId })
  const wasRunning = 'running' in status
  if (wasRunning) await ic.stopCanister(canisterId)
  const { id: snapshotId } = await outOfRateLimit(() => ic.takeCanisterSnapshot({ canisterId }))
  if (wasRunning) await ic.startCanister(canisterId)
  try {
    const metadata = await ic.readCanisterSnapshotMetadata({ canisterId, snapshotId })
    const hashOf = async (
      kind: 'wasmModule' | 'wasmMemory' | 'stableMemory',
      size: bigint
    ): Promise<string> => {
      const hash = createHash('sha256')
      for (let offset = 0n; offset < size; offset += SLICE) {
        const length = size - offset < SLICE ? size - offset : SLICE
        const { chunk } = await ic.readCanisterSnapshotData({
          canisterId,
          snapshotId,
          kind: { [kind]: { offset, size: length } } as never
        })
        hash.update(chunk)
      }
      return hash.digest('hex')
    }
    return {
      module: await hashOf('wasmModule', metadata.wasmModuleSize),
      heap: await hashOf('wasmMemory', metadata.wasmMemorySize),
      stable: await hashOf('stableMemory', metadata.stableMemorySize)
    }
  } finally {
    await ic.deleteCanisterSnapshot({ canisterId, snapshotId })
  }
}

export async function startActionWorld(): Promise<ActionWorld> {
  const replica = await startReplica({ syncCallTimeoutMs: 500 })
  const github = await startGitHubBackend()
  const identity = await dfxSecp256k1Sec1()
  const controllerIdentity = Secp256k1KeyIdentity.fromPem(identity.pem)
  const controller = controllerIdentity.getPrincipal()
  const ic = managementFor(await agentFor(replica, controllerIdentity))
  const jobs: Job[] = []
  return {
    replica,
    github,
    identity,
    controller,
    ic,
    async newJob() {
      const job = await Job.create()
      jobs.push(job)
      return job
    },
    async newCounter(initial) {
      const id = await replica.seedCanister(
        'counter',
        [controller],
        new Uint8Array(IDL.encode([IDL.Nat64], [initial]))
      )
      return { id, counter: counterFor(await agentFor(replica, Ed25519KeyIdentity.generate()), id) }
    },
    memoryOf: id => memoryOf(ic, id),
    connection: () => ({ identity: identity.pem, network: replica.url, 'root-key': replica.rootKeyHex }),
    async stop() {
      try {
        for (const job of jobs) await job.cleanup()
      } finally {
        await github.stop()
        await replica.stop()
      }
    }
  }
}

export const hex = (bytes: Uint8Array | number[]): string => Buffer.from(bytes).toString('hex')
