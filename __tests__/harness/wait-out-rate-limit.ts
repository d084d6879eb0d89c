/**
 * A harness's own snapshot call that waits out the IC's heap-delta limit (IC0210), as a user would. A fault
 * case takes ten 10 MiB snapshots and then runs the action's take, which leaves the canister over the 75 MiB
 * of a round for a second or two; the harness's check that follows would fail on the limit, not on the
 * action. What the action does under the limit is tested by its own cases, with the limit lowered.
 * Bounded: 40 tries 250 ms apart pay off more than 750 MiB at mainnet's limit.
 */
export async function outOfRateLimit<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call()
    } catch (error) {
      if (attempt >= 40 || !/IC0210|heap delta rate limited/i.test(String(error))) throw error
      await new Promise(resolve => setTimeout(resolve, 250))
    }
  }
}
