// The performance issue's targets, each against what the run measured: speed at least icp-cli's, CPU per
// GiB at most twice icp-cli's, peak RSS at most 200 MB at every size, and a cold start of at most 300 ms.
export interface Measured {
  latencyMs: number
  sizeBytes: number
  direction: 'download' | 'upload'
  arm: string
  mbPerSecond: number
  cpuSecondsPerGiB: number
  peakRssBytes: number
  rounds: number
}

const MiB = 1024 ** 2
const RSS_LIMIT = 200e6
const COLD_START_LIMIT_MS = 300
const sizeLabel = (bytes: number) =>
  bytes >= 1024 * MiB ? `${bytes / (1024 * MiB)} GiB` : `${bytes / MiB} MiB`
const yes = (met: boolean) => (met ? 'yes' : '**no**')

export function targetRows(measured: Measured[], coldStartMs: number): string[] {
  const rows: string[] = []
  const pairs = measured.filter(m => m.arm === 'action')
  for (const action of pairs) {
    const icp = measured.find(
      m =>
        m.arm === 'icp-cli' &&
        m.latencyMs === action.latencyMs &&
        m.sizeBytes === action.sizeBytes &&
        m.direction === action.direction
    )
    const where = `${action.direction}, ${sizeLabel(action.sizeBytes)} at ${action.latencyMs} ms`
    if (icp) {
      const speed = action.mbPerSecond / icp.mbPerSecond
      rows.push(
        `| speed ≥ 1.0× icp-cli (${where}) | ${speed.toFixed(2)}× (${action.mbPerSecond.toFixed(1)} against ${icp.mbPerSecond.toFixed(1)} MB/s) | ${yes(speed >= 1)} |`
      )
      const cpu = action.cpuSecondsPerGiB / icp.cpuSecondsPerGiB
      rows.push(
        `| CPU per GiB ≤ 2× icp-cli (${where}) | ${cpu.toFixed(1)}× (${action.cpuSecondsPerGiB.toFixed(1)} against ${icp.cpuSecondsPerGiB.toFixed(1)} s) | ${yes(cpu <= 2)} |`
      )
    }
    rows.push(
      `| peak RSS ≤ 200 MB (${where}) | ${(action.peakRssBytes / 1e6).toFixed(0)} MB${icp ? ` (icp-cli ${(icp.peakRssBytes / 1e6).toFixed(0)} MB)` : ''} | ${yes(action.peakRssBytes <= RSS_LIMIT)} |`
    )
  }
  rows.push(
    `| cold start ≤ 300 ms (first log line of a \`list\` step) | ${coldStartMs.toFixed(0)} ms | ${yes(coldStartMs <= COLD_START_LIMIT_MS)} |`
  )
  return rows
}
