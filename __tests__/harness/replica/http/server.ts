// The IC HTTP interface (interface spec, "HTTPS Interface"), served on loopback for tests.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { decode, encodeWithSelfDescribedTag } from '@dfinity/cbor'
import { hashOfMap } from '@icp-sdk/core/agent'
import { Principal } from '@icp-sdk/core/principal'
import {
  certify,
  controllersEntry,
  leb,
  SubnetDelegation,
  SUBNET_CANISTER_RANGES,
  subnetInformation,
  timeEntry,
  type CertificateDelegation,
  type Entry,
  type RangesFilter
} from '../certification/certificate.js'
import { label, selectPaths, treeFromPaths } from '../certification/hash-tree.js'
import type { ReplicaKeys, SubnetKey } from '../certification/keys.js'
import type { Endpoint, ReplicaControls, RequestRecord } from '../controls.js'
import type { StateMachine } from '../state-machine.js'
import { RejectCode, reject, type Outcome } from '../types.js'
import { authenticate, EnvelopeError, type Envelope } from './envelope.js'
import { RequestRegistry, type CallRecord } from './request-registry.js'

// The HTTP endpoint reads request bodies up to 5 MiB (dfinity/ic, rs/config/src/http_handler.rs,
// `max_request_size_bytes`); a call's signed message must besides be at most the subnet's
// max_ingress_bytes_per_message, 2 MiB on an application subnet (rs/limits/src/lib.rs,
// MAX_INGRESS_BYTES_PER_MESSAGE_APP_SUBNET), or it is answered 413 (rs/http_endpoints/public/src/call.rs).
const MAX_BODY_BYTES = 5 * 1024 * 1024
export const MAX_INGRESS_BYTES_PER_MESSAGE = 2 * 1024 * 1024
const MANAGEMENT_CANISTER = Principal.managementCanister().toText()

export interface ServerOptions {
  keys: ReplicaKeys
  state: StateMachine
  controls: ReplicaControls
  now: () => bigint
  /** How long a synchronous (v3/v4) call waits for its outcome before answering 202. */
  syncCallTimeoutMs: number
  requestLog: RequestRecord[]
  /** Request statuses outlive a restart, as the IC's certified state does. */
  registry?: RequestRegistry
  /** Drops every connection and listens again after `downMs` (controls.restartAfterCall). */
  restart?: (downMs: number) => void
}

class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string
  ) {
    super(message)
  }
}

type Route = { endpoint: Endpoint; version: number; ecid?: Principal; subnet?: boolean }

function route(method: string | undefined, url: string): Route | undefined {
  if (method === 'GET' && url === '/api/v2/status') return { endpoint: 'status', version: 2 }
  const match = /^\/api\/v([234])\/(canister|subnet)\/([^/]+)\/(call|query|read_state)$/.exec(url)
  if (!match || method !== 'POST') return undefined
  const [, version, scope, id, endpoint] = match
  let principal: Principal
  try {
    principal = Principal.fromText(id)
  } catch {
    throw new HttpError(400, `Invalid principal in path: ${id}`)
  }
  const supported: Record<string, number[]> = { call: [2, 3, 4], query: [2, 3], read_state: [2, 3] }
  if (!supported[endpoint].includes(Number(version))) return undefined
  if (scope === 'subnet' && endpoint === 'call' && Number(version) !== 4) return undefined
  return {
    endpoint: endpoint as Endpoint,
    version: Number(version),
    ecid: principal,
    subnet: scope === 'subnet'
  }
}

export function createServer(options: ServerOptions): http.Server {
  const registry = options.registry ?? new RequestRegistry()
  // Fetched from the root once as the replica starts, as the IC's NNS delegation manager does.
  const delegation = new SubnetDelegation(options.keys, options.now())
  return http.createServer((req, res) => {
    handle({ ...options, delegation }, registry, req, res).catch(error => {
      const status =
        error instanceof HttpError ? error.statusCode : error instanceof EnvelopeError ? 400 : 500
      if (!res.headersSent) {
        res.writeHead(status, { 'content-type': 'text/plain' })
        res.end(error instanceof Error ? error.message : String(error))
      } else res.destroy()
    })
  })
}

type HandlerOptions = ServerOptions & { delegation: SubnetDelegation }

/** Who certifies an answer: the application subnet, with the root's delegation to it, or the root itself. */
interface Certifier {
  key: SubnetKey
  delegation?: CertificateDelegation
  of: 'root' | 'application'
}

/**
 * Every canister lives on the application subnet, so its key certifies, under a delegation that reveals
 * the ranges the endpoint calls for (certificate.ts, RangesFilter). The management canister's own id lies in
 * no subnet's ranges, and the IC refuses it as an effective canister id (interface spec, "Effective canister
 * id"); local development instances take it for canister creation, and so does this replica, answering as
 * the root subnet, whose certificates need no delegation. A subnet endpoint answers for its own subnet.
 */
function certifierFor(options: HandlerOptions, target: Route): Certifier {
  const { keys } = options
  const ecid = target.ecid as Principal
  const application = (filter: RangesFilter): Certifier => ({
    key: keys.subnet,
    delegation: options.delegation.for(filter),
    of: 'application'
  })
  if (target.subnet) {
    if (ecid.toText() === keys.subnetId.toText()) return application({ kind: 'none' })
    if (ecid.toText() === keys.rootSubnetId.toText()) return { key: keys.root, of: 'root' }
    throw new HttpError(400, `Subnet ${ecid.toText()} is not served by this replica`)
  }
  if (ecid.toText() === MANAGEMENT_CANISTER) return { key: keys.root, of: 'root' }
  const tree =
    (target.endpoint === 'call' && target.version === 4) ||
    (target.endpoint === 'read_state' && target.version === 3)
  return application(tree ? { kind: 'tree', canisterId: ecid } : { kind: 'flat' })
}

function inRanges(id: Principal, ranges: Array<[Uint8Array, Uint8Array]>): boolean {
  const bytes = Buffer.from(id.toUint8Array())
  return ranges.some(([lo, hi]) => Buffer.compare(lo, bytes) <= 0 && Buffer.compare(bytes, hi) <= 0)
}

async function handle(
  options: HandlerOptions,
  registry: RequestRegistry,
  req: http.IncomingMessage,
  res: http.ServerResponse
): Promise<void> {
  const target = route(req.method, (req.url ?? '').split('?')[0])
  if (!target) throw new HttpError(404, `Not found: ${req.method} ${req.url}`)
  const body = await readBody(req)
  if (target.endpoint === 'status') {
    if (await injectFault(options.controls, target.endpoint, undefined, res)) return
    if (options.controls.latencyMs > 0) await sleep(options.controls.latencyMs)
    options.requestLog.push({ endpoint: 'status', version: 2 })
    return sendCbor(res, 200, {
      ic_api_version: '0.18.0',
      impl_version: 'canister-snapshot-action test replica',
      // Always the root key: what signs certificates is the subnet's key, delegated by it.
      root_key: options.keys.rootKeyDer,
      replica_health_status: 'healthy',
      certified_height: 1
    })
  }
  let envelope: Envelope
  try {
    envelope = decode(body) as Envelope
  } catch (error) {
    throw new HttpError(400, `Could not parse body as CBOR: ${(error as Error).message}`)
  }
  const methodName =
    typeof envelope?.content?.method_name === 'string' ? envelope.content.method_name : undefined
  if (await injectFault(options.controls, target.endpoint, methodName, res)) return
  if (options.controls.latencyMs > 0) await sleep(options.controls.latencyMs)
  const delay = options.controls.methodDelay(target.endpoint === 'call' ? methodName : undefined)
  if (delay > 0) await sleep(delay)
  const now = options.now()
  if (target.endpoint === 'call') return handleCall(options, registry, target, envelope, body, now, res)
  if (target.endpoint === 'query') return handleQuery(options, target, envelope, now, res)
  return handleReadState(options, registry, target, envelope, now, res)
}

function ingressOf(target: Route, content: Envelope['content'], sender: Principal) {
  const canisterId = Principal.fromUint8Array(new Uint8Array(content.canister_id ?? []))
  const effectiveCanisterId = target.ecid as Principal
  // interface spec, "Effective canister id": a call to a canister must be sent to that canister's path.
  if (canisterId.toText() !== MANAGEMENT_CANISTER && canisterId.toText() !== effectiveCanisterId.toText()) {
    throw new HttpError(
      400,
      `Specified CanisterId ${canisterId.toText()} does not match effective canister id in URL ${effectiveCanisterId.toText()}`
    )
  }
  return {
    sender,
    canisterId,
    effectiveCanisterId,
    methodName: String(content.method_name ?? ''),
    arg: new Uint8Array(content.arg ?? [])
  }
}

function logIngress(
  options: ServerOptions,
  target: Route,
  endpoint: Endpoint,
  ingress: ReturnType<typeof ingressOf>
): void {
  options.requestLog.push({
    endpoint,
    version: target.version,
    canisterId: ingress.canisterId.toText(),
    effectiveCanisterId: ingress.effectiveCanisterId.toText(),
    methodName: ingress.methodName,
    sender: ingress.sender.toText()
  })
}

async function handleCall(
  options: HandlerOptions,
  registry: RequestRegistry,
  target: Route,
  envelope: Envelope,
  body: Uint8Array,
  now: bigint,
  res: http.ServerResponse
): Promise<void> {
  // rs/http_endpoints/public/src/call.rs: the signed message's byte size (SignedIngress::count_bytes, its
  // binary form) against max_ingress_bytes_per_message, before its signature is checked.
  if (body.length > MAX_INGRESS_BYTES_PER_MESSAGE) {
    const messageId = Buffer.from(hashOfMap(envelope.content ?? {})).toString('hex')
    throw new HttpError(
      413,
      `Request ${messageId} is too large. Message byte size ${body.length} is larger than the max allowed ${MAX_INGRESS_BYTES_PER_MESSAGE}.`
    )
  }
  const { content, requestId, sender } = authenticate(envelope, 'call', now)
  // Ingress induction is charged on the signed request's bytes (management/cycles.ts).
  const ingress = { ...ingressOf(target, content, sender), messageBytes: body.length }
  const certifier = certifierFor(options, target)
  logIngress(options, target, 'call', ingress)
  const record = registry.submit(requestId, sender, () =>
    options.state
      .update(ingress)
      .catch((error: Error): Outcome =>
        reject(RejectCode.SysFatal, 'IC0504', `Replica error: ${error.message}`)
      )
  )
  const downMs = options.controls.takeRestart(ingress.methodName)
  if (downMs !== undefined && options.restart) {
    // Executed, and then the replica goes down before it replies.
    await record.done
    options.restart(downMs)
    return
  }
  if (target.version === 2) return sendEmpty(res, 202)
  const outcome = await Promise.race([record.done, sleep(options.syncCallTimeoutMs).then(() => undefined)])
  if (!outcome) return sendEmpty(res, 202)
  const tree = treeFromPaths([timeEntry(options.now()), ...requestStatusEntries(requestId, record)])
  const certificate = certify(certifier.key, tree, certifier.delegation)
  return sendCbor(res, 200, { status: 'replied', certificate })
}

async function handleQuery(
  options: HandlerOptions,
  target: Route,
  envelope: Envelope,
  now: bigint,
  res: http.ServerResponse
): Promise<void> {
  const { content, requestId, sender } = authenticate(envelope, 'query', now)
  const ingress = ingressOf(target, content, sender)
  logIngress(options, target, 'query', ingress)
  const outcome = await options.state.query(ingress)
  const timestamp = options.now()
  // interface spec, "Query call signatures": the node signs the hash of the response map with the request id.
  const response: Record<string, unknown> =
    outcome.status === 'replied'
      ? { status: 'replied', reply: { arg: outcome.reply } }
      : {
          status: 'rejected',
          reject_code: outcome.rejectCode,
          reject_message: outcome.rejectMessage,
          error_code: outcome.errorCode
        }
  const signature = options.keys.signResponse(hashOfMap({ ...response, timestamp, request_id: requestId }))
  return sendCbor(res, 200, {
    ...response,
    signatures: [{ timestamp, signature, identity: options.keys.nodeId.toUint8Array() }]
  })
}

async function handleReadState(
  options: HandlerOptions,
  registry: RequestRegistry,
  target: Route,
  envelope: Envelope,
  now: bigint,
  res: http.ServerResponse
): Promise<void> {
  const { content, sender } = authenticate(envelope, 'read_state', now)
  const paths = (content.paths ?? []).map(path => path.map(segment => new Uint8Array(segment)))
  options.requestLog.push({
    endpoint: 'read_state',
    version: target.version,
    ...(target.subnet ? { subnetId: target.ecid?.toText() } : { canisterId: target.ecid?.toText() }),
    sender: sender.toText()
  })
  const certifier = certifierFor(options, target)
  const entries = [timeEntry(options.now()), ...revealedSubnetInformation(options, target, certifier)]
  for (const path of paths) {
    const head = new TextDecoder().decode(path[0] ?? new Uint8Array())
    if (head === 'request_status' && path[1]) {
      const record = registry.get(path[1])
      // interface spec, "Request: Read state": only the sender of a request may read its status.
      if (record && record.sender.toText() !== sender.toText()) {
        throw new HttpError(403, 'Request IDs must be for requests signed by the caller')
      }
      if (record) entries.push(...requestStatusEntries(path[1], record))
    } else if (head === 'canister' && path[1]) {
      const canisterId = Principal.fromUint8Array(path[1])
      if (!target.subnet && canisterId.toText() !== target.ecid?.toText()) {
        throw new HttpError(
          400,
          `Effective canister id ${target.ecid?.toText()} does not match ${canisterId.toText()}`
        )
      }
      const info = options.state.canisterInfo(canisterId)
      if (info) {
        entries.push(controllersEntry(canisterId, info.controllers))
        if (info.moduleHash) entries.push([['canister', path[1], 'module_hash'], info.moduleHash])
      }
    }
  }
  const tree = selectPaths(treeFromPaths(entries), [[new TextEncoder().encode('time')], ...paths])
  return sendCbor(res, 200, { certificate: certify(certifier.key, tree, certifier.delegation) })
}

/**
 * The topology paths a read_state may reveal (interface spec, "Request: Read state"): a non-root subnet's
 * /subnet/<id>/canister_ranges only at v2, /canister_ranges/<id> only at the subnet endpoint, and a subnet's
 * node keys only to a canister in its ranges or at its own subnet endpoint.
 */
function revealedSubnetInformation(options: HandlerOptions, target: Route, certifier: Certifier): Entry[] {
  const { keys } = options
  const appSubnet = label(keys.subnetId.toUint8Array())
  const ecid = target.ecid as Principal
  const nodesVisible = target.subnet
    ? ecid.toText() === keys.subnetId.toText()
    : inRanges(ecid, SUBNET_CANISTER_RANGES)
  return subnetInformation(keys, certifier.of).filter(([path]) => {
    const [head, subnet, leaf] = path.map(segment => label(segment))
    if (head === 'canister_ranges') return target.subnet === true
    if (head === 'subnet' && subnet === appSubnet && leaf === 'canister_ranges') return target.version === 2
    if (head === 'subnet' && subnet === appSubnet && leaf === 'node') return nodesVisible
    return true
  })
}

function requestStatusEntries(
  requestId: Uint8Array,
  record: CallRecord
): Array<[Array<Uint8Array | string>, Uint8Array]> {
  const prefix = ['request_status', requestId]
  const text = (s: string) => new TextEncoder().encode(s)
  const outcome = record.outcome
  if (!outcome) return [[[...prefix, 'status'], text('processing')]]
  if (outcome.status === 'replied') {
    return [
      [[...prefix, 'status'], text('replied')],
      [[...prefix, 'reply'], outcome.reply]
    ]
  }
  return [
    [[...prefix, 'status'], text('rejected')],
    [[...prefix, 'reject_code'], leb(outcome.rejectCode)],
    [[...prefix, 'reject_message'], text(outcome.rejectMessage)],
    [[...prefix, 'error_code'], text(outcome.errorCode)]
  ]
}

async function injectFault(
  controls: ReplicaControls,
  endpoint: Endpoint,
  methodName: string | undefined,
  res: http.ServerResponse
): Promise<boolean> {
  const fault = controls.takeFault(endpoint, methodName)
  if (!fault) return false
  if (fault === 'forged-signature') {
    forgedResponses.add(res)
    return false
  }
  if (fault === '5xx') {
    res.writeHead(503, { 'content-type': 'text/plain' })
    res.end('Injected fault: service unavailable')
  } else if (fault === '429') {
    // As a boundary node's rate limiter answers.
    res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '1' })
    res.end('Injected fault: too many requests')
  } else if (fault === 'reset') {
    res.socket?.destroy()
  } else {
    await sleep(controls.stallMs)
    res.socket?.destroy()
  }
  return true
}

function readBody(req: http.IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `Request body larger than ${MAX_BODY_BYTES} bytes`))
        req.destroy()
      } else chunks.push(chunk)
    })
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))))
    req.on('error', reject)
  })
}

/** Responses a 'forged-signature' fault picked: their certificate goes out with its signature changed. */
const forgedResponses = new WeakSet<http.ServerResponse>()

function forged(certificate: Uint8Array): Uint8Array {
  const decoded = decode(certificate) as Record<string, unknown>
  const signature = Uint8Array.from(decoded.signature as Uint8Array)
  signature[signature.length - 1] ^= 0x01
  return encodeWithSelfDescribedTag({ ...decoded, signature } as never)
}

function sendCbor(res: http.ServerResponse, status: number, value: Record<string, unknown>): void {
  if (forgedResponses.has(res) && value.certificate instanceof Uint8Array) {
    value = { ...value, certificate: forged(value.certificate) }
  }
  const body = encodeWithSelfDescribedTag(value as never)
  res.writeHead(status, { 'content-type': 'application/cbor', 'content-length': body.length })
  res.end(body)
}

function sendEmpty(res: http.ServerResponse, status: number): void {
  res.writeHead(status, { 'content-length': 0 })
  res.end()
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms).unref?.())
}

export function listeningUrl(server: http.Server): string {
  const address = server.address() as AddressInfo
  return `http://127.0.0.1:${address.port}`
}
