// A local stand-in for GitHub's artifact and cache backends: the results service (Twirp), the REST endpoints
// `findBy` uses, and Azurite behind a fault-injecting proxy for the blobs. The real @actions/artifact and
// @actions/cache run against it unmodified, in-process or from dist/ in a child process.
import { startAzurite } from './azurite.js'
import { startBlobProxy } from './blob-proxy.js'
import { ARTIFACT_CONTAINER, BlobStore } from './blob-store.js'
import { CacheStore } from './cache-entries.js'
import { BackendFaults, type FaultControls, type RequestRecord } from './controls.js'
import { startRestApi } from './rest-api.js'
import { startResultsService } from './results-service.js'
import { DEFAULT_JOB, DEFAULT_REPOSITORY, RunStore, type ArtifactFilter } from './runs.js'
import { runtimeToken } from './token.js'

export { DEFAULT_JOB, DEFAULT_REPOSITORY } from './runs.js'
export type { BlobFault, FaultControls, RequestRecord } from './controls.js'

export interface StepRun {
  /** `owner/name`; DEFAULT_REPOSITORY if omitted. */
  repository?: string
  runId: number
  /** The job's name; DEFAULT_JOB if omitted. Jobs of one run share its artifacts. */
  job?: string
  /** The run's event (default `push`), fixed when the run is first registered. */
  event?: string
  /** The repository its code came from (default: `repository`); a fork's name for a fork's pull request. */
  headRepository?: string
}

export interface ArtifactRecord {
  id: number
  name: string
  runId: number
  repository: string
  size: number
  /** `sha256:<hex>`, as GitHub reports it (uploadArtifact returns the bare hex). */
  digest?: string
}

export interface CacheEntryRecord {
  key: string
  version: string
  size: number
}

export interface GitHubBackend {
  /**
   * Environment for a step of the given run/job, to merge into the action's env: ACTIONS_RUNTIME_TOKEN
   * (unsigned JWT with the scp claim), ACTIONS_RESULTS_URL, ACTIONS_CACHE_SERVICE_V2, ACTIONS_CACHE_URL,
   * GITHUB_API_URL, GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT, GITHUB_JOB,
   * GITHUB_SHA, GITHUB_RETENTION_DAYS. Registers the run, so REST knows it from then on.
   *
   * In-process, mind that @actions/github reads GITHUB_API_URL once, when it is first imported: set the
   * environment before importing @actions/artifact.
   */
  envFor(run: StepRun): Record<string, string>
  /** Finalized artifacts, for assertions. */
  artifacts(filter?: ArtifactFilter): ArtifactRecord[]
  /** The raw bytes of an artifact's zip (for tamper tests). */
  artifactBlob(id: number): Promise<Buffer>
  /** Replaces an artifact's bytes; its id, name, size and digest stay as recorded. */
  replaceArtifactBlob(id: number, bytes: Buffer): Promise<void>
  /** Finalized cache entries, for assertions. */
  cacheEntries(): CacheEntryRecord[]
  /** Every request that reached the results service, the REST API or blob storage, in order. */
  requests: RequestRecord[]
  controls: FaultControls
  stop(): Promise<void>
}

export async function startGitHubBackend(): Promise<GitHubBackend> {
  const runs = new RunStore()
  const caches = new CacheStore()
  const faults = new BackendFaults()
  const requests: RequestRecord[] = []

  const azurite = await startAzurite()
  const proxy = await startBlobProxy(azurite.origin, faults, requests)
  const blobs = new BlobStore(azurite.origin, proxy.origin)
  await blobs.createContainers()
  const results = await startResultsService({ runs, caches, blobs, faults, requests })
  const rest = await startRestApi({ runs, blobs, requests })

  const storedArtifact = (id: number) => {
    const artifact = runs.artifact(id)
    if (!artifact) throw new Error(`no artifact with id ${id}`)
    return artifact
  }

  return {
    envFor({ repository = DEFAULT_REPOSITORY, runId, job = DEFAULT_JOB, event, headRepository }) {
      const run = runs.run(repository, runId, {
        ...(event ? { event } : {}),
        ...(headRepository ? { headRepository } : {})
      })
      const jobBackendId = runs.job(run, job)
      return {
        ACTIONS_RUNTIME_TOKEN: runtimeToken({
          workflowRunBackendId: run.backendId,
          workflowJobRunBackendId: jobBackendId
        }),
        ACTIONS_RESULTS_URL: `${results.origin}/`,
        ACTIONS_CACHE_SERVICE_V2: 'True',
        ACTIONS_CACHE_URL: `${results.origin}/`,
        GITHUB_API_URL: rest.origin,
        // Anything but github.com, *.ghe.com or *.localhost is GHES to the toolkit, which then refuses
        // artifacts and falls back to cache v1 (reference §5, "GITHUB_SERVER_URL").
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: repository,
        GITHUB_RUN_ID: String(runId),
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_JOB: job,
        GITHUB_SHA: run.sha,
        GITHUB_EVENT_NAME: run.event,
        GITHUB_RETENTION_DAYS: '90'
      }
    },

    artifacts(filter) {
      return runs.list(filter).map(a => ({
        id: a.id,
        name: a.name,
        runId: a.runId,
        repository: a.repository,
        size: a.size,
        ...(a.digest ? { digest: a.digest } : {})
      }))
    },

    artifactBlob: async id => blobs.read(ARTIFACT_CONTAINER, storedArtifact(id).blobName),

    async replaceArtifactBlob(id, bytes) {
      const artifact = storedArtifact(id)
      await blobs.write(ARTIFACT_CONTAINER, artifact.blobName, bytes, artifact.mimeType)
    },

    cacheEntries: () => caches.entries().map(e => ({ key: e.key, version: e.version, size: e.size })),

    requests,
    controls: faults,

    async stop() {
      await rest.close()
      await results.close()
      await proxy.close()
      await azurite.stop()
    }
  }
}
