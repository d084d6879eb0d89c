// Preloaded into the measured action process (NODE_OPTIONS=--import): on exit it writes its own resource
// usage, peak RSS and CPU time, where the benchmark can read it.
import { writeFileSync } from 'node:fs'

const file = process.env.BENCH_RUSAGE_FILE
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage()
    writeFileSync(
      file,
      JSON.stringify({
        maxRssBytes: usage.maxRSS * 1024,
        cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6
      })
    )
  })
}
