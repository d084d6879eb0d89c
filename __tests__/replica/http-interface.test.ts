// The replica's HTTP interface as real clients see it: verified certificates and query signatures, every
// call path, envelope checks, and the test controls. The client is @icp-sdk/core, the action's own; icp-cli's
// Rust agent is the second, independent client (__tests__/icp-cli/).
import { CanisterStatus, HttpAgent, pollForResponse } from '@icp-sdk/core/agent'
import { decode, encodeWithSelfDescribedTag } from '@dfinity/cbor'
import { IDL } from '@icp-sdk/core/candid'
import { ECDSAKeyIdentity, Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1'
import { Principal } from '@icp-sdk/core/principal'
import type { RequestRecord } from '../harness/replica/controls.js'
import { agentFor, counterFor, managementFor } from '../harness/agent.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'

let replica: Replica
const owner = Secp256k1KeyIdentity.generate()
let counterId: Principal

beforeAll(async () => {
  replica = await startReplica({ syncCallTimeoutMs: 300 })
  counterId = await replica.seedCanister('counter', [owner.getPrincipal()])
})

afterAll(async () => {
  await replica?.stop()
})

afterEach(() => {
  replica.controls.clearFaults()
  replica.controls.latencyMs = 0
})

/** A fetch that lets a test rewrite the decoded CBOR body of some responses. */
function rewritingFetch(match: string, rewrite: (body: Record<string, unknown>) => void): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init)
    if (!String(input instanceof Request ? input.url : input).includes(match) || response.status !== 200)
      return response
    const body = decode(new Uint8Array(await response.arrayBuffer())) as Record<string, unknown>
    rewrite(body)
    return new Response(encodeWithSelfDescribedTag(body as never), { status: 200, headers: response.headers })
  }
}

describe('HTTP interface', () => {
  it('serves its status with the root key the clients verify against', async () => {
    const agent = await HttpAgent.create({ host: replica.url, shouldFetchRootKey: true })
    expect(Buffer.from(agent.rootKey as Uint8Array).toString('hex')).toBe(replica.rootKeyHex)
  })

  it('answers v4 update calls with a certified reply, for Ed25519, secp256k1 and P-256 senders', async () => {
    // ECDSAKeyIdentity: the SDK's own P-256 (WebCrypto) signer, a client independent of src/identity/p256.ts.
    for (const identity of [owner, Ed25519KeyIdentity.generate(), await ECDSAKeyIdentity.generate()]) {
      const counter = counterFor(await agentFor(replica, identity), counterId)
      const before = await counter.get()
      expect(await counter.inc()).toBe(before + 1n)
    }
  })

  it('answers v2 calls with 202 and the reply through read_state polling', async () => {
    const agent = await agentFor(replica, owner)
    const before = await counterFor(agent, counterId).get()
    const { requestId, response } = await agent.call(counterId, {
      methodName: 'inc',
      arg: new Uint8Array(IDL.encode([], [])),
      effectiveCanisterId: counterId,
      callSync: false
    })
    expect(response.status).toBe(202)
    const { reply } = await pollForResponse(agent, counterId, requestId)
    expect(IDL.decode([IDL.Nat64], reply)[0]).toBe(before + 1n)
  })

  it('certifies controllers and module hash for read_state', async () => {
    const agent = await agentFor(replica, owner)
    const status = await CanisterStatus.request({
      canisterId: counterId,
      agent,
      paths: ['controllers', 'module_hash']
    })
    expect((status.get('controllers') as Principal[]).map(p => p.toText())).toEqual([
      owner.getPrincipal().toText()
    ])
    expect(typeof status.get('module_hash')).toBe('string')
  })

  it('is rejected by a client that trusts another root key', async () => {
    const stranger = await startReplica()
    try {
      const agent = await agentFor({ url: replica.url, rootKey: stranger.rootKey }, owner)
      await expect(counterFor(agent, counterId).inc()).rejects.toThrow(/signature/i)
    } finally {
      await stranger.stop()
    }
  })

  it('signs query replies, and a tampered node signature is refused', async () => {
    const tamper = rewritingFetch('/query', body => {
      const [signature] = body.signatures as Array<{ signature: Uint8Array }>
      signature.signature[0] ^= 0xff
    })
    const honest = counterFor(await agentFor(replica, owner), counterId)
    expect(typeof (await honest.get())).toBe('bigint')
    const tampered = counterFor(await agentFor(replica, owner, tamper), counterId)
    await expect(tampered.get()).rejects.toThrow(/signature/i)
  })

  it('rejects a request whose signature does not match its sender', async () => {
    const tamper: typeof fetch = async (input, init) => {
      if (String(input).includes('/call') && init?.body) {
        const envelope = decode(new Uint8Array(init.body as ArrayBuffer)) as { sender_sig: Uint8Array }
        envelope.sender_sig[5] ^= 0x01
        return fetch(input, { ...init, body: encodeWithSelfDescribedTag(envelope as never) })
      }
      return fetch(input, init)
    }
    const counter = counterFor(await agentFor(replica, owner, tamper), counterId)
    await expect(counter.inc()).rejects.toThrow(/Invalid signature/)
  })

  it('rejects an ingress expiry too far in the future', async () => {
    const response = await fetch(`${replica.url}/api/v3/canister/${counterId.toText()}/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/cbor' },
      body: encodeWithSelfDescribedTag({
        content: {
          request_type: 'call',
          canister_id: counterId.toUint8Array(),
          method_name: 'inc',
          arg: new Uint8Array(IDL.encode([], [])),
          sender: new Uint8Array([4]),
          ingress_expiry: (BigInt(Date.now()) + 3_600_000n) * 1_000_000n
        }
      })
    })
    expect(response.status).toBe(400)
    expect(await response.text()).toMatch(/^Invalid request expiry/)
  })

  it('keeps a stop pending while the canister is held in Stopping, then completes it', async () => {
    const ic = managementFor(await agentFor(replica, owner))
    const canisterId = await replica.seedCanister('counter', [owner.getPrincipal()])
    replica.state.holdInStopping(canisterId, true)
    const stopping = ic.stopCanister(canisterId)
    await new Promise(resolve => setTimeout(resolve, 600))
    expect('stopping' in (await ic.canisterStatus({ canisterId })).status).toBe(true)
    replica.state.holdInStopping(canisterId, false)
    await stopping
    expect('stopped' in (await ic.canisterStatus({ canisterId })).status).toBe(true)
  })

  it('injects 5xx answers and connection resets, then serves again', async () => {
    const counter = counterFor(await agentFor(replica, owner), counterId)
    replica.controls.failNext(1, '5xx', ['query'])
    await expect(counter.get()).rejects.toThrow(/503|unavailable/i)
    replica.controls.failNext(1, 'reset', ['query'])
    await expect(counter.get()).rejects.toThrow()
    expect(typeof (await counter.get())).toBe('bigint')
  })

  it('adds the configured latency to every request', async () => {
    const counter = counterFor(await agentFor(replica, owner), counterId)
    await counter.get()
    replica.controls.latencyMs = 150
    const started = performance.now()
    await counter.get()
    expect(performance.now() - started).toBeGreaterThanOrEqual(150)
  })

  it('records what reached it, so tests can tell which calls a client made', async () => {
    const counter = counterFor(await agentFor(replica, owner), counterId)
    const before = replica.requests.length
    await counter.inc()
    const calls = replica.requests.slice(before).filter(r => r.endpoint === 'call')
    expect(calls).toEqual([
      {
        endpoint: 'call',
        version: 4,
        canisterId: counterId.toText(),
        effectiveCanisterId: counterId.toText(),
        methodName: 'inc',
        sender: owner.getPrincipal().toText()
      }
    ])
  })
})

/** The endpoints (as `call v4`) that reached the replica while `run` ran, each named once, sorted. */
async function endpointsUsedBy(run: () => Promise<unknown>): Promise<string[]> {
  const before = replica.requests.length
  await run()
  const names = replica.requests
    .slice(before)
    .map((r: RequestRecord) => `${r.endpoint}${r.subnetId ? ' (subnet)' : ''} v${r.version}`)
  return [...new Set(names)].sort()
}

/**
 * A canister held in Stopping for longer than the replica's synchronous-call timeout, so that a synchronous
 * stop_canister is answered 202 and its outcome read through read_state: `stop` sends it.
 */
async function slowStop(controller: Principal, stop: (canisterId: Principal) => Promise<unknown>) {
  const canisterId = await replica.seedCanister('counter', [controller])
  replica.state.holdInStopping(canisterId, true)
  setTimeout(() => replica.state.holdInStopping(canisterId, false), 600)
  return stop(canisterId)
}

describe('the endpoints each client uses', () => {
  it("@icp-sdk/core 5.4 (the action's client): v4 call, v3 query and v3 read_state", async () => {
    const identity = Ed25519KeyIdentity.generate()
    const agent = await agentFor(replica, identity)
    const counter = counterFor(agent, counterId)
    expect(await endpointsUsedBy(() => counter.inc())).toEqual(['call v4'])
    // The node keys that sign query replies come from the canister's read_state.
    expect(await endpointsUsedBy(() => counter.get())).toEqual(['query v3', 'read_state v3'])
    expect(
      await endpointsUsedBy(() =>
        CanisterStatus.request({ canisterId: counterId, agent, paths: ['controllers'] })
      )
    ).toEqual(['read_state v3'])
    const ic = managementFor(agent)
    expect(
      await endpointsUsedBy(() =>
        slowStop(identity.getPrincipal(), canisterId => ic.stopCanister(canisterId))
      )
    ).toEqual(['call v4', 'read_state v3'])
  })

  // The replica still serves v3 calls and v2 queries and read_state, which older agents (agent-js 3.x,
  // ic-agent before v4) use. The action's own client, with its certificate and query-signature checks, is
  // sent there by rewriting each request's path, so every reply those endpoints give is verified the same way.
  describe('older endpoint versions, through the same verifying client', () => {
    /** A fetch that sends each request whose path matches `from` to `to` instead, then through `next`. */
    const rewritten =
      (from: RegExp, to: string, next: typeof fetch = fetch): typeof fetch =>
      (input, init) =>
        next(String(input instanceof Request ? input.url : input).replace(from, to), init)
    const toV3Call = [/\/api\/v4\/canister\/([^/]+)\/call$/, '/api/v3/canister/$1/call'] as const
    const toV2QueryAndReadState = [
      /\/api\/v3\/canister\/([^/]+)\/(query|read_state)$/,
      '/api/v2/canister/$1/$2'
    ] as const

    it('v3 call: a certified reply to an update and to a management call', async () => {
      const identity = Ed25519KeyIdentity.generate()
      const agent = await agentFor(replica, identity, rewritten(...toV3Call))
      const counter = counterFor(agent, counterId)
      const before = await counter.get()
      expect(await endpointsUsedBy(async () => expect(await counter.inc()).toBe(before + 1n))).toEqual([
        'call v3'
      ])
      const ic = managementFor(agent)
      expect(
        await endpointsUsedBy(() =>
          slowStop(identity.getPrincipal(), canisterId => ic.stopCanister(canisterId))
        )
      ).toEqual(['call v3', 'read_state v3'])
    })

    it('v2 query and v2 read_state: signed query replies and certified state', async () => {
      const identity = Ed25519KeyIdentity.generate()
      const agent = await agentFor(replica, identity, rewritten(...toV2QueryAndReadState))
      const counter = counterFor(agent, counterId)
      expect(await endpointsUsedBy(() => counter.get())).toEqual(['query v2', 'read_state v2'])
      const status = await CanisterStatus.request({ canisterId: counterId, agent, paths: ['controllers'] })
      expect((status.get('controllers') as Principal[]).map(p => p.toText())).toEqual([
        owner.getPrincipal().toText()
      ])
      const ic = managementFor(agent)
      expect(
        await endpointsUsedBy(() =>
          slowStop(identity.getPrincipal(), canisterId => ic.stopCanister(canisterId))
        )
      ).toEqual(['call v4', 'read_state v2'])
    })

    it('v2 query: a tampered node signature is refused there too', async () => {
      const tampering = rewritingFetch(`/api/v2/canister/${counterId.toText()}/query`, body => {
        const [signature] = body.signatures as Array<{ signature: Uint8Array }>
        signature.signature[0] ^= 0xff
      })
      const agent = await agentFor(
        replica,
        Ed25519KeyIdentity.generate(),
        rewritten(...toV2QueryAndReadState, tampering)
      )
      await expect(counterFor(agent, counterId).get()).rejects.toThrow(/signature/i)
    })
  })
})

// dfinity/ic, rs/limits/src/lib.rs (MAX_INGRESS_BYTES_PER_MESSAGE_APP_SUBNET) and
// rs/http_endpoints/public/src/call.rs: an application subnet takes signed messages of at most 2 MiB.
describe("an application subnet's ingress limit", () => {
  it('answers 413 to a call message over 2 MiB, and executes nothing', async () => {
    const agent = await agentFor(replica, owner)
    const counter = counterFor(agent, counterId)
    const before = await counter.get()
    const requests = replica.requests.length
    await expect(
      agent.call(counterId, {
        methodName: 'inc',
        arg: new Uint8Array(2 * 1024 * 1024),
        effectiveCanisterId: counterId
      })
    ).rejects.toThrow(
      /Request [0-9a-f]{64} is too large\. Message byte size \d+ is larger than the max allowed 2097152\./
    )
    expect(replica.requests.slice(requests).filter(r => r.endpoint === 'call')).toEqual([])
    expect(await counter.get()).toBe(before)
  })

  it("accepts a message carrying one of the action's 2,000,000-byte slices and its envelope", async () => {
    const agent = await agentFor(replica, owner)
    const { response } = await agent.call(counterId, {
      methodName: 'inc',
      arg: new Uint8Array(2_000_000),
      effectiveCanisterId: counterId
    })
    expect(response.status).toBe(200)
  })
})
