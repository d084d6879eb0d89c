// The certified update call the transfers make by the thousand (src/ic/certified-call.ts): HttpAgent.update
// of @icp-sdk/core with the action's BLS check, on both of the replica's answers to a v4 call (200 with a
// certificate, or 202 and read_state polling), for replies and rejects, and against the wrong root key. And
// the reply leaf the action hashes itself (src/ic/action-agent.ts): a 2 MB slice comes back whole, and a
// reply, a tree or a signature the network changed is refused.
import { createHash } from 'node:crypto'
import { decode, encodeWithSelfDescribedTag } from '@dfinity/cbor'
import { IDL } from '@icp-sdk/core/candid'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import type { Principal } from '@icp-sdk/core/principal'
import { certifiedCall, certifiedManagementCall } from '../../src/ic/certified-call.js'
import { connect } from '../../src/ic/connect.js'
import { asRejectError, IcRejectError } from '../../src/ic/errors.js'
import { SnapshotData } from '../../src/ic/snapshot-data.js'
import { agentFor, growAndFill } from '../harness/agent.js'
import { rangeOf, SubnetDelegation } from '../harness/replica/certification/certificate.js'
import { reconstruct, type HashTree } from '../harness/replica/certification/hash-tree.js'
import { replicaKeys } from '../harness/replica/certification/keys.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'

const owner = Ed25519KeyIdentity.generate()
// The replica's seed, so that a test can sign as its root or its subnet would.
const SEED = new Uint8Array(32).fill(21)
const noArgs = new Uint8Array(IDL.encode([], []))
const canisterArg = (id: Principal) =>
  new Uint8Array(IDL.encode([IDL.Record({ canister_id: IDL.Principal })], [{ canister_id: id }]))

let replica: Replica
let counter: Principal

beforeAll(async () => {
  replica = await startReplica({ syncCallTimeoutMs: 300, seed: SEED })
  counter = await replica.seedCanister('counter', [owner.getPrincipal()])
})
afterAll(async () => {
  await replica?.stop()
})

const connection = (rootKey = replica.rootKey, fetcher?: typeof fetch) =>
  connect({ kind: 'url', url: replica.url, rootKey }, owner, fetcher ? { fetch: fetcher } : {})

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

describe('a snapshot slice, its reply leaf hashed by the action', () => {
  const SLICE = 2_000_000
  let grown: Principal
  let snapshotId: string

  beforeAll(async () => {
    grown = await replica.seedCanister('counter', [owner.getPrincipal()])
    await growAndFill(await agentFor(replica, owner), grown, { heapPages: 32, seed: 0xabcdn })
    const { management } = await connection()
    await management.stopCanister(grown)
    snapshotId = Buffer.from((await management.takeCanisterSnapshot({ canisterId: grown })).id).toString(
      'hex'
    )
    await management.startCanister(grown)
  })

  const readSlice = async (fetcher?: typeof fetch) =>
    new SnapshotData(await connection(replica.rootKey, fetcher), grown, snapshotId).readSlice(
      'wasm_memory',
      0,
      SLICE
    )

  /** A fetch that hands the v4 call's certificate tree to `rewrite` before the client sees it. */
  const rewritingTree =
    (rewrite: (tree: unknown[], cert: Record<string, unknown>) => void): typeof fetch =>
    async (input, init) => {
      const response = await fetch(input, init)
      if (!String(input).includes('/api/v4/') || response.status !== 200) return response
      const body = decode(new Uint8Array(await response.arrayBuffer())) as Record<string, unknown>
      const cert = decode(body.certificate as Uint8Array) as Record<string, unknown>
      rewrite(cert.tree as unknown[], cert)
      body.certificate = encodeWithSelfDescribedTag(cert as never)
      return new Response(encodeWithSelfDescribedTag(body as never), {
        status: 200,
        headers: response.headers
      })
    }

  /** The subtree under the label `reply`, wherever it is. */
  function replyNode(tree: unknown[]): unknown[] {
    const walk = (node: unknown[]): unknown[] | undefined => {
      if (node[0] === 2 && Buffer.from(node[1] as Uint8Array).toString() === 'reply')
        return node[2] as unknown[]
      if (node[0] === 1) return walk(node[1] as unknown[]) ?? walk(node[2] as unknown[])
      if (node[0] === 2) return walk(node[2] as unknown[])
      return undefined
    }
    const found = walk(tree)
    if (!found) throw new Error('the certificate has no reply')
    return found
  }

  it('returns the 2 MB slice whole, byte for byte what the SDK reads on its own', async () => {
    const { management } = await connection()
    const { chunk } = await management.readCanisterSnapshotData({
      canisterId: grown,
      snapshotId: new Uint8Array(Buffer.from(snapshotId, 'hex')),
      kind: { wasmMemory: { offset: 0n, size: BigInt(SLICE) } }
    })
    const slice = await readSlice()
    expect(slice.length).toBe(SLICE)
    expect(Buffer.from(slice).equals(Buffer.from(chunk as Uint8Array))).toBe(true)
  })

  it('refuses a reply with one byte changed', async () => {
    const flipped = rewritingTree(tree => {
      const leaf = replyNode(tree)
      ;(leaf[1] as Uint8Array)[1_234_567] ^= 0x01
    })
    await expect(readSlice(flipped)).rejects.toThrow(/signature|certificate/i)
  })

  it('refuses a certificate whose signature was changed', async () => {
    const forged = rewritingTree((_, cert) => {
      ;(cert.signature as Uint8Array)[10] ^= 0x01
    })
    await expect(readSlice(forged)).rejects.toThrow(/signature|certificate/i)
  })

  // The same root hash, so the signature still holds: but a pruned reply is no reply to return.
  it('returns nothing for a reply the network pruned to its digest itself', async () => {
    const pruned = rewritingTree(tree => {
      const leaf = replyNode(tree)
      const digest = createHash('sha256')
        .update(Buffer.from([16]))
        .update('ic-hashtree-leaf')
        .update(leaf[1] as Uint8Array)
        .digest()
      leaf[0] = 4
      leaf[1] = new Uint8Array(digest)
    })
    await expect(readSlice(pruned)).rejects.toThrow(/certified as replied, but the certificate has no reply/)
  })

  it('refuses a reply the network swapped for another slice of the same snapshot', async () => {
    const other = await readSlice()
    const swapped = rewritingTree(tree => {
      const leaf = replyNode(tree)
      const reply = leaf[1] as Uint8Array
      // A valid Candid reply of the same length, the blob's bytes shifted by one.
      reply.set(other.subarray(1, 1 + 1000), reply.length - SLICE)
    })
    await expect(readSlice(swapped)).rejects.toThrow(/signature|certificate/i)
  })
})

describe("the subnet's delegation, as the action's agent checks it", () => {
  const keys = replicaKeys(SEED)
  const nowNs = () => BigInt(Date.now()) * 1_000_000n
  const NOT_IN_RANGES = /does not include the canister .* in the canister_ranges/

  /** A fetch that hands each certificate of a v4 call or a read_state to `rewrite` before the client sees it. */
  const rewritingCertificate =
    (rewrite: (cert: Record<string, unknown>, canisterId: Principal) => void): typeof fetch =>
    async (input, init) => {
      const response = await fetch(input, init)
      const url = String(input)
      if (!/\/api\/v(4\/canister\/[^/]+\/call|3\/canister\/[^/]+\/read_state)$/.test(url)) return response
      if (response.status !== 200) return response
      const body = decode(new Uint8Array(await response.arrayBuffer())) as Record<string, unknown>
      const cert = decode(body.certificate as Uint8Array) as Record<string, unknown>
      rewrite(cert, counter)
      body.certificate = encodeWithSelfDescribedTag(cert as never)
      return new Response(encodeWithSelfDescribedTag(body as never), {
        status: 200,
        headers: response.headers
      })
    }

  const tree = (canisterId: Principal) => ({ kind: 'tree' as const, canisterId })
  // Signed by the replica's real root, for a range that ends before the counter.
  const outOfRange = rewritingCertificate((cert, id) => {
    cert.delegation = new SubnetDelegation(keys, nowNs(), [
      rangeOf(0x8000_0000_0000_0000n, 0x8000_0000_0010_0000n)
    ]).for(tree(id))
  })
  // The subnet's real key and ranges, delegated by a root key that is not the IC's.
  const forgedRoot = rewritingCertificate((cert, id) => {
    const impostor = replicaKeys(new Uint8Array(32).fill(22))
    cert.delegation = new SubnetDelegation(
      { ...impostor, subnet: keys.subnet, subnetId: keys.subnetId },
      nowNs()
    ).for(tree(id))
  })
  // A whole chain of the attacker's own: its subnet key signs the tree, its root delegates to that key.
  const forgedChain = rewritingCertificate((cert, id) => {
    const attacker = replicaKeys(new Uint8Array(32).fill(23))
    cert.signature = attacker.subnet.signStateRoot(reconstruct(cert.tree as HashTree))
    cert.delegation = new SubnetDelegation(attacker, nowNs()).for(tree(id))
  })

  it("accepts the replica's own delegation on both of its certified paths", async () => {
    const conn = await connection(
      replica.rootKey,
      rewritingCertificate(() => undefined)
    )
    expect(IDL.decode([IDL.Nat64], await certifiedCall(conn, counter, counter, 'inc', noArgs))).toHaveLength(
      1
    )
    const state = await conn.agent.canisterState(counter, ['controllers'])
    expect(state.get('controllers')).toBeInstanceOf(Uint8Array)
  })

  it.each([
    ['a delegation whose ranges do not hold the canister', outOfRange, NOT_IN_RANGES],
    ['a delegation signed by another root', forgedRoot, /signature/i],
    ["a chain of the attacker's own keys", forgedChain, /signature/i]
  ])('refuses a call certified under %s', async (_case, fetcher, refusal) => {
    await expect(
      certifiedCall(await connection(replica.rootKey, fetcher), counter, counter, 'inc', noArgs)
    ).rejects.toThrow(refusal)
  })

  it.each([
    ['a delegation whose ranges do not hold the canister', outOfRange, NOT_IN_RANGES],
    ['a delegation signed by another root', forgedRoot, /signature/i],
    ["a chain of the attacker's own keys", forgedChain, /signature/i]
  ])("refuses the canister's certified state read under %s", async (_case, fetcher, refusal) => {
    const conn = await connection(replica.rootKey, fetcher)
    await expect(conn.agent.canisterState(counter, ['controllers', 'module_hash'])).rejects.toThrow(refusal)
  })
})
