// A fixed number of workers draining one queue: at most `concurrency` jobs run at once, whatever their count.

/**
 * Runs `work` over `jobs` with at most `concurrency` in flight. After the first failure no new job starts, the
 * ones in flight finish (so their results can still be recorded), and then the first error is thrown.
 */
export async function runBounded<T>(
  jobs: Iterable<T>,
  concurrency: number,
  work: (job: T) => Promise<void>
): Promise<void> {
  const queue = jobs[Symbol.iterator]()
  let failure: { error: unknown } | undefined
  const worker = async (): Promise<void> => {
    while (!failure) {
      const next = queue.next()
      if (next.done) return
      try {
        await work(next.value)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.floor(concurrency)) }, worker))
  if (failure) throw failure.error
}
