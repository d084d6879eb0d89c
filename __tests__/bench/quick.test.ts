// `npm run bench -- --quick` as a smoke check: the whole benchmark runs (replica process, dist/, icp-cli under
// GNU time, the fixed-concurrency arm, wire limit, concurrency sweep) and writes its results and chart. Speeds are not asserted here: they come
// from the full benchmark, run alone, never from a test sharing the machine with other suites.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

function runBench(out: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['node_modules/.bin/tsx', 'bench/run.ts', '--quick', '--out', out],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }
    )
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000)
    child.on('error', reject)
    child.on('close', code => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

it('runs the quick benchmark to the end and writes its results and chart', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-smoke-'))
  try {
    const { code, output } = await runBench(join(dir, 'RESULTS.md'))
    if (code !== 0) throw new Error(`npm run bench -- --quick exited with ${code}:\n${output}`)
    const results = await readFile(join(dir, 'RESULTS.md'), 'utf8')
    // Every arm, both ways, whole-process figures side by side, and every target with its value.
    for (const direction of ['download', 'upload'])
      for (const arm of ['action', 'icp-cli', 'action, concurrency 3'])
        expect(results).toMatch(
          new RegExp(
            `\\| ${direction} \\| ${arm} \\| [\\d.]+ \\| (?:[\\d.]+×)? \\| [\\d.]+ \\| (?:[\\d.]+×)? \\| \\d+ MB \\|`
          )
        )
    expect(results).toMatch(
      /\| speed ≥ 1\.0× icp-cli \(download, 16 MiB at 50 ms\) \| [\d.]+× .* \| (yes|\*\*no\*\*) \|/
    )
    expect(results).toMatch(
      /\| CPU per GiB ≤ 2× icp-cli \(upload, 16 MiB at 50 ms\) \| [\d.]+× .* \| (yes|\*\*no\*\*) \|/
    )
    expect(results).toMatch(
      /\| peak RSS ≤ 200 MB \(upload, 16 MiB at 50 ms\) \| \d+ MB \(icp-cli \d+ MB\) \|/
    )
    expect(results).toMatch(/\| cold start ≤ 300 ms .* \| \d+ ms \|/)
    const chart = await readFile(join(dir, 'concurrency.svg'), 'utf8')
    expect(chart).toMatch(/^<svg [\s\S]*<path d="M[\d.]+,[\d.]+ L[\d.]+,[\d.]+"[\s\S]*default \(16\)/)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}, 180_000)
