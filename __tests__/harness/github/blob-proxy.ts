// A pass-through proxy in front of Azurite. Every signed URL the backend hands out points here, so tests can
// see each blob request and make the next ones fail as flaky blob storage does.
import http from 'node:http'
import type { BackendFaults, RequestRecord } from './controls.js'
import { listenOnLoopback, type LoopbackServer } from './http.js'

// Azure answers throttling with 503 ServerBusy; the storage SDK retries 500 and 503 only.
// Where a 'cut' fault drops the connection: part-way through any block or download of a few MiB.
const CUT_AFTER_BYTES = 1024 * 1024

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
        if (fault === 'cut') cutAfter(answer, CUT_AFTER_BYTES, () => res.destroy())
        answer.pipe(res)
      }
    )
    forwarded.on('error', () => res.destroy())
    // An upload is cut on its way in, so that the storage never sees the whole block.
    if (fault === 'cut')
      cutAfter(req, CUT_AFTER_BYTES, () => {
        forwarded.destroy()
        req.socket.destroy()
      })
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

/** Calls `cut` once `limit` bytes have flowed through `stream` (never, for a shorter body). */
function cutAfter(stream: NodeJS.ReadableStream, limit: number, cut: () => void): void {
  let seen = 0
  stream.on('data', (chunk: Buffer) => {
    seen += chunk.length
    if (seen >= limit && seen - chunk.length < limit) cut()
  })
}
