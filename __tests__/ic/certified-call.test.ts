// The certified update call the transfers make by the thousand (src/ic/certified-call.ts): HttpAgent.update
// of @icp-sdk/core with the action's BLS check, on both of the replica's answers to a v4 call (200 with a
// certificate, or 202 and read_state polling), for replies and rejects, and against the wrong root key.
import { IDL } from '@icp-sdk/core/candid'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import type { Principal } from '@icp-sdk/core/principal'
import { certifiedCall, certifiedManagementCall } from '../../src/ic/certified-call.js'
import { connect } from '../../src/ic/connect.js'
import { asRejectError, IcRejectError } from '../../src/ic/errors.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'

const owner = Ed25519KeyIdentity.generate()
const noArgs = new Uint8Array(IDL.encode([], []))
const canisterArg = (id: Principal) =>
  new Uint8Array(IDL.encode([IDL.Record({ canister_id: IDL.Principal })], [{ canister_id: id }]))

let replica: Replica
let counter: Principal

beforeAll(async () => {
  replica = await startReplica({ syncCallTimeoutMs: 300 })
  counter = await replica.seedCanister('counter', [owner.getPrincipal()])
})
afterAll(async () => {
  await replica?.stop()
})

const connection = (rootKey = replica.rootKey) => connect({ kind: 'url', url: replica.url, rootKey }, owner)

/** Runs `call`, and names the endpoints it used. */
async function endpointsOf(call: () => Promise<unknown>): Promise<string[]> {
  const before = replica.requests.length
  await call()
  return [...new Set(replica.requests.slice(before).map(r => `${r.endpoint} v${r.version}`))].sort()
}

/** stop_canister of a canister held in Stopping past the synchronous timeout; `settle` ends the hold. */
async function heldStop(settle: (id: Principal) => Promise<unknown>) {
  const id = await replica.seedCanister('counter', [owner.getPrincipal()])
  replica.state.holdInStopping(id, true)
  setTimeout(() => void settle(id), 700)
  return certifiedManagementCall(await connection(), id, 'stop_canister', canisterArg(id))
}

/** The IcRejectError a call that must be refused ends in. */
async function rejectOf(operation: string, call: Promise<unknown>): Promise<IcRejectError> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => asRejectError(operation, error)
  )
  expect(outcome).toBeInstanceOf(IcRejectError)
  return outcome as IcRejectError
}

it('returns the certified reply of a call answered synchronously (v4, 200)', async () => {
  let reply: Uint8Array = new Uint8Array()
  expect(
    await endpointsOf(async () => {
      reply = await certifiedCall(await connection(), counter, counter, 'inc', noArgs)
    })
  ).toEqual(['call v4'])
  expect(IDL.decode([IDL.Nat64], reply)).toEqual([1n])
})

it('returns the certified reply of a call answered 202, read through read_state', async () => {
  const release = async (id: Principal) => replica.state.holdInStopping(id, false)
  expect(await endpointsOf(() => heldStop(release))).toEqual(['call v4', 'read_state v3'])
})

it('turns a certified reject into the one-line error with its IC reject code', async () => {
  const error = await rejectOf(
    'no_such_method',
    certifiedCall(await connection(), counter, counter, 'no_such_method', noArgs)
  )
  expect(error.message).toMatch(/^no_such_method was rejected by the IC \(IC\d{4}\): [^\n]*no_such_method/)
})

// The case @icp-sdk/core 6.0 and 6.1 turn into a TypeError (see README, Dependencies).
it('turns a reject read through read_state polling into the same one-line error', async () => {
  const cancel = async (id: Principal) =>
    certifiedManagementCall(await connection(), id, 'start_canister', canisterArg(id))
  const error = await rejectOf('stop_canister', heldStop(cancel))
  expect(error.rejectCode).toBeGreaterThan(0)
  expect(error.message).toMatch(/^stop_canister was rejected by the IC \((IC\d{4}|reject code \d)\): \S/)
})

it('refuses a certificate signed under another root key', async () => {
  const stranger = await startReplica()
  try {
    await expect(
      certifiedCall(await connection(stranger.rootKey), counter, counter, 'inc', noArgs)
    ).rejects.toThrow(/signature/i)
  } finally {
    await stranger.stop()
  }
})
