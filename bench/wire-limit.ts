// The limit of the setup: the same read and upload calls the clients make, signed beforehand and sent with
// many in flight, with none of a client's work after the reply (no CBOR decoding of the certificate, no
// certificate verification, no disk). What this reaches is what the replica, its latency and the network
// stack allow.
import { Cbor, Endpoint, Expiry, SubmitRequestType, type SignIdentity } from '@icp-sdk/core/agent'
import type { HttpAgent } from '@icp-sdk/core/agent'
import { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import { Principal } from '@icp-sdk/core/principal'
import { encodeArgs } from '../__tests__/harness/replica/management/candid.js'

const SLICE = 2_000_000
const IN_FLIGHT = 32
const ATTEMPTS = 3

interface Signed {
  body: Uint8Array
  bytes: number
}

export interface WireRate {
  mbPerSecond: number
  calls: number
}

async function sign(identity: SignIdentity, method: string, arg: Uint8Array): Promise<Uint8Array> {
  const content = {
    request_type: SubmitRequestType.Call,
    canister_id: Principal.managementCanister(),
    method_name: method,
    arg,
    sender: identity.getPrincipal(),
    ingress_expiry: Expiry.fromDeltaInMilliseconds(4 * 60_000)
  }
  const request = {
    request: { body: null, method: 'POST', headers: { 'Content-Type': 'application/cbor' } },
    endpoint: Endpoint.Call,
    body: content
  }
  const envelope = (await identity.transformRequest(request as never)) as { body: unknown }
  return Cbor.encode(envelope.body as never)
}

async function send(url: string, canister: Principal, calls: Signed[]): Promise<WireRate> {
  const endpoint = `${url}/api/v3/canister/${canister.toText()}/call`
  let next = 0
  let bytes = 0
  const started = performance.now()
  const worker = async () => {
    while (next < calls.length) {
      const call = calls[next++]
      await sendOne(endpoint, call)
      bytes += call.bytes
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
  const seconds = (performance.now() - started) / 1000
  return { mbPerSecond: bytes / 1e6 / seconds, calls: calls.length }
}

// A connection the replica drops under this load is sent again, as a client would; the same signed call is
// answered with the same reply.
async function sendOne(endpoint: string, call: Signed): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/cbor' },
        body: call.body
      })
      const reply = new Uint8Array(await response.arrayBuffer())
      if (response.status === 200) return
      throw new Error(`HTTP ${response.status}: ${new TextDecoder().decode(reply).slice(0, 200)}`)
    } catch (error) {
      if (attempt >= ATTEMPTS) {
        const cause = (error as { cause?: unknown }).cause
        throw new Error(
          `a raw call failed ${ATTEMPTS} times: ${String(error)}${cause ? ` (${String(cause)})` : ''}`
        )
      }
    }
  }
}

function slices(total: number): Slice[] {
  const out: Slice[] = []
  for (let offset = 0; offset < total; offset += SLICE)
    out.push({ offset, size: Math.min(SLICE, total - offset) })
  return out
}

type Slice = { offset: number; size: number }

/** One signed call per 2,000,000-byte slice of the heap and of stable memory. */
async function signedSlices(
  identity: SignIdentity,
  method: string,
  sizes: { wasmMemorySize: bigint; stableMemorySize: bigint },
  argFor: (kind: 'wasm_memory' | 'stable_memory', slice: Slice) => Uint8Array
): Promise<Signed[]> {
  const calls: Signed[] = []
  for (const [kind, size] of [
    ['wasm_memory', sizes.wasmMemorySize],
    ['stable_memory', sizes.stableMemorySize]
  ] as const) {
    for (const slice of slices(Number(size))) {
      calls.push({ body: await sign(identity, method, argFor(kind, slice)), bytes: slice.size })
    }
  }
  return calls
}

/** read_canister_snapshot_data over both memories of the snapshot. */
export async function wireDownload(
  agent: HttpAgent,
  identity: SignIdentity,
  url: string,
  canister: string,
  snapshotId: string
): Promise<WireRate> {
  const canisterId = Principal.fromText(canister)
  const snapshot = new Uint8Array(Buffer.from(snapshotId, 'hex'))
  const metadata = await IcManagementCanister.create({ agent }).readCanisterSnapshotMetadata({
    canisterId,
    snapshotId: snapshot
  })
  const calls = await signedSlices(identity, 'read_canister_snapshot_data', metadata, (kind, slice) =>
    encodeArgs('read_canister_snapshot_data', {
      canister_id: canisterId,
      snapshot_id: snapshot,
      kind: { [kind]: { offset: BigInt(slice.offset), size: BigInt(slice.size) } } as never
    })
  )
  return send(url, canisterId, calls)
}

/** upload_canister_snapshot_data of incompressible bytes into a new snapshot of the same sizes, then deleted. */
export async function wireUpload(
  agent: HttpAgent,
  identity: SignIdentity,
  url: string,
  canister: string,
  snapshotId: string
): Promise<WireRate> {
  const ic = IcManagementCanister.create({ agent })
  const canisterId = Principal.fromText(canister)
  const source = await ic.readCanisterSnapshotMetadata({
    canisterId,
    snapshotId: new Uint8Array(Buffer.from(snapshotId, 'hex'))
  })
  const { snapshot_id: target } = await ic.uploadCanisterSnapshotMetadata({
    canisterId,
    metadata: {
      globals: source.globals,
      certifiedData: source.certifiedData,
      globalTimer: source.globalTimer,
      onLowWasmMemoryHookStatus: source.onLowWasmMemoryHookStatus,
      wasmModuleSize: source.wasmModuleSize,
      wasmMemorySize: source.wasmMemorySize,
      stableMemorySize: source.stableMemorySize
    }
  })
  const payload = new Uint8Array(SLICE)
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 2654435761) >>> 24
  try {
    const calls = await signedSlices(identity, 'upload_canister_snapshot_data', source, (kind, slice) =>
      encodeArgs('upload_canister_snapshot_data', {
        canister_id: canisterId,
        snapshot_id: new Uint8Array(target),
        kind: { [kind]: { offset: BigInt(slice.offset) } } as never,
        chunk: payload.subarray(0, slice.size)
      })
    )
    return await send(url, canisterId, calls)
  } finally {
    await ic.deleteCanisterSnapshot({ canisterId, snapshotId: new Uint8Array(target) })
  }
}
