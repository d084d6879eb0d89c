// Cycles, run from dist/ against the replica, which charges as a 13-node application subnet does: a canister
// too poor for the step fails in the preflight with the top-up to run, and nothing is stopped; an IC0207 the
// IC answers anyway is final, not retried, and the canister is started again.
import type { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import { IDL } from '@icp-sdk/core/candid'
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1'
import type { Principal } from '@icp-sdk/core/principal'
import { agentFor, managementFor } from '../harness/agent.js'
import { dfxSecp256k1Sec1, type PemFixture } from '../harness/pem.js'
import { Job, type StepResult } from '../harness/runner.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'

let replica: Replica
let identity: PemFixture
let job: Job
let ic: IcManagementCanister
let controller: Principal

beforeAll(async () => {
  replica = await startReplica({ syncCallTimeoutMs: 2_000 })
  identity = await dfxSecp256k1Sec1({ crlf: false })
  const controllerIdentity = Secp256k1KeyIdentity.fromPem(identity.pem)
  controller = controllerIdentity.getPrincipal()
  ic = managementFor(await agentFor(replica, controllerIdentity))
  job = await Job.create()
})

afterAll(async () => {
  await job?.cleanup()
  await replica?.stop()
})

afterEach(() => replica.controls.clearFaults())

const nat64 = (n: bigint) => new Uint8Array(IDL.encode([IDL.Nat64], [n]))

function action(mode: string, inputs: Record<string, string>): Promise<StepResult> {
  return job.main({
    inputs: { mode, identity: identity.pem, network: replica.url, 'root-key': replica.rootKeyHex, ...inputs },
    env: { CANISTER_SNAPSHOT_RETRY_SCALE: '0.01' }
  })
}

const callsTo = (id: Principal, method: string) =>
  replica.requests.filter(r => r.methodName === method && r.effectiveCanisterId === id.toText()).length

async function runState(id: Principal): Promise<string> {
  return Object.keys((await ic.canisterStatus({ canisterId: id })).status)[0]
}

describe('the cycles preflight', () => {
  it('fails a canister too poor for a snapshot before anything stops, saying how many cycles to add', async () => {
    const id = await replica.seedCanister('counter', [controller], nat64(3n))
    // Enough for the calls of the preflight, not for a 2B-instruction snapshot above the freezing threshold.
    await replica.setCycles(id, 1_000_000_000n)
    const result = await action('create', { canister: id.toText() })

    expect(result.code).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(
      new RegExp(
        `^${id.toText()} holds [\\d.]+[BM] cycles, but this step needs about [\\d.]+B \\(snapshot of \\d+ bytes: [\\d.]+B, calls: [\\d.]+M, and [\\d.]+M kept back by its freezing threshold of 2592000 s\\); add at least [\\d.]+[BM] cycles with 'icp canister top-up --amount \\d+b ${id.toText()} -n ic' and run the step again\\. Nothing was stopped or changed\\.$`
      )
    )
    expect(result.stderr).toBe('')
    // Nothing was stopped, nothing taken: the canister runs as before.
    expect(callsTo(id, 'stop_canister')).toBe(0)
    expect(callsTo(id, 'take_canister_snapshot')).toBe(0)
    expect(await runState(id)).toBe('running')
    expect(await ic.listCanisterSnapshots({ canisterId: id })).toEqual([])

    // After the top-up it names, the same step succeeds.
    const amount = BigInt(/--amount (\d+)b/.exec(result.errors[0])?.[1] as string) * 1_000_000_000n
    await replica.setCycles(id, (replica.state.cyclesOf(id)?.cycles as bigint) + amount)
    const again = await action('create', { canister: id.toText() })
    expect(again.code).toBe(0)
    expect(again.log).toMatch(/cycles check passed/)
    expect(await ic.listCanisterSnapshots({ canisterId: id })).toHaveLength(1)
  })

  it('fails a restore the canister cannot pay for (safety snapshot and load) before it stops', async () => {
    const id = await replica.seedCanister('counter', [controller], nat64(5n))
    const snapshot = await ic.takeCanisterSnapshot({ canisterId: id })
    await replica.setCycles(id, 3_000_000_000n)
    const result = await action('restore', { canister: id.toText(), 'snapshot-id': 'latest' })

    expect(result.code).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(
      new RegExp(
        `^${id.toText()} holds [\\d.]+B cycles, but this step needs about [\\d.]+B \\(snapshot of \\d+ bytes: [\\d.]+B, load: 2B, calls: [\\d.]+M, and [\\d.]+M kept back .*'icp canister top-up --amount \\d+b ${id.toText()} -n ic'`
      )
    )
    expect(callsTo(id, 'stop_canister')).toBe(0)
    expect(callsTo(id, 'load_canister_snapshot')).toBe(0)
    expect(await runState(id)).toBe('running')
    expect((await ic.listCanisterSnapshots({ canisterId: id })).map(s => s.id)).toEqual([snapshot.id])
  })

  it('treats an IC0207 from the IC as final: one take, no retries, and the canister runs again', async () => {
    const id = await replica.seedCanister('counter', [controller], nat64(4n))
    // The balance drains between the preflight and the take (another spender): the canister is held in
    // Stopping, drained, and let go.
    replica.state.holdInStopping(id, true)
    const step = action('create', { canister: id.toText() })
    while (callsTo(id, 'stop_canister') === 0) await new Promise(resolve => setTimeout(resolve, 20))
    await replica.setCycles(id, 200_000_000n)
    replica.state.holdInStopping(id, false)
    const result = await step

    expect(result.code).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(
      /take_canister_snapshot of .* was rejected by the IC \(IC0207\): Canister snapshotting failed with: `Canister .* is out of cycles: please top up the canister with at least [\d_]+ additional cycles` .* Add cycles with 'icp canister top-up --amount <cycles> <canister> -n ic' and run the step again\./
    )
    expect(result.log).not.toMatch(/retrying in/)
    expect(callsTo(id, 'take_canister_snapshot')).toBe(1)
    expect(callsTo(id, 'start_canister')).toBe(1)
    expect(await runState(id)).toBe('running')
    expect(await ic.listCanisterSnapshots({ canisterId: id })).toEqual([])
  })
})
