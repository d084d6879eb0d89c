// Where another workflow run's code came from, read through GitHub's REST API before any of its artifacts is
// used: a `pull_request` run from a fork runs the fork's code, which can write any snapshot into an artifact
// of that run (GET /repos/{owner}/{repo}/actions/runs/{run_id}, fields `event` and `head_repository`).
import { ActionError, describe } from '../ic/errors.js'
import { inert } from '../untrusted-text.js'
import type { OtherRun } from './artifact.js'

export interface RunOrigin {
  runId: number
  /** `owner/name` of the run's repository. */
  repository: string
  /** The event that started it: `push`, `pull_request`, `schedule`, … */
  event: string
  /** `owner/name` of the repository its code came from: a fork's, for a fork's pull request. */
  headRepository: string
  headSha: string
}

// A workflow-run object is a few KiB; anything far larger is not one.
const MAX_RESPONSE_BYTES = 1 << 20

export async function readRunOrigin(run: OtherRun): Promise<RunOrigin> {
  const api = (process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '')
  const where = `run ${run.runId} of ${run.owner}/${run.repo}`
  let response: Response
  try {
    response = await fetch(`${api}/repos/${run.owner}/${run.repo}/actions/runs/${run.runId}`, {
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${run.token}`,
        'x-github-api-version': '2022-11-28'
      },
      signal: AbortSignal.timeout(30_000)
    })
  } catch (error) {
    throw new ActionError(`Could not read ${where} through the GitHub API: ${describe(error)}`)
  }
  const text = await response.text()
  if (!response.ok) {
    throw new ActionError(
      `Could not read ${where} through the GitHub API: HTTP ${response.status} ${inert(text, 200)}`
    )
  }
  if (text.length > MAX_RESPONSE_BYTES)
    throw new ActionError(`The GitHub API's answer about ${where} is too large`)
  const json = JSON.parse(text) as {
    event?: unknown
    head_sha?: unknown
    repository?: { full_name?: unknown }
    head_repository?: { full_name?: unknown } | null
  }
  const repository = typeof json.repository?.full_name === 'string' ? json.repository.full_name : ''
  // GitHub reports no head repository once a fork is deleted: its code still came from outside.
  const headRepository =
    typeof json.head_repository?.full_name === 'string' ? json.head_repository.full_name : '(deleted fork)'
  if (typeof json.event !== 'string' || !repository) {
    throw new ActionError(`The GitHub API's answer about ${where} has no event or repository`)
  }
  return {
    runId: run.runId,
    repository,
    event: json.event,
    headRepository,
    headSha: typeof json.head_sha === 'string' ? json.head_sha : ''
  }
}

/** Whether the run ran code from another repository than its own (a fork's pull request). */
export function ranForeignCode(origin: RunOrigin): boolean {
  return origin.headRepository.toLowerCase() !== origin.repository.toLowerCase()
}
