// The replica's certificates as the clients verify them: a state tree signed by the application subnet's key,
// with the root's delegation to that key and the subnet's canister ranges (interface spec, "Certification"
// and "Delegation"). @icp-sdk/core, the action's own BLS check and icp-cli 1.5.0 accept them for a canister
// of the subnet, and refuse them for a canister outside its ranges.
import { Certificate, lookupResultToBuffer, reconstruct as agentReconstruct } from '@icp-sdk/core/agent'
import { decode } from '@dfinity/cbor'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Principal } from '@icp-sdk/core/principal'
import { blsVerify } from '../../src/ic/bls-verify.js'
import { agentFor, counterFor } from '../harness/agent.js'
import { IcpCli } from '../harness/icp-cli.js'
import {
  certify,
  rangeOf,
  SubnetDelegation,
  subnetInformation,
  timeEntry
} from '../harness/replica/certification/certificate.js'
import {
  prunedHashTree,
  reconstruct,
  selectPaths,
  toHashTree,
  treeFromPaths
} from '../harness/replica/certification/hash-tree.js'
import { replicaKeys } from '../harness/replica/certification/keys.js'
import { canisterIdFromIndex } from '../harness/replica/management/ids.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'

const text = (s: string) => new TextEncoder().encode(s)
const keys = replicaKeys(new Uint8Array(32).fill(7))
const nowNs = () => BigInt(Date.now()) * 1_000_000n
// The first canister the replica creates; one below the subnet's only shard of ranges, so that a delegation
// for it reveals no ranges at all; and one past the end of its range, so that the shard is revealed but
// does not hold it.
const ours = canisterIdFromIndex(0x8000_0000_0010_0001n)
const foreign = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai')
const pastTheRange = canisterIdFromIndex(0x8000_0000_0020_0000n)
const NOT_IN_RANGES = /does not include the canister .* in the canister_ranges|not authorized/i

/** A certificate of the application subnet, as the replica answers a v4 call or a v3 read_state. */
const subnetCertificate = (canisterId: Principal, delegation = new SubnetDelegation(keys, nowNs())) =>
  certify(
    keys.subnet,
    treeFromPaths([timeEntry(nowNs()), ...subnetInformation(keys, 'application')]),
    delegation.for({ kind: 'tree', canisterId })
  )

describe('certified state tree', () => {
  const tree = treeFromPaths([
    [['b', 'y'], text('2')],
    [['a'], text('1')],
    [['b', 'x'], text('3')],
    [[new Uint8Array([0xff]), 'z'], text('4')]
  ])

  it('hashes exactly as the agent reconstructs it', async () => {
    const hashTree = toHashTree(tree)
    expect(Buffer.from(reconstruct(hashTree))).toEqual(Buffer.from(await agentReconstruct(hashTree as never)))
  })

  it('keeps only the selected paths', () => {
    const selected = selectPaths(tree, [[text('b'), text('x')]])
    expect([...selected.keys()]).toEqual(['b'])
    expect([...(selected.get('b') as Map<string, unknown>).keys()]).toEqual(['x'])
  })

  it('prunes what a delegation does not reveal without changing the root hash', () => {
    const pruned = prunedHashTree(tree, [['b', 'x']])
    expect(Buffer.from(reconstruct(pruned))).toEqual(Buffer.from(reconstruct(toHashTree(tree))))
    expect(JSON.stringify(pruned)).not.toContain(JSON.stringify([3, text('2')]))
  })

  it('encodes the certificate as tagged CBOR with tree, signature and the delegation', () => {
    const decoded = decode(subnetCertificate(ours)) as {
      tree: unknown
      signature: Uint8Array
      delegation: { subnet_id: Uint8Array; certificate: Uint8Array }
    }
    expect(decoded.signature).toHaveLength(48)
    expect(Array.isArray(decoded.tree)).toBe(true)
    expect(Principal.fromUint8Array(decoded.delegation.subnet_id).toText()).toBe(keys.subnetId.toText())
    expect(decode(decoded.delegation.certificate)).not.toHaveProperty('delegation')
  })
})

describe('a delegated certificate', () => {
  it('verifies against the root key, with the subnet key the root delegated', async () => {
    for (const verify of [undefined, blsVerify]) {
      const certificate = await Certificate.create({
        certificate: subnetCertificate(ours),
        rootKey: keys.rootKeyDer,
        principal: { canisterId: ours },
        ...(verify ? { blsVerify: verify } : {})
      })
      const type = [text('subnet'), keys.subnetId.toUint8Array(), text('type')]
      expect(new TextDecoder().decode(lookupResultToBuffer(certificate.lookup_path(type)))).toBe(
        'application'
      )
    }
  })

  it.each([
    ['below', foreign, /canister ranges|lookup/i],
    ['past', pastTheRange, NOT_IN_RANGES]
  ])('is refused for a canister %s the subnet ranges', async (_where, canisterId, refusal) => {
    await expect(
      Certificate.create({
        certificate: subnetCertificate(canisterId),
        rootKey: keys.rootKeyDer,
        principal: { canisterId },
        blsVerify
      })
    ).rejects.toThrow(refusal)
  })

  it('is refused when the delegation reveals ranges that do not hold the canister', async () => {
    // Signed by the real root, but for a range that ends before the canister.
    const narrow = new SubnetDelegation(keys, nowNs(), [
      rangeOf(0x8000_0000_0000_0000n, 0x8000_0000_0010_0000n)
    ])
    await expect(
      Certificate.create({
        certificate: subnetCertificate(ours, narrow),
        rootKey: keys.rootKeyDer,
        principal: { canisterId: ours },
        blsVerify
      })
    ).rejects.toThrow(NOT_IN_RANGES)
  })

  it('is refused when the delegation is signed by another root', async () => {
    const impostor = replicaKeys(new Uint8Array(32).fill(8))
    const forged = new SubnetDelegation(
      { ...impostor, subnet: keys.subnet, subnetId: keys.subnetId },
      nowNs()
    )
    await expect(
      Certificate.create({
        certificate: subnetCertificate(ours, forged),
        rootKey: keys.rootKeyDer,
        principal: { canisterId: ours },
        blsVerify
      })
    ).rejects.toThrow(/signature/i)
  })

  it('is refused when the subnet key signs without a delegation', async () => {
    const bare = certify(keys.subnet, treeFromPaths([timeEntry(nowNs())]))
    await expect(
      Certificate.create({ certificate: bare, rootKey: keys.rootKeyDer, principal: { canisterId: ours } })
    ).rejects.toThrow(/signature/i)
  })
})

describe('the replica as an application subnet, to its clients', () => {
  let replica: Replica
  let icp: IcpCli
  const owner = Ed25519KeyIdentity.generate()

  beforeAll(async () => {
    replica = await startReplica()
    icp = await IcpCli.create({ url: replica.url, rootKeyHex: replica.rootKeyHex })
  })
  afterAll(async () => {
    await icp?.cleanup()
    await replica?.stop()
  })

  it('reports the root key in /api/v2/status and certifies with the delegated subnet key', async () => {
    const agent = await agentFor(replica, owner)
    expect(Buffer.from(agent.rootKey as Uint8Array).toString('hex')).toBe(replica.rootKeyHex)
    const counter = await replica.seedCanister('counter', [owner.getPrincipal()])
    expect(await counterFor(agent, counter).inc()).toBe(1n)
    expect((await agent.getSubnetIdFromCanister(counter)).toText()).toBe(replica.subnetId.toText())
    expect(replica.subnetId.toText()).not.toBe(Principal.selfAuthenticating(replica.rootKey).toText())
  })

  it('reports itself as an application subnet at its subnet read_state endpoint', async () => {
    const agent = await agentFor(replica, owner)
    const type = [text('subnet'), replica.subnetId.toUint8Array(), text('type')]
    const ranges = [text('canister_ranges'), replica.subnetId.toUint8Array()]
    const { certificate } = await agent.readSubnetState(replica.subnetId, { paths: [type, ranges] })
    const verified = await Certificate.create({
      certificate,
      rootKey: replica.rootKey,
      principal: { subnetId: replica.subnetId }
    })
    expect(new TextDecoder().decode(lookupResultToBuffer(verified.lookup_path(type)))).toBe('application')
    expect(verified.lookup_subtree(ranges).status).toBe('Found')
  })

  it('@icp-sdk/core refuses its certificates of a call and a read_state about a canister past its ranges', async () => {
    const agent = await agentFor(replica, owner)
    const calls = replica.requests.length
    await expect(counterFor(agent, pastTheRange).inc()).rejects.toThrow(NOT_IN_RANGES)
    expect(replica.requests.slice(calls).map(r => `${r.endpoint} v${r.version}`)).toContain('call v4')
    const { certificate } = await agent.readState(pastTheRange, { paths: [[text('time')]] })
    await expect(
      Certificate.create({ certificate, rootKey: replica.rootKey, principal: { canisterId: pastTheRange } })
    ).rejects.toThrow(NOT_IN_RANGES)
  })

  it.each([
    ['past', pastTheRange, /CertificateNotAuthorized|not authorized/i],
    // ic-agent falls back to the flat ranges, which a v4 delegation prunes (agent-rs, check_delegation).
    ['below', foreign, /lookup path .*63616E69737465725F72616E676573\]\) is unknown/i]
  ])('icp-cli 1.5.0 refuses its certificates about a canister %s its ranges', async (_where, id, refusal) => {
    const result = await icp.run(['canister', 'status', id.toText(), ...icp.networkArgs()])
    expect(result.code).not.toBe(0)
    expect(result.stderr).toMatch(refusal)
  })
})
