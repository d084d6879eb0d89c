// Preloaded into the measured action process (NODE_OPTIONS=--import): on exit it writes its own resource
// usage, peak RSS and CPU time, where the benchmark can read it. Peak RSS is VmHWM, the high-water mark of
// this process's own memory: getrusage's maxrss survives exec on Linux, so it would report the benchmark's
// own size at the moment it spawned the action.
import { readFileSync, writeFileSync } from 'node:fs'

const file = process.env.BENCH_RUSAGE_FILE
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage()
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
    writeFileSync(
      file,
      JSON.stringify({
        maxRssBytes: (hwm ? Number(hwm[1]) : usage.maxRSS) * 1024,
        cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6
      })
    )
  })
}
