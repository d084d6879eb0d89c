// The action's native request id (src/identity/request-id.ts) must be @icp-sdk/core's, value for value: a
// call with a 2 MB argument and a nonce, a query, a read_state with nested paths. And the replica, which
// computes the id itself to check the signature, accepts what is signed with it.
import { randomBytes } from 'node:crypto'
import { Expiry, requestIdOf as sdkRequestIdOf, SubmitRequestType } from '@icp-sdk/core/agent'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Principal } from '@icp-sdk/core/principal'
import { connect } from '../../src/ic/connect.js'
import { NativeHashIdentity, requestIdOf } from '../../src/identity/request-id.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
const sender = Principal.fromText('2vxsx-fae')
const canister = Principal.fromText('bkyz2-fmaaa-aaaaa-qaaaq-cai')

it('gives the SDK request id for calls, queries and read_state requests', () => {
  const expiry = Expiry.fromDeltaInMilliseconds(120_000)
  const requests: Array<Record<string, unknown>> = [
    {
      request_type: SubmitRequestType.Call,
      canister_id: Principal.managementCanister(),
      method_name: 'upload_canister_snapshot_data',
      arg: new Uint8Array(randomBytes(2_000_000)),
      sender,
      ingress_expiry: expiry,
      nonce: new Uint8Array(randomBytes(16))
    },
    {
      request_type: 'query',
      canister_id: canister,
      method_name: 'get',
      arg: new Uint8Array(),
      sender,
      ingress_expiry: expiry
    },
    {
      request_type: 'read_state',
      paths: [
        [new TextEncoder().encode('request_status'), new Uint8Array(randomBytes(32))],
        [new TextEncoder().encode('time')]
      ],
      sender,
      ingress_expiry: expiry
    },
    {
      a_number: 624485,
      a_bigint: 2n ** 70n,
      a_string: 'héllo',
      an_absent_field: undefined,
      an_empty_list: []
    }
  ]
  for (const request of requests) expect(hex(requestIdOf(request))).toBe(hex(sdkRequestIdOf(request)))
})

describe('signed requests', () => {
  let replica: Replica
  beforeAll(async () => {
    replica = await startReplica()
  })
  afterAll(async () => {
    await replica?.stop()
  })

  it('are accepted by the replica, which checks the signature over its own request id', async () => {
    const key = Ed25519KeyIdentity.generate()
    const identity = new NativeHashIdentity(key)
    expect(identity.getPrincipal().toText()).toBe(key.getPrincipal().toText())
    const counter = await replica.seedCanister('counter', [identity.getPrincipal()])
    const { management } = await connect(
      { kind: 'url', url: replica.url, rootKey: replica.rootKey },
      identity
    )
    const status = await management.canisterStatus({ canisterId: counter })
    expect(status.settings.controllers.map(c => c.toText())).toEqual([identity.getPrincipal().toText()])
  })
})
