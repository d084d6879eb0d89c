// How many slices a transfer keeps in flight, found as TCP finds its window (AIMD), because no fixed number
// suits every network: at 200 ms a call 8 in flight fill the link, at mainnet's 2 s per update 16 are not
// enough, and a boundary node that answers 429 wants fewer. The level starts moderate and doubles while each
// window of completed slices is faster than the last (slow start); then it grows by one per window in which
// calls did not queue.
// It halves when a call had to be retried (HTTP 429 or 5xx, a transient reject, a reset), and when latency
// rose while throughput stayed flat: more in flight only queued. It never exceeds the cap: the `concurrency`
// input, bounded by what the slices' buffers may take of memory.

export interface CongestionOptions {
  /** The most slices in flight. */
  cap: number
  /** Slices in flight at first; at most the cap. */
  start?: number
  /** Milliseconds, for tests; performance.now by default. */
  now?: () => number
  /** Called with each new level and why. */
  onChange?: (level: number, reason: string) => void
}

/** Slices in flight at first: enough to measure, few enough to be polite. */
export const START_CONCURRENCY = 4
/** A window's throughput must beat the last by this much to count as rising. */
const RISE = 1.05
/** A window's median latency this much above the best seen means calls queue. */
const QUEUEING = 1.5

export class Congestion {
  #level: number
  readonly #start: number
  #peak: number
  #slowStart = true
  #windowStart: number
  #windowBytes = 0
  #windowLatencies: number[] = []
  #lastThroughput = 0
  #bestLatency = Infinity
  // After a halving, completions of calls sent before it say nothing about the new level.
  #quietUntil = 0
  // After a rise, the next window still measures calls sent at the old level: it is not judged.
  #settling = false
  readonly #now: () => number

  constructor(private readonly options: CongestionOptions) {
    this.#now = options.now ?? (() => performance.now())
    this.#level = Math.max(1, Math.min(options.cap, options.start ?? START_CONCURRENCY))
    this.#start = this.#level
    this.#peak = this.#level
    this.#windowStart = this.#now()
  }

  get level(): number {
    return this.#level
  }

  /** The highest level reached. */
  get peak(): number {
    return this.#peak
  }

  /** One line for the log: where the level started, how high it went, where it ended. */
  summary(): string {
    return `${this.#start} at first, up to ${this.#peak}, ${this.#level} at the end (at most ${this.options.cap})`
  }

  /** A slice completed: `bytes` moved, the call took `latencyMs`. */
  completed(bytes: number, latencyMs: number): void {
    const now = this.#now()
    if (now < this.#quietUntil) return
    this.#windowBytes += bytes
    this.#windowLatencies.push(latencyMs)
    // A window is one level's worth of completions: each slot in flight finished about once.
    if (this.#windowLatencies.length < this.#level) return
    const throughput = this.#windowBytes / Math.max(1, now - this.#windowStart)
    const latency = [...this.#windowLatencies].sort((a, b) => a - b)[
      Math.floor(this.#windowLatencies.length / 2)
    ]
    const previous = this.#lastThroughput
    this.#bestLatency = Math.min(this.#bestLatency, latency)
    if (this.#settling) {
      this.#settling = false
      this.#startWindow(now, previous)
      return
    }
    this.#startWindow(now, throughput)
    if (previous === 0) return
    if (throughput >= previous * RISE) {
      this.#settling = true
      this.#set(this.#slowStart ? this.#level * 2 : this.#level + 1, 'throughput rose')
    } else if (latency > this.#bestLatency * QUEUEING) {
      this.#halve('latency rose while throughput stayed flat')
    } else {
      // Flat, and calls do not queue: slow start ends, and the level probes one higher, as TCP's does.
      this.#slowStart = false
      this.#settling = true
      this.#set(this.#level + 1, 'probing')
    }
  }

  /** A call had to be retried: the network or the IC pushed back. */
  pushedBack(reason: string): void {
    if (this.#now() < this.#quietUntil) return
    this.#halve(reason)
  }

  #halve(reason: string): void {
    this.#slowStart = false
    this.#set(Math.floor(this.#level / 2), reason)
    this.#quietUntil =
      this.#now() + Math.max(...this.#windowLatencies, this.#bestLatency === Infinity ? 0 : this.#bestLatency)
    this.#startWindow(this.#now(), 0)
  }

  #startWindow(now: number, throughput: number): void {
    this.#windowStart = now
    this.#windowBytes = 0
    this.#windowLatencies = []
    this.#lastThroughput = throughput
  }

  #set(level: number, reason: string): void {
    const bounded = Math.max(1, Math.min(this.options.cap, level))
    if (bounded === this.#level) return
    this.#level = bounded
    this.#peak = Math.max(this.#peak, bounded)
    this.options.onChange?.(bounded, reason)
  }
}

/**
 * Runs `work` over `jobs` with at most `congestion.level` in flight, read again each time a job ends. After
 * the first failure no new job starts, the ones in flight finish, and then the first error is thrown.
 */
export async function runAdaptive<T>(
  jobs: Iterable<T>,
  congestion: Congestion,
  work: (job: T) => Promise<void>
): Promise<void> {
  const queue = jobs[Symbol.iterator]()
  let failure: { error: unknown } | undefined
  let inFlight = 0
  await new Promise<void>(resolve => {
    let exhausted = false
    const fill = (): void => {
      while (!failure && !exhausted && inFlight < congestion.level) {
        const next = queue.next()
        if (next.done) {
          exhausted = true
          break
        }
        inFlight++
        work(next.value)
          .catch(error => {
            failure ??= { error }
          })
          .finally(() => {
            inFlight--
            fill()
          })
      }
      if (inFlight === 0 && (exhausted || failure)) resolve()
    }
    fill()
  })
  if (failure) throw failure.error
}
