// The adaptive number of slices in flight (src/transfer/congestion.ts): on a simulated link it climbs while
// more in flight is faster, holds under the cap, halves on push-back and on queueing; through the replica a
// real download climbs at high latency and backs off under injected 429s and 503s, never above its cap.
import { Congestion, START_CONCURRENCY, runAdaptive } from '../../src/transfer/congestion.js'
import { downloadSnapshot } from '../../src/transfer/download.js'
import { seedCounter, startFixture, type InFlight, type TransferFixture } from './snapshot-fixture.js'

const SLICE = 2_000_000

/**
 * Drives `congestion` over a link where each call takes `latencyMs` while fewer than `knee` are in flight,
 * and beyond it calls queue: throughput stays at the knee's and latency grows with the level.
 */
function simulate(
  congestion: Congestion,
  windows: number,
  link: { latencyMs: number; knee: number }
): number[] {
  let now = 0
  const levels: number[] = []
  for (let w = 0; w < windows; w++) {
    const level = congestion.level
    const latency = link.latencyMs * Math.max(1, level / link.knee)
    for (let i = 0; i < level; i++) {
      now += latency / level
      clock.now = now
      congestion.completed(SLICE, latency)
    }
    levels.push(congestion.level)
  }
  return levels
}
const clock = { now: 0 }
const controller = (cap: number) => new Congestion({ cap, now: () => clock.now })

it('climbs from 4 to the cap while more in flight is faster, and never above it', () => {
  clock.now = 0
  const levels = simulate(controller(16), 30, { latencyMs: 2000, knee: 1000 })
  expect(levels[0]).toBe(4)
  expect(Math.max(...levels)).toBe(16)
  expect(levels.at(-1)).toBe(16)
})

it('settles near the knee where more in flight only queues, halving when latency rises', () => {
  clock.now = 0
  const levels = simulate(controller(64), 60, { latencyMs: 200, knee: 8 })
  expect(Math.max(...levels)).toBeLessThanOrEqual(16)
  expect(levels.slice(-20).every(level => level >= 4 && level <= 16)).toBe(true)
})

it('halves on push-back, down to one, and not again for calls sent before it', () => {
  clock.now = 0
  const congestion = controller(16)
  simulate(congestion, 30, { latencyMs: 1000, knee: 1000 })
  expect(congestion.level).toBe(16)
  congestion.pushedBack('HTTP 429')
  expect(congestion.level).toBe(8)
  congestion.pushedBack('HTTP 503, from a call sent before the halving')
  expect(congestion.level).toBe(8)
  for (let i = 0; i < 5; i++) {
    clock.now += 10_000
    congestion.pushedBack('HTTP 503')
  }
  expect(congestion.level).toBe(1)
})

it('runAdaptive keeps at most the current level in flight, and stops starting jobs after a failure', async () => {
  clock.now = 0
  const congestion = controller(3)
  let running = 0
  let most = 0
  const started: number[] = []
  const failure = runAdaptive(
    Array.from({ length: 40 }, (_, i) => i),
    congestion,
    async i => {
      started.push(i)
      running++
      most = Math.max(most, running)
      await new Promise(resolve => setTimeout(resolve, 5))
      running--
      if (i === 6) throw new Error('job 6 failed')
    }
  )
  await expect(failure).rejects.toThrow('job 6 failed')
  expect(most).toBeLessThanOrEqual(3)
  expect(running).toBe(0)
  expect(started.length).toBeLessThan(15)
})

describe('a real download through the replica', () => {
  let fixture: TransferFixture & { inFlight: InFlight }
  let snapshotId: string
  let canister: Awaited<ReturnType<typeof seedCounter>>

  beforeAll(async () => {
    fixture = await startFixture()
    // 40 MiB of memories: 21 slices.
    canister = await seedCounter(fixture, 5n, { heapPages: 318, stablePages: 320 })
    snapshotId = (await fixture.management.takeSnapshot(canister)).id
  }, 120_000)
  afterAll(async () => {
    fixture.replica.controls.latencyMs = 0
    await fixture?.cleanup()
  })

  const download = (name: string, concurrency: number) =>
    downloadSnapshot({
      connection: fixture.connection,
      canisterId: canister,
      snapshotId,
      dir: fixture.dir(name),
      concurrency,
      onProgress: () => undefined
    })

  it('climbs above its start when every call takes a second, and stays under its cap', async () => {
    fixture.replica.controls.latencyMs = 1000
    fixture.inFlight.reset()
    const { inFlight } = await download('slow', 8)
    if (!inFlight) throw new Error('the download reported no concurrency')
    // Above the start, not an exact level: whether the first window reads as a rise (and slow start doubles to
    // 8) or as flat (and the level probes up by one) depends on how long the process took to set up.
    expect(inFlight.peak).toBeGreaterThan(START_CONCURRENCY)
    expect(inFlight.last).toBeGreaterThan(START_CONCURRENCY)
    expect(inFlight.peak).toBeLessThanOrEqual(8)
    expect(fixture.inFlight.max).toBeLessThanOrEqual(8)
  }, 120_000)

  it('backs off under injected 429s and 503s, and still completes', async () => {
    fixture.replica.controls.latencyMs = 200
    fixture.replica.controls.failNext(2, '429', ['call'], 'read_canister_snapshot_data', 2)
    fixture.replica.controls.failNext(2, '5xx', ['call'], 'read_canister_snapshot_data', 10)
    const { inFlight, bytes } = await download('pushed-back', 16)
    expect(bytes).toBeGreaterThan(40_000_000)
    expect(inFlight?.last).toBeLessThan(4)
    expect(fixture.replica.controls.faultsFired()).toBe(true)
  }, 120_000)
})
