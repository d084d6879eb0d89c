// What the post step needs to roll back a guarded deploy: saved once every guard snapshot exists, and
// cleared once the guard itself has settled the outcome (passed, or rolled back).
import * as core from '@actions/core'
import { State } from '../constants.js'

export interface GuardedCanister {
  id: string
  label: string
  snapshotId: string
  /** The module hash before the deploy: the rollback must bring it back. */
  moduleHash: string
}

export interface GuardRecord {
  /** `deploy`: the action's own deploy was under way; `job`: the job's later steps deploy. */
  scope: 'deploy' | 'job'
  canisters: GuardedCanister[]
}

export function saveGuard(record: GuardRecord): void {
  core.saveState(State.GuardedCanisters, JSON.stringify(record))
}

export function clearGuard(): void {
  core.saveState(State.GuardedCanisters, '')
}

/** In the post step: the guard the main step left in force, if any. */
export function guardInForce(): GuardRecord | undefined {
  const raw = core.getState(State.GuardedCanisters)
  if (!raw) return undefined
  try {
    const parsed = JSON.parse(raw) as GuardRecord
    if (!Array.isArray(parsed.canisters) || parsed.canisters.length === 0) return undefined
    return parsed
  } catch {
    return undefined
  }
}
