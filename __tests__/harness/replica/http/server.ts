// The IC HTTP interface (interface spec, "HTTPS Interface"), served on loopback for tests.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { decode, encodeWithSelfDescribedTag } from '@dfinity/cbor'
import { hashOfMap } from '@icp-sdk/core/agent'
import { Principal } from '@icp-sdk/core/principal'
import { certify, controllersEntry, leb, subnetEntries, timeEntry } from '../certification/certificate.js'
import { selectPaths, treeFromPaths } from '../certification/hash-tree.js'
import type { ReplicaKeys } from '../certification/keys.js'
import type { Endpoint, ReplicaControls, RequestRecord } from '../controls.js'
import type { StateMachine } from '../state-machine.js'
import { RejectCode, reject, type Outcome } from '../types.js'
import { authenticate, EnvelopeError, type Envelope } from './envelope.js'
import { RequestRegistry, type CallRecord } from './request-registry.js'

// The IC accepts ingress messages up to 2 MiB of payload; the envelope adds a little.
const MAX_BODY_BYTES = 4 * 1024 * 1024
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
  return http.createServer((req, res) => {
    handle(options, registry, req, res).catch(error => {
      const status =
        error instanceof HttpError ? error.statusCode : error instanceof EnvelopeError ? 400 : 500
      if (!res.headersSent) {
        res.writeHead(status, { 'content-type': 'text/plain' })
        res.end(error instanceof Error ? error.message : String(error))
      } else res.destroy()
    })
  })
}

async function handle(
  options: ServerOptions,
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
  if (target.endpoint === 'call')
    return handleCall(options, registry, target, envelope, now, res, body.length)
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
  options: ServerOptions,
  registry: RequestRegistry,
  target: Route,
  envelope: Envelope,
  now: bigint,
  res: http.ServerResponse,
  messageBytes: number
): Promise<void> {
  const { content, requestId, sender } = authenticate(envelope, 'call', now)
  // Ingress induction is charged on the signed request's bytes (management/cycles.ts).
  const ingress = { ...ingressOf(target, content, sender), messageBytes }
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
  return sendCbor(res, 200, { status: 'replied', certificate: certify(options.keys, tree) })
}

async function handleQuery(
  options: ServerOptions,
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
  options: ServerOptions,
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
  const entries = [timeEntry(options.now()), ...subnetEntries(options.keys)]
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
  return sendCbor(res, 200, { certificate: certify(options.keys, tree) })
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

function sendCbor(res: http.ServerResponse, status: number, value: Record<string, unknown>): void {
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
