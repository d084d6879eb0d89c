// github.actions.results.api.v1.ArtifactService: the calls @actions/artifact makes for the current run
// (reference §5, table of methods). Artifacts are scoped to the caller's workflow run.
import { ARTIFACT_CONTAINER, type BlobStore } from './blob-store.js'
import type { Caller, TwirpService } from './results-service.js'
import type { RunStore, StoredArtifact } from './runs.js'
import { TwirpError, int64Field, stringField, type TwirpMessage } from './twirp.js'

export function artifactService(runs: RunStore, blobs: BlobStore): TwirpService {
  /** The artifact-naming request must speak for the caller's run: a token only opens its own run. */
  const checkRun = (caller: Caller, request: TwirpMessage): void => {
    const runBackendId = stringField(request, 'workflow_run_backend_id')
    if (runBackendId !== caller.run.backendId) {
      throw new TwirpError('permission_denied', `the token does not grant access to run ${runBackendId}`)
    }
  }

  const newestNamed = (caller: Caller, name: string): StoredArtifact => {
    const artifact = runs
      .artifactsOf(caller.run)
      .filter(a => a.name === name)
      .at(-1)
    if (!artifact) throw new TwirpError('not_found', `artifact '${name}' not found in this workflow run`)
    return artifact
  }

  const listed = (artifact: StoredArtifact) => ({
    workflow_run_backend_id: artifact.runBackendId,
    workflow_job_run_backend_id: artifact.jobBackendId,
    database_id: String(artifact.id),
    name: artifact.name,
    size: String(artifact.size),
    created_at: artifact.createdAt.toISOString(),
    ...(artifact.digest ? { digest: artifact.digest } : {})
  })

  return {
    async CreateArtifact(caller, request) {
      checkRun(caller, request)
      const name = stringField(request, 'name') as string
      if (runs.artifactsOf(caller.run).some(a => a.name === name)) {
        throw new TwirpError(
          'already_exists',
          `an artifact with the name '${name}' already exists on the run`
        )
      }
      const expiresAt = stringField(request, 'expires_at', false)
      const artifact = runs.createArtifact(
        caller.run,
        caller.jobBackendId,
        name,
        stringField(request, 'mime_type', false) ?? 'application/zip',
        expiresAt ? new Date(expiresAt) : undefined
      )
      return { ok: true, signed_upload_url: blobs.signedUrl(ARTIFACT_CONTAINER, artifact.blobName, 'upload') }
    },

    async FinalizeArtifact(caller, request) {
      checkRun(caller, request)
      const name = stringField(request, 'name') as string
      const artifact = runs.pendingArtifact(caller.run, name)
      if (!artifact) throw new TwirpError('not_found', `no upload of artifact '${name}' is in progress`)
      if ((await blobs.size(ARTIFACT_CONTAINER, artifact.blobName)) === undefined) {
        throw new TwirpError('failed_precondition', `artifact '${name}' was never uploaded`)
      }
      runs.finalizeArtifact(
        artifact,
        int64Field(request, 'size') as number,
        stringField(request, 'hash', false)
      )
      return { ok: true, artifact_id: String(artifact.id) }
    },

    async ListArtifacts(caller, request) {
      checkRun(caller, request)
      const name = stringField(request, 'name_filter', false)
      const id = int64Field(request, 'id_filter', false)
      const artifacts = runs
        .artifactsOf(caller.run)
        .filter(a => (name === undefined || a.name === name) && (id === undefined || a.id === id))
      return { artifacts: artifacts.map(listed) }
    },

    async GetSignedArtifactURL(caller, request) {
      checkRun(caller, request)
      const artifact = newestNamed(caller, stringField(request, 'name') as string)
      const fileName = artifact.mimeType === 'application/zip' ? `${artifact.name}.zip` : artifact.name
      return { signed_url: blobs.signedUrl(ARTIFACT_CONTAINER, artifact.blobName, 'download', fileName) }
    },

    async DeleteArtifact(caller, request) {
      checkRun(caller, request)
      const artifact = newestNamed(caller, stringField(request, 'name') as string)
      runs.deleteArtifact(artifact.id)
      await blobs.remove(ARTIFACT_CONTAINER, artifact.blobName)
      return { ok: true, artifact_id: String(artifact.id) }
    }
  }
}
