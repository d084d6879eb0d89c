// How many requests an injected fault still fails, shared by the replica's and the GitHub backend's
// controls: it can let the first few matching requests through, and it knows whether it ever fired.
export class FaultBudget {
  private remaining: number

  constructor(
    readonly count: number,
    /** Matching requests to let through before the fault starts. */
    private skip = 0
  ) {
    this.remaining = count
  }

  /** Whether this matching request fails; false while skipping and once spent. */
  take(): boolean {
    if (this.remaining <= 0) return false
    if (this.skip > 0) {
      this.skip -= 1
      return false
    }
    this.remaining -= 1
    return true
  }

  /** Returns a failure that did not take effect, for the next matching request. */
  giveBack(): void {
    this.remaining += 1
  }

  get spent(): boolean {
    return this.remaining <= 0
  }

  /** Whether it failed at least one request. */
  get fired(): boolean {
    return this.remaining < this.count
  }
}
