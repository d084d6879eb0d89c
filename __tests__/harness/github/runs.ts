// The model behind both APIs: workflow runs per repository, and the artifacts each run uploaded. REST knows a
// run by its numeric id, the results service by its backend id (a UUID, as GitHub's are).
import { createHash } from 'node:crypto'

export const DEFAULT_REPOSITORY = 'octo-org/canisters'
export const DEFAULT_JOB = 'snapshot'

export interface WorkflowRun {
  repository: string
  runId: number
  backendId: string
  /** Job backend id → job name. */
  jobs: Map<string, string>
  sha: string
  /** The event that started it (`push`, `pull_request`, `workflow_dispatch`, …). */
  event: string
  /** Where its code came from: the repository itself, or a fork for a fork's pull request. */
  headRepository: string
}

/** How a run was started, as the REST API reports it (`GET /repos/{repo}/actions/runs/{id}`). */
export interface RunOrigin {
  event?: string
  headRepository?: string
}

export interface StoredArtifact {
  id: number
  name: string
  repository: string
  runId: number
  runBackendId: string
  /** The job that uploaded it. */
  jobBackendId: string
  mimeType: string
  /** Where its bytes live in the artifact container. */
  blobName: string
  createdAt: Date
  expiresAt: Date
  /** Known once the upload is finalized. */
  size: number
  /** `sha256:<hex>`, as FinalizeArtifact sends it and GitHub reports it. */
  digest?: string
  finalized: boolean
}

export interface ArtifactFilter {
  repository?: string
  runId?: number
  name?: string
}

const DEFAULT_RETENTION_DAYS = 90
const DAY_MS = 24 * 60 * 60 * 1000

/** A UUID derived from the parts, so that the same run always gets the same backend id. */
function stableUuid(...parts: Array<string | number>): string {
  const hex = createHash('sha256').update(parts.join('\0')).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

export class RunStore {
  private readonly runs = new Map<string, WorkflowRun>()
  private readonly runsByBackendId = new Map<string, WorkflowRun>()
  private readonly stored = new Map<number, StoredArtifact>()
  private nextArtifactId = 1

  /** The run, registered on first use. */
  run(repository: string, runId: number, origin: RunOrigin = {}): WorkflowRun {
    const key = `${repository}#${runId}`
    let run = this.runs.get(key)
    if (!run) {
      run = {
        repository,
        runId,
        backendId: stableUuid('run', repository, runId),
        jobs: new Map(),
        sha: createHash('sha1').update(key).digest('hex'),
        event: origin.event ?? 'push',
        headRepository: origin.headRepository ?? repository
      }
      this.runs.set(key, run)
      this.runsByBackendId.set(run.backendId, run)
    }
    return run
  }

  /** The backend id of a job of the run, registered on first use. */
  job(run: WorkflowRun, name: string): string {
    const backendId = stableUuid('job', run.repository, run.runId, name)
    run.jobs.set(backendId, name)
    return backendId
  }

  findRun(repository: string, runId: number): WorkflowRun | undefined {
    return this.runs.get(`${repository}#${runId}`)
  }

  runByBackendId(backendId: string): WorkflowRun | undefined {
    return this.runsByBackendId.get(backendId)
  }

  hasRepository(repository: string): boolean {
    return [...this.runs.values()].some(run => run.repository === repository)
  }

  /** Starts an upload: the artifact gets its id now and is listed once finalized. */
  createArtifact(
    run: WorkflowRun,
    jobBackendId: string,
    name: string,
    mimeType: string,
    expiresAt?: Date
  ): StoredArtifact {
    const pending = this.pendingArtifact(run, name)
    if (pending) this.stored.delete(pending.id)
    const id = this.nextArtifactId++
    const createdAt = new Date()
    const artifact: StoredArtifact = {
      id,
      name,
      repository: run.repository,
      runId: run.runId,
      runBackendId: run.backendId,
      jobBackendId,
      mimeType,
      blobName: `${run.repository}/${run.runId}/${id}`,
      createdAt,
      expiresAt: expiresAt ?? new Date(createdAt.getTime() + DEFAULT_RETENTION_DAYS * DAY_MS),
      size: 0,
      finalized: false
    }
    this.stored.set(id, artifact)
    return artifact
  }

  pendingArtifact(run: WorkflowRun, name: string): StoredArtifact | undefined {
    return [...this.stored.values()].find(
      a => a.runBackendId === run.backendId && a.name === name && !a.finalized
    )
  }

  finalizeArtifact(artifact: StoredArtifact, size: number, digest: string | undefined): void {
    artifact.size = size
    artifact.digest = digest
    artifact.finalized = true
  }

  /** Finalized artifacts of a run, oldest first. */
  artifactsOf(run: WorkflowRun): StoredArtifact[] {
    return this.list({ repository: run.repository, runId: run.runId })
  }

  /** A finalized artifact. */
  artifact(id: number): StoredArtifact | undefined {
    const artifact = this.stored.get(id)
    return artifact?.finalized ? artifact : undefined
  }

  deleteArtifact(id: number): void {
    this.stored.delete(id)
  }

  list(filter: ArtifactFilter = {}): StoredArtifact[] {
    return [...this.stored.values()]
      .filter(
        a =>
          a.finalized &&
          (filter.repository === undefined || a.repository === filter.repository) &&
          (filter.runId === undefined || a.runId === filter.runId) &&
          (filter.name === undefined || a.name === filter.name)
      )
      .sort((a, b) => a.id - b.id)
  }
}
