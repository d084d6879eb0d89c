import { State } from '../constants.js'
import { readSignedState, saveSignedState, type SignedState } from '../state-provider.js'

// The runner keeps the last value saved under a key, and hands it to the post step as STATE_<key>, even when
// the main step was cancelled or killed: so the record is rewritten before each stop and after each start.
const stopped = new Set<string>()

export function rememberStopped(canisterId: string): void {
  stopped.add(canisterId)
  saveSignedState(State.StoppedCanisters, JSON.stringify([...stopped]))
}

export function forgetStopped(canisterId: string): void {
  stopped.delete(canisterId)
  saveSignedState(State.StoppedCanisters, JSON.stringify([...stopped]))
}

/** In the post step: the canisters the main step left stopped, or 'forged' when the record is not its own. */
export function stoppedByMainStep(): string[] | 'forged' {
  const record: SignedState = readSignedState(State.StoppedCanisters)
  if (record.kind === 'forged') return 'forged'
  if (record.kind === 'none') return []
  try {
    const parsed = JSON.parse(record.value) as unknown
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : []
  } catch {
    return []
  }
}
