// GitHub's "results" service: Twirp JSON at ACTIONS_RESULTS_URL's origin, authorized by the runtime token
// whose scp claim names the caller's run and job (reference §5, "JWT scp claim").
import type http from 'node:http'
import { artifactService } from './artifact-service.js'
import type { BlobStore } from './blob-store.js'
import type { CacheStore } from './cache-entries.js'
import { cacheService } from './cache-service.js'
import type { BackendFaults, RequestRecord } from './controls.js'
import { listenOnLoopback, readBody, sendJson, type LoopbackServer } from './http.js'
import type { RunStore, WorkflowRun } from './runs.js'
import { backendIdsFromAuthorization } from './token.js'
import { TwirpError, type TwirpMessage } from './twirp.js'

/** Who is calling, as the runtime token says. */
export interface Caller {
  run: WorkflowRun
  jobBackendId: string
}

export type TwirpService = Record<string, (caller: Caller, request: TwirpMessage) => Promise<object>>

const PACKAGE = 'github.actions.results.api.v1'

export interface ResultsServiceDeps {
  runs: RunStore
  caches: CacheStore
  blobs: BlobStore
  faults: BackendFaults
  requests: RequestRecord[]
}

export async function startResultsService(deps: ResultsServiceDeps): Promise<LoopbackServer> {
  const services: Record<string, { record: 'artifact' | 'cache'; methods: TwirpService }> = {
    [`${PACKAGE}.ArtifactService`]: { record: 'artifact', methods: artifactService(deps.runs, deps.blobs) },
    [`${PACKAGE}.CacheService`]: { record: 'cache', methods: cacheService(deps.caches, deps.blobs) }
  }

  const authenticate = (req: http.IncomingMessage): Caller => {
    const ids = backendIdsFromAuthorization(req.headers.authorization)
    if (!ids) {
      throw new TwirpError('unauthenticated', 'a runtime token with an Actions.Results scope is required')
    }
    const run = deps.runs.runByBackendId(ids.workflowRunBackendId)
    if (!run) {
      throw new TwirpError('unauthenticated', `the token names an unknown run ${ids.workflowRunBackendId}`)
    }
    return { run, jobBackendId: ids.workflowJobRunBackendId }
  }

  return listenOnLoopback(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    const [, prefix, serviceName, methodName] = path.split('/')
    const service = prefix === 'twirp' ? services[serviceName] : undefined
    deps.requests.push({ service: service?.record ?? 'artifact', method: req.method ?? 'POST', path })
    try {
      const body = await readBody(req)
      const injected = service && deps.faults.takeResultsFault(methodName)
      if (injected) throw TwirpError.forStatus(injected)
      const method =
        service && Object.hasOwn(service.methods, methodName) ? service.methods[methodName] : undefined
      if (!method || req.method !== 'POST') throw new TwirpError('bad_route', `no such method: ${path}`)
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
        throw new TwirpError('malformed', 'only the JSON encoding is served here')
      }
      const caller = authenticate(req)
      let request: unknown
      try {
        request = JSON.parse(body.toString('utf8') || '{}')
      } catch {
        throw new TwirpError('malformed', 'the request body is not JSON')
      }
      if (typeof request !== 'object' || request === null || Array.isArray(request)) {
        throw new TwirpError('malformed', 'the request body is not a JSON object')
      }
      sendJson(res, 200, await method(caller, request as TwirpMessage))
    } catch (error) {
      const twirp = error instanceof TwirpError ? error : new TwirpError('internal', String(error))
      sendJson(res, twirp.status, twirp.body)
    }
  })
}
