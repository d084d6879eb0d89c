// The slice of GitHub's REST API that @actions/artifact's `findBy` uses to reach another run's artifacts
// (reference §5, "findBy"), at GITHUB_API_URL. Any non-empty token is accepted and recorded.
import type http from 'node:http'
import { ARTIFACT_CONTAINER, type BlobStore } from './blob-store.js'
import type { RequestRecord } from './controls.js'
import { listenOnLoopback, readBody, sendJson, type LoopbackServer } from './http.js'
import type { RunStore, StoredArtifact } from './runs.js'

const DOCS = 'https://docs.github.com/rest/actions/artifacts'
// GitHub's pagination: 30 a page unless asked, at most 100.
const DEFAULT_PER_PAGE = 30
const MAX_PER_PAGE = 100

class RestError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

const notFound = () => new RestError(404, 'Not Found')

export interface RestApiDeps {
  runs: RunStore
  blobs: BlobStore
  requests: RequestRecord[]
}

export async function startRestApi(deps: RestApiDeps): Promise<LoopbackServer> {
  let api = ''
  const { runs, blobs } = deps

  const artifactJson = (artifact: StoredArtifact) => {
    const url = `${api}/repos/${artifact.repository}/actions/artifacts/${artifact.id}`
    const run = runs.findRun(artifact.repository, artifact.runId)
    return {
      id: artifact.id,
      node_id: Buffer.from(`Artifact${artifact.id}`).toString('base64'),
      name: artifact.name,
      size_in_bytes: artifact.size,
      url,
      archive_download_url: `${url}/zip`,
      expired: false,
      created_at: artifact.createdAt.toISOString(),
      updated_at: artifact.createdAt.toISOString(),
      expires_at: artifact.expiresAt.toISOString(),
      ...(artifact.digest ? { digest: artifact.digest } : {}),
      workflow_run: { id: artifact.runId, head_sha: run?.sha }
    }
  }

  /** The artifact, if it belongs to this repository. */
  const artifactOf = (repository: string, id: string): StoredArtifact => {
    const artifact = /^\d+$/.test(id) ? runs.artifact(Number(id)) : undefined
    if (!artifact || artifact.repository !== repository) throw notFound()
    return artifact
  }

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? 'GET'
    const runArtifacts = /^\/repos\/([^/]+\/[^/]+)\/actions\/runs\/(\d+)\/artifacts$/.exec(url.pathname)
    if (runArtifacts && method === 'GET') {
      const [, repository, runId] = runArtifacts
      if (!runs.hasRepository(repository)) throw notFound()
      const run = runs.findRun(repository, Number(runId))
      if (!run) throw notFound()
      const name = url.searchParams.get('name')
      const all = runs.artifactsOf(run).filter(a => name === null || a.name === name)
      const perPage = Math.min(
        Number(url.searchParams.get('per_page') ?? DEFAULT_PER_PAGE) || 1,
        MAX_PER_PAGE
      )
      const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1)
      const slice = all.slice((page - 1) * perPage, page * perPage)
      sendJson(res, 200, { total_count: all.length, artifacts: slice.map(artifactJson) })
      return
    }
    const oneRun = /^\/repos\/([^/]+\/[^/]+)\/actions\/runs\/(\d+)$/.exec(url.pathname)
    if (oneRun && method === 'GET') {
      const [, repository, runId] = oneRun
      const run = runs.findRun(repository, Number(runId))
      if (!run) throw notFound()
      // The fields of GitHub's workflow-run object that say where a run's code came from.
      const repo = (fullName: string) => ({ full_name: fullName, fork: fullName !== repository })
      sendJson(res, 200, {
        id: run.runId,
        event: run.event,
        head_sha: run.sha,
        repository: repo(repository),
        head_repository: repo(run.headRepository)
      })
      return
    }
    const oneArtifact = /^\/repos\/([^/]+\/[^/]+)\/actions\/artifacts\/([^/]+)(\/zip)?$/.exec(url.pathname)
    if (oneArtifact) {
      const [, repository, id, zip] = oneArtifact
      const artifact = artifactOf(repository, id)
      if (zip && method === 'GET') {
        // GitHub redirects to a short-lived blob URL; the client must not follow it itself.
        const fileName = artifact.mimeType === 'application/zip' ? `${artifact.name}.zip` : artifact.name
        res.writeHead(302, {
          location: blobs.signedUrl(ARTIFACT_CONTAINER, artifact.blobName, 'download', fileName),
          'content-length': 0
        })
        res.end()
        return
      }
      if (!zip && method === 'GET') {
        sendJson(res, 200, artifactJson(artifact))
        return
      }
      if (!zip && method === 'DELETE') {
        runs.deleteArtifact(artifact.id)
        await blobs.remove(ARTIFACT_CONTAINER, artifact.blobName)
        res.writeHead(204)
        res.end()
        return
      }
    }
    throw notFound()
  }

  const server = await listenOnLoopback(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1]
    deps.requests.push({ service: 'rest', method: req.method ?? 'GET', path: url.pathname, token })
    await readBody(req)
    try {
      if (!token) throw new RestError(401, 'Requires authentication')
      await handle(req, res, url)
    } catch (error) {
      const rest = error instanceof RestError ? error : new RestError(500, String(error))
      sendJson(res, rest.status, {
        message: rest.message,
        documentation_url: DOCS,
        status: String(rest.status)
      })
    }
  })
  api = server.origin
  return server
}
