// Runs toolkit code in this process as if inside a step: both libraries read process.env at call time.

/** Runs `work` with these variables set in process.env, then puts back what was there. */
export async function inStep<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map(name => [name, process.env[name]]))
  Object.assign(process.env, env)
  try {
    return await work()
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

/**
 * Collects what @actions/core writes to stdout (its `::debug::`, `::warning::` and `::add-mask::` commands)
 * instead of printing it, so a test can read the step's log and the test output stays quiet.
 */
export function captureStepLog(): { lines: () => string[]; release: () => void } {
  const written: string[] = []
  const original = process.stdout.write
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    const callback = rest.find(arg => typeof arg === 'function') as (() => void) | undefined
    callback?.()
    return true
  }) as typeof process.stdout.write
  return {
    lines: () => written.join('').split(/\r?\n/),
    release: () => {
      process.stdout.write = original
    }
  }
}
