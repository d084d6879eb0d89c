// An upload that nothing can resume (its directory came from an artifact, and the next run downloads it
// anew) is recorded for the post step from the moment its snapshot exists until it is complete: a step that
// is killed or cancelled part-way runs no catch, and its half-uploaded, zero-filled snapshot would take a
// slot and look like a snapshot. The post step deletes it (cleanup.ts).
import { State } from '../constants.js'
import { readSignedState, saveSignedState } from '../state-provider.js'

export interface UnfinishedUpload {
  canisterId: string
  snapshotId: string
}

export function recordUnfinishedUpload(upload: UnfinishedUpload): void {
  saveSignedState(State.UnfinishedUpload, JSON.stringify(upload))
}

export function clearUnfinishedUpload(): void {
  saveSignedState(State.UnfinishedUpload, '')
}

/** In the post step: the upload the main step left unfinished, if any, or 'forged' when it is not its own. */
export function unfinishedUpload(): UnfinishedUpload | 'forged' | undefined {
  const record = readSignedState(State.UnfinishedUpload)
  if (record.kind === 'forged') return 'forged'
  if (record.kind === 'none') return undefined
  try {
    const parsed = JSON.parse(record.value) as Partial<UnfinishedUpload>
    if (typeof parsed.canisterId !== 'string' || typeof parsed.snapshotId !== 'string') return undefined
    return { canisterId: parsed.canisterId, snapshotId: parsed.snapshotId }
  } catch {
    return undefined
  }
}
