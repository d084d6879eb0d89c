import * as core from '@actions/core'
import { State } from '../constants.js'

// The runner keeps the last value saved under a key, and hands it to the post step as STATE_<key>, even when
// the main step was cancelled or killed: so the record is rewritten before each stop and after each start.
const stopped = new Set<string>()

export function rememberStopped(canisterId: string): void {
  stopped.add(canisterId)
  core.saveState(State.StoppedCanisters, JSON.stringify([...stopped]))
}

export function forgetStopped(canisterId: string): void {
  stopped.delete(canisterId)
  core.saveState(State.StoppedCanisters, JSON.stringify([...stopped]))
}

/** In the post step: the canisters the main step left stopped. */
export function stoppedByMainStep(): string[] {
  const raw = core.getState(State.StoppedCanisters)
  if (!raw) return []
  try {
    const parsed = JSON.parse(raw) as unknown
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : []
  } catch {
    return []
  }
}
