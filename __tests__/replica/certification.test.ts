// The replica's certificates as the action's client, @icp-sdk/core, verifies them.
import { Certificate, lookupResultToBuffer, reconstruct as agentReconstruct } from '@icp-sdk/core/agent'
import { decode } from '@dfinity/cbor'
import { Principal } from '@icp-sdk/core/principal'
import { certify, subnetEntries, timeEntry } from '../harness/replica/certification/certificate.js'
import {
  reconstruct,
  selectPaths,
  toHashTree,
  treeFromPaths
} from '../harness/replica/certification/hash-tree.js'
import { replicaKeys } from '../harness/replica/certification/keys.js'

const text = (s: string) => new TextEncoder().encode(s)
const keys = replicaKeys(new Uint8Array(32).fill(7))
const canisterId = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai')

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

  it('produces certificates the agent verifies against the root key', async () => {
    const bytes = certify(
      keys,
      treeFromPaths([timeEntry(BigInt(Date.now()) * 1_000_000n), ...subnetEntries(keys)])
    )
    const certificate = await Certificate.create({
      certificate: bytes,
      rootKey: keys.rootKeyDer,
      principal: { canisterId }
    })
    const path = [text('subnet'), keys.subnetId.toUint8Array(), text('public_key')]
    expect(Buffer.from(lookupResultToBuffer(certificate.lookup_path(path)) ?? [])).toEqual(
      Buffer.from(keys.rootKeyDer)
    )
  })

  it('produces certificates that fail against another root key', async () => {
    const bytes = certify(keys, treeFromPaths([timeEntry(BigInt(Date.now()) * 1_000_000n)]))
    const other = replicaKeys(new Uint8Array(32).fill(8))
    await expect(
      Certificate.create({ certificate: bytes, rootKey: other.rootKeyDer, principal: { canisterId } })
    ).rejects.toThrow(/signature/i)
  })

  it('encodes the certificate as tagged CBOR with tree and signature', () => {
    const decoded = decode(certify(keys, treeFromPaths([timeEntry(1n)]))) as {
      tree: unknown
      signature: Uint8Array
    }
    expect(decoded.signature).toHaveLength(48)
    expect(Array.isArray(decoded.tree)).toBe(true)
  })
})
