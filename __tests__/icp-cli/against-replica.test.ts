// The real icp-cli 1.5.0 binary against the replica, with an identity imported from a PEM: the whole
// snapshot round trip a user would do by hand, ending with the snapshotted counter value restored.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { IDL } from '@icp-sdk/core/candid'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Principal } from '@icp-sdk/core/principal'
import { agentFor, counterFor } from '../harness/agent.js'
import { IcpCli } from '../harness/icp-cli.js'
import { dfxSecp256k1Sec1 } from '../harness/pem.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'

let replica: Replica
let icp: IcpCli
let scratch: string
let controller: Principal

beforeAll(async () => {
  replica = await startReplica()
  icp = await IcpCli.create({ url: replica.url, rootKeyHex: replica.rootKeyHex })
  scratch = await mkdtemp(join(tmpdir(), 'icp-snapshots-'))
  const identity = await dfxSecp256k1Sec1({ crlf: true })
  const pemPath = join(scratch, 'identity.pem')
  await writeFile(pemPath, identity.pem, { mode: 0o600 })
  controller = Principal.fromText(await icp.importIdentity('deployer', pemPath))
  await rm(pemPath)
  expect(controller.toText()).toBe(identity.principal)
})

afterAll(async () => {
  await icp?.cleanup()
  await replica?.stop()
  if (scratch) await rm(scratch, { recursive: true, force: true })
})

it('status, stop, snapshot create/list/download/upload/restore, start and delete all succeed', async () => {
  const user = await agentFor(replica, Ed25519KeyIdentity.generate())
  const firstRequest = replica.requests.length
  const source = await replica.seedCanister(
    'counter',
    [controller],
    new Uint8Array(IDL.encode([IDL.Nat64], [41n]))
  )
  const target = replica.state.createCanister([controller])
  const sourceCounter = counterFor(user, source)

  const status = await icp.canisterStatus(source.toText())
  expect(status.status).toBe('Running')
  expect(status.settings.controllers).toEqual([controller.toText()])

  await icp.stop(source.toText())
  expect((await icp.canisterStatus(source.toText())).status).toBe('Stopped')
  const snapshot = await icp.snapshotCreate(source.toText())
  expect(snapshot.snapshotId).toMatch(/^[0-9a-f]{36}$/)
  expect((await icp.snapshotList(source.toText())).map(s => s.snapshotId)).toEqual([snapshot.snapshotId])

  const dir = join(scratch, 'download')
  await icp.snapshotDownload(source.toText(), snapshot.snapshotId, dir)
  expect((await readdir(dir)).filter(f => !f.startsWith('.')).sort()).toEqual(
    ['metadata.json', 'stable_memory.bin', 'wasm_chunk_store', 'wasm_memory.bin', 'wasm_module.bin'].sort()
  )

  // The downloaded directory becomes a snapshot of a second canister, which then runs the first one's state.
  const uploaded = await icp.snapshotUpload(target.toText(), dir)
  await icp.stop(target.toText())
  await icp.snapshotRestore(target.toText(), uploaded)
  await icp.start(target.toText())
  expect(await counterFor(user, target).get()).toBe(41n)

  await icp.start(source.toText())
  await sourceCounter.set(77n)
  await icp.stop(source.toText())
  await icp.snapshotRestore(source.toText(), snapshot.snapshotId)
  await icp.start(source.toText())
  expect((await icp.canisterStatus(source.toText())).status).toBe('Running')
  expect(await sourceCounter.get()).toBe(41n)
  expect(await sourceCounter.get_stable()).toBe(41n)

  await icp.snapshotDelete(source.toText(), snapshot.snapshotId)
  expect(await icp.snapshotList(source.toText())).toEqual([])

  // The endpoints icp-cli's Rust agent used (its requests are the ones the controller signed): every call,
  // stop_canister's too, is answered synchronously on v4, so it never polls read_state here.
  const used = replica.requests
    .slice(firstRequest)
    .filter(r => r.sender === controller.toText())
    .map(r => `${r.endpoint} v${r.version}`)
  expect([...new Set(used)].sort()).toEqual(['call v4'])
})
