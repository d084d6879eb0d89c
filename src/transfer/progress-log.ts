// Progress of a transfer: an event per finished slice, and a default listener that turns them into a log line
// every few seconds or every few percent.
import * as core from '@actions/core'
import { PROGRESS_LOG_PERCENT, PROGRESS_LOG_SECONDS } from './defaults.js'

export interface TransferProgress {
  direction: 'download' | 'upload'
  /** Bytes of the memories done, including those a resumed transfer found done. */
  doneBytes: number
  totalBytes: number
  /** Bytes moved by this run. */
  transferredBytes: number
  elapsedSeconds: number
}

export type ProgressListener = (progress: TransferProgress) => void

export function formatMB(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`
}

export function describeProgress(p: TransferProgress): string {
  const percent = p.totalBytes > 0 ? Math.floor((p.doneBytes / p.totalBytes) * 100) : 100
  const rate = p.elapsedSeconds > 0 ? p.transferredBytes / 1e6 / p.elapsedSeconds : 0
  const verb = p.direction === 'download' ? 'Downloaded' : 'Uploaded'
  return `${verb} ${formatMB(p.doneBytes)} of ${formatMB(p.totalBytes)} (${percent} %), ${rate.toFixed(1)} MB/s`
}

/** Logs every PROGRESS_LOG_SECONDS, at each further PROGRESS_LOG_PERCENT, and once at the end. */
export function progressLogger(log: (line: string) => void = core.info): ProgressListener {
  let lastSeconds = 0
  let lastStep = 0
  let finished = false
  return progress => {
    if (finished) return
    const percent = progress.totalBytes > 0 ? (progress.doneBytes / progress.totalBytes) * 100 : 100
    const step = Math.floor(percent / PROGRESS_LOG_PERCENT)
    const done = progress.doneBytes >= progress.totalBytes
    if (!done && step <= lastStep && progress.elapsedSeconds - lastSeconds < PROGRESS_LOG_SECONDS) return
    finished = done
    lastStep = step
    lastSeconds = progress.elapsedSeconds
    log(describeProgress(progress))
  }
}
