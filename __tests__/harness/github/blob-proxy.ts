// A pass-through proxy in front of Azurite. Every signed URL the backend hands out points here, so tests can
// see each blob request and make the next ones fail as flaky blob storage does.
import http from 'node:http'
import type { BackendFaults, RequestRecord } from './controls.js'
import { listenOnLoopback, type LoopbackServer } from './http.js'

// Where a 'cut' fault drops the connection: part-way through a block or a download of a few MiB. A shorter
// body is let through and the fault waits for the next request.
const CUT_AFTER_BYTES = 1024 * 1024

// Azure answers throttling with 503 ServerBusy; the storage SDK retries 500 and 503 only.
const SERVER_BUSY = `<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>Injected fault</Message></Error>`

export async function startBlobProxy(
  azuriteOrigin: string,
  faults: BackendFaults,
  requests: RequestRecord[]
): Promise<LoopbackServer> {
  const upstream = new URL(azuriteOrigin)
  const agent = new http.Agent({ keepAlive: true })
  const server = await listenOnLoopback((req, res) => {
    requests.push({ service: 'blob', method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0] })
    const fault = faults.takeBlobFault()
    const upload = req.method === 'PUT' || req.method === 'POST'
    const giveBack = () => faults.giveBackBlobFault()
    if (fault === 'reset') {
      req.socket.destroy()
      return
    }
    if (fault === '5xx') {
      // Read the body first, so that the client sees the answer rather than a broken pipe.
      req.resume()
      req.on('end', () => {
        res.writeHead(503, { 'content-type': 'application/xml', 'x-ms-error-code': 'ServerBusy' })
        res.end(SERVER_BUSY)
      })
      return
    }
    const forwarded = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
        agent
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        if (fault === 'cut' && !upload) cutAfter(answer, () => res.destroy(), giveBack)
        answer.pipe(res)
      }
    )
    forwarded.on('error', () => res.destroy())
    // An upload is cut on its way in, so that the storage never sees the whole block.
    if (fault === 'cut' && upload)
      cutAfter(
        req,
        () => {
          forwarded.destroy()
          req.socket.destroy()
        },
        giveBack
      )
    req.pipe(forwarded)
  })
  return {
    origin: server.origin,
    close: async () => {
      await server.close()
      agent.destroy()
    }
  }
}

/** Calls `cut` once CUT_AFTER_BYTES have flowed through `stream`, or `short` if it ends before that. */
function cutAfter(stream: NodeJS.ReadableStream, cut: () => void, short: () => void): void {
  let seen = 0
  stream.on('data', (chunk: Buffer) => {
    seen += chunk.length
    if (seen >= CUT_AFTER_BYTES && seen - chunk.length < CUT_AFTER_BYTES) cut()
  })
  stream.on('end', () => {
    if (seen < CUT_AFTER_BYTES) short()
  })
}
