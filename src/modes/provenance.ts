// Where a snapshot about to be uploaded came from, said before anything changes, and checked against what the
// step expects: the run that stored the artifact, the canister it was taken from, and the canister it goes to.
// An artifact can come from any run that could write one, including a fork's pull request (SECURITY.md).
import * as core from '@actions/core'
import { Principal } from '@icp-sdk/core/principal'
import { Inputs } from '../constants.js'
import { InputError } from '../errors.js'
import type { OtherRun } from '../github/artifact.js'
import { ranForeignCode, readRunOrigin, type RunOrigin } from '../github/run-origin.js'
import { ActionError } from '../ic/errors.js'
import { isSnapshotIdOf } from '../ic/snapshot-id.js'
import type { SnapshotManifest } from '../snapshot-dir/checksums.js'

/** Where the directory was read from. */
export type SnapshotSource =
  { kind: 'path'; dir: string } | { kind: 'artifact'; name: string; fromRun?: OtherRun; origin?: RunOrigin }

/**
 * Before an artifact of another run is downloaded: the run must not have run a fork's code, unless
 * `allow-fork-artifact` says to take it.
 */
export async function checkOtherRun(fromRun: OtherRun, allowFork: boolean): Promise<RunOrigin> {
  const origin = await readRunOrigin(fromRun)
  core.info(
    `Run ${origin.runId} of ${origin.repository} was started by '${origin.event}' with code from ${origin.headRepository}${origin.headSha ? ` at ${origin.headSha}` : ''}`
  )
  if (ranForeignCode(origin)) {
    if (!allowFork) {
      throw new InputError(
        Inputs.AllowForkArtifact,
        `run ${origin.runId} ran code from ${origin.headRepository}, not ${origin.repository} (a fork's '${origin.event}' run), and such code can write any snapshot into its artifacts; set it to 'true' only for an artifact you have checked`
      )
    }
    core.warning(
      `Using an artifact of run ${origin.runId}, which ran code from ${origin.headRepository}: '${Inputs.AllowForkArtifact}' is true`
    )
  }
  return origin
}

export interface Provenance {
  /** The canister the snapshot was taken from, when the manifest says. */
  sourceCanister?: string
  /** One line for the log and the summary. */
  description: string
}

/**
 * Checks the manifest (already parsed field by field) against where the directory came from and where it
 * goes, and says where the snapshot came from. Throws before the first byte is uploaded.
 */
export function checkProvenance(options: {
  manifest?: SnapshotManifest
  source: SnapshotSource
  target: Principal
  restore: boolean
  /** `source-canister`. */
  allowedSource?: Principal
}): Provenance {
  const { manifest, source, target, restore, allowedSource } = options
  const fromOtherRun = source.kind === 'artifact' && source.fromRun !== undefined
  if (!manifest) {
    if (fromOtherRun)
      throw new ActionError(
        `The artifact '${source.name}' of run ${source.fromRun?.runId} has no manifest.json; an artifact of another run must say which canister and snapshot it holds, so nothing was uploaded.`
      )
    if (allowedSource)
      throw new InputError(
        Inputs.SourceCanister,
        'cannot be checked: the snapshot directory has no manifest.json naming the canister it was taken from'
      )
    return { description: 'no manifest.json: the canister and run it came from are unknown' }
  }

  const sourceCanister = manifest.canister
  if (!isSnapshotIdOf(manifest.snapshot_id, Principal.fromText(sourceCanister).toUint8Array()))
    throw new ActionError(
      `manifest.json names snapshot ${manifest.snapshot_id}, which is not a snapshot id of ${sourceCanister}, the canister it names; nothing was uploaded.`
    )

  if (source.kind === 'artifact') checkSameRun(manifest, source)

  const foreign = sourceCanister !== target.toText()
  if (allowedSource && allowedSource.toText() !== sourceCanister) {
    throw new InputError(
      Inputs.SourceCanister,
      `is ${allowedSource.toText()}, but the snapshot was taken from ${sourceCanister}; nothing was uploaded`
    )
  }
  if (restore && foreign && !allowedSource) {
    throw new InputError(
      Inputs.SourceCanister,
      `is required to load a snapshot of ${sourceCanister} into ${target.toText()}: with 'restore: true' a snapshot of another canister is loaded only when 'source-canister: ${sourceCanister}' says so`
    )
  }

  const from = manifest.source
  const run = from?.run_id
    ? `downloaded by run ${from.run_id}${from.repository ? ` of ${from.repository}` : ''}${from.commit ? ` at commit ${from.commit}` : ''}`
    : 'downloaded outside a workflow run'
  return {
    sourceCanister,
    description: `snapshot ${manifest.snapshot_id} of ${sourceCanister}, taken ${manifest.taken_at}, module ${manifest.module_hash || 'none'}; ${run}`
  }
}

/**
 * An artifact's manifest names the run that downloaded the snapshot; download-artifact stores it in that same
 * run. A manifest naming another run is an artifact copied or replayed from elsewhere; with `encrypt-with`
 * the manifest is authenticated, so an old genuine artifact cannot be passed off as this run's.
 */
function checkSameRun(
  manifest: SnapshotManifest,
  source: Extract<SnapshotSource, { kind: 'artifact' }>
): void {
  const runId = source.fromRun ? String(source.fromRun.runId) : process.env.GITHUB_RUN_ID
  const repository = source.fromRun
    ? `${source.fromRun.owner}/${source.fromRun.repo}`
    : process.env.GITHUB_REPOSITORY
  const recorded = manifest.source
  if (recorded?.run_id && runId && recorded.run_id !== runId) {
    throw new ActionError(
      `The artifact '${source.name}' was fetched from run ${runId}, but its manifest.json says run ${recorded.run_id} downloaded the snapshot: a copied or replayed artifact, so nothing was uploaded.`
    )
  }
  if (recorded?.repository && repository && recorded.repository.toLowerCase() !== repository.toLowerCase()) {
    throw new ActionError(
      `The artifact '${source.name}' was fetched from ${repository}, but its manifest.json says ${recorded.repository} downloaded the snapshot, so nothing was uploaded.`
    )
  }
}
