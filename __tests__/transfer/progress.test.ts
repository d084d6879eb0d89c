// The pieces a transfer keeps its books with: which slices are done, how many run at once, when progress is
// saved and when it is logged.
import { progressLogger, type TransferProgress } from '../../src/transfer/progress-log.js'
import { ProgressSaver } from '../../src/transfer/progress-saver.js'
import { SliceProgress, slicesOf } from '../../src/transfer/slices.js'

describe('slices', () => {
  it('cut a memory at the same 2,000,000-byte boundaries icp-cli uses', () => {
    expect([...slicesOf('stable_memory', 4_500_000)]).toEqual([
      { kind: 'stable_memory', offset: 0, size: 2_000_000 },
      { kind: 'stable_memory', offset: 2_000_000, size: 2_000_000 },
      { kind: 'stable_memory', offset: 4_000_000, size: 500_000 }
    ])
    expect([...slicesOf('wasm_memory', 0)]).toEqual([])
  })

  it('advance the frontier over slices that finished out of order', () => {
    const progress = new SliceProgress(4_500_000)
    progress.complete(4_000_000)
    expect(progress).toMatchObject({ frontier: 0, doneBytes: 500_000, isComplete: false })
    expect(progress.needs(4_000_000)).toBe(false)
    progress.complete(0)
    progress.complete(2_000_000)
    expect(progress).toMatchObject({ frontier: 4_500_000, doneBytes: 4_500_000, isComplete: true })
    expect(progress.ahead.size).toBe(0)
  })
})

it('ProgressSaver coalesces requests into few saves, and flush saves the latest state at once', async () => {
  const saved: number[] = []
  let state = 0
  const saver = new ProgressSaver(async () => {
    saved.push(state)
  }, 10_000)
  for (state = 1; state <= 50; state++) saver.request()
  state = 50
  await saver.flush()
  expect(saved[0]).toBe(1)
  expect(saved.at(-1)).toBe(50)
  expect(saved.length).toBeLessThanOrEqual(3)
})

it('the default log writes a line at each 10 %, every 5 s in between, and at the end', () => {
  const lines: string[] = []
  const log = progressLogger(line => lines.push(line))
  const at = (doneBytes: number, elapsedSeconds: number): TransferProgress => ({
    direction: 'download',
    doneBytes,
    totalBytes: 100_000_000,
    transferredBytes: doneBytes,
    elapsedSeconds
  })
  log(at(2_000_000, 0.5))
  log(at(4_000_000, 1))
  log(at(10_000_000, 2))
  log(at(12_000_000, 3))
  log(at(14_000_000, 8.5))
  log(at(16_000_000, 9))
  log(at(100_000_000, 20))
  expect(lines).toEqual([
    'Downloaded 10.0 MB of 100.0 MB (10 %), 5.0 MB/s',
    'Downloaded 14.0 MB of 100.0 MB (14 %), 1.6 MB/s',
    'Downloaded 100.0 MB of 100.0 MB (100 %), 5.0 MB/s'
  ])
})
