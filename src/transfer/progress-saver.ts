// Saves a progress file as work completes without writing it once per slice: one save at a time, at most one
// per PROGRESS_SAVE_INTERVAL_MS, always of the latest state.
import { PROGRESS_SAVE_INTERVAL_MS } from './defaults.js'

export class ProgressSaver {
  private dirty = false
  private running: Promise<void> | undefined
  private lastSave = 0
  private failure: { error: unknown } | undefined
  private wake: (() => void) | undefined
  private urgent = false

  constructor(
    private readonly save: () => Promise<void>,
    private readonly intervalMs = PROGRESS_SAVE_INTERVAL_MS
  ) {}

  /** Marks the state changed; a save follows within the interval. */
  request(): void {
    this.dirty = true
    this.running ??= this.loop().finally(() => (this.running = undefined))
  }

  /** Saves the latest state now and waits for it; throws if any save failed. */
  async flush(): Promise<void> {
    this.urgent = true
    try {
      if (this.dirty) this.request()
      this.wake?.()
      while (this.running) await this.running
    } finally {
      this.urgent = false
    }
    if (this.failure) throw this.failure.error
  }

  private async loop(): Promise<void> {
    while (this.dirty) {
      const wait = this.urgent ? 0 : this.lastSave + this.intervalMs - Date.now()
      if (wait > 0) {
        await new Promise<void>(resolve => {
          const timer = setTimeout(resolve, wait)
          this.wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        this.wake = undefined
      }
      this.dirty = false
      this.lastSave = Date.now()
      try {
        await this.save()
      } catch (error) {
        this.failure ??= { error }
      }
    }
  }
}
