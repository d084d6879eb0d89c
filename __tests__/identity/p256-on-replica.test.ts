// A P-256 key made by icp-cli 1.5.0 (`--seed-curve prime256v1`) is a controller like any other: the action
// loads it, its signatures are accepted by the replica (which checks ECDSA P-256 over SHA-256, as the IC
// does), icp-cli's own Rust agent signs with the same key as the same principal, and dist/ works with it.
import { jest } from '@jest/globals'
import { decode, encodeWithSelfDescribedTag } from '@dfinity/cbor'
import type { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import { Principal } from '@icp-sdk/core/principal'
import { agentFor, counterFor, managementFor } from '../harness/agent.js'
import { IcpCli } from '../harness/icp-cli.js'
import { icpCliP256, type PemFixture } from '../harness/pem.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'
import { Job } from '../harness/runner.js'
import { loadIdentity, type ControllerIdentity } from '../../src/identity/index.js'

let replica: Replica
let fixture: PemFixture
let controller: ControllerIdentity
let ic: IcManagementCanister
let job: Job

beforeAll(async () => {
  replica = await startReplica({ syncCallTimeoutMs: 500 })
  fixture = await icpCliP256()
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
  try {
    controller = loadIdentity(fixture.pem)
  } finally {
    write.mockRestore()
  }
  ic = managementFor(await agentFor(replica, controller.identity))
  job = await Job.create()
}, 120_000)

afterAll(async () => {
  await job?.cleanup()
  await replica?.stop()
})

const hex = (bytes: Uint8Array | number[]) => Buffer.from(bytes).toString('hex')

it('loads as the principal icp-cli derives, a P-256 key', () => {
  expect(controller.keyKind).toBe('prime256v1')
  expect(controller.principal.toText()).toBe(fixture.principal)
  // id-ecPublicKey with the prime256v1 OID (RFC 5480), the sender_pubkey the replica reads.
  expect(hex(controller.identity.getPublicKey().toDer())).toMatch(
    /^3059301306072a8648ce3d020106082a8648ce3d03010703420004/
  )
})

it("signs update calls and snapshot calls that the replica accepts as the canister's controller", async () => {
  const id = await replica.seedCanister('counter', [controller.principal])
  // ECDSA signatures are randomized, and about half have a high S: several calls cover both.
  const counter = counterFor(await agentFor(replica, controller.identity), id)
  for (let i = 1n; i <= 6n; i++) expect(await counter.inc()).toBe(i)
  await ic.stopCanister(id)
  const snapshot = await ic.takeCanisterSnapshot({ canisterId: id })
  await ic.startCanister(id)
  expect((await ic.listCanisterSnapshots({ canisterId: id })).map(s => hex(s.id))).toEqual([hex(snapshot.id)])
  const calls = replica.requests.filter(r => r.sender === controller.principal.toText())
  expect(calls.length).toBeGreaterThanOrEqual(9)
})

it('is refused by the replica when a byte of its signature changes', async () => {
  const id = await replica.seedCanister('counter', [controller.principal])
  const tamper: typeof fetch = async (input, init) => {
    if (String(input).includes('/call') && init?.body) {
      const envelope = decode(new Uint8Array(init.body as ArrayBuffer)) as { sender_sig: Uint8Array }
      envelope.sender_sig[40] ^= 0x01
      return fetch(input, { ...init, body: encodeWithSelfDescribedTag(envelope as never) })
    }
    return fetch(input, init)
  }
  const counter = counterFor(await agentFor(replica, controller.identity, tamper), id)
  await expect(counter.inc()).rejects.toThrow(/Invalid signature/)
  expect(await counterFor(await agentFor(replica, controller.identity), id).get()).toBe(0n)
})

it("icp-cli's own agent, with the same PEM, is the same controller on the replica", async () => {
  const id = await replica.seedCanister('counter', [controller.principal])
  const icp = await IcpCli.create({ url: replica.url, rootKeyHex: replica.rootKeyHex })
  try {
    const { writeFile } = await import('node:fs/promises')
    const pemPath = `${icp.root}/p256.pem`
    await writeFile(pemPath, fixture.pem, { mode: 0o600 })
    expect(await icp.importIdentity('p256', pemPath)).toBe(fixture.principal)
    await icp.stop(id.toText())
    expect((await icp.canisterStatus(id.toText())).status).toBe('Stopped')
    await icp.start(id.toText())
  } finally {
    await icp.cleanup()
  }
})

it('runs dist/ with the P-256 identity: create takes a snapshot as that controller', async () => {
  const id = await replica.seedCanister('counter', [controller.principal])
  const result = await job.main({
    inputs: {
      mode: 'create',
      identity: fixture.pem,
      canister: id.toText(),
      network: replica.url,
      'root-key': replica.rootKeyHex
    }
  })
  if (result.code !== 0) throw new Error(`the step failed: ${result.errors.join(' | ') || result.stderr}`)
  expect(result.outputs.principal).toBe(fixture.principal)
  const snapshots = await ic.listCanisterSnapshots({ canisterId: Principal.fromText(id.toText()) })
  expect(snapshots.map(s => hex(s.id))).toEqual([result.outputs['snapshot-id']])
  expect(Object.keys((await ic.canisterStatus({ canisterId: id })).status)).toEqual(['running'])
  // The PEM never reaches the log.
  for (const line of fixture.pem.split('\n').filter(l => l.length > 20 && !l.startsWith('-----')))
    expect(result.log.includes(line)).toBe(false)
})
