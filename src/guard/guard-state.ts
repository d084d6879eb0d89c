// What the post step needs to roll back a guarded deploy: saved once every guard snapshot exists, and
// cleared once the guard itself has settled the outcome (passed, or rolled back).
import { State } from '../constants.js'
import { readSignedState, saveSignedState } from '../state-provider.js'

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
  saveSignedState(State.GuardedCanisters, JSON.stringify(record))
}

export function clearGuard(): void {
  saveSignedState(State.GuardedCanisters, '')
}

/** In the post step: the guard the main step left in force, if any, or 'forged' when it is not its own. */
export function guardInForce(): GuardRecord | 'forged' | undefined {
  const record = readSignedState(State.GuardedCanisters)
  if (record.kind === 'forged') return 'forged'
  if (record.kind === 'none') return undefined
  try {
    const parsed = JSON.parse(record.value) as GuardRecord
    if (!Array.isArray(parsed.canisters) || parsed.canisters.length === 0) return undefined
    return parsed
  } catch {
    return undefined
  }
}
