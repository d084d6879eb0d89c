// One measured transfer each, as a user waits for it: the action's built dist/ run as the runner runs it
// (wall time from spawn to exit; its CPU time and peak RSS as the process itself reports them on exit), and
// icp-cli's command under GNU time (the same three figures). Neither side's own progress log is used.
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startGitHubBackend } from '../__tests__/harness/github/index.js'
import type { IcpCli } from '../__tests__/harness/icp-cli.js'
import type { PemFixture } from '../__tests__/harness/pem.js'
import { Job, type StepResult } from '../__tests__/harness/runner.js'
import type { ReplicaProcess } from '../__tests__/harness/replica/process.js'

const RUSAGE_PRELOAD = fileURLToPath(new URL('./rusage.mjs', import.meta.url))

export interface Setup {
  replica: ReplicaProcess
  identity: PemFixture
  icp: IcpCli
  job: Job
  canister: string
  snapshotId: string
  sizeBytes: number
}

/** What one whole process cost, as a user waits for it: wall time from spawn to exit, CPU, peak RSS. */
export interface Usage {
  wallSeconds: number
  cpuSeconds: number
  maxRssBytes: number
}

export interface ActionRun extends Usage {
  firstOutputMs: number
  step: StepResult
}

export type CliRun = Usage

const TIME = '/usr/bin/time'

/** icp-cli's figures come from GNU time around it (Debian: `apt-get install time`). */
async function underTime<T>(
  setup: Setup,
  run: (via: string[]) => Promise<T>
): Promise<{ result: T; usage: Usage }> {
  if (!existsSync(TIME)) throw new Error(`the benchmark times icp-cli with ${TIME}: apt-get install time`)
  const file = join(setup.job.runnerTemp, `time-${randomUUID()}.txt`)
  const result = await run([TIME, '-f', '%e %U %S %M', '-o', file])
  const [wall, user, system, maxRssKiB] = (await readFile(file, 'utf8'))
    .trim()
    .split(/\s+/)
    .slice(-4)
    .map(Number)
  return { result, usage: { wallSeconds: wall, cpuSeconds: user + system, maxRssBytes: maxRssKiB * 1024 } }
}

async function runAction(
  setup: Setup,
  inputs: Record<string, string>,
  env: Record<string, string> = {}
): Promise<ActionRun> {
  const rusageFile = join(setup.job.runnerTemp, `rusage-${randomUUID()}.json`)
  const started = performance.now()
  const step = await setup.job.main({
    inputs: {
      identity: setup.identity.pem,
      network: setup.replica.url,
      'root-key': setup.replica.rootKeyHex,
      canister: setup.canister,
      ...inputs
    },
    env: {
      NODE_OPTIONS: `--import ${RUSAGE_PRELOAD} ${env.NODE_OPTIONS ?? ''}`.trim(),
      BENCH_RUSAGE_FILE: rusageFile,
      ...Object.fromEntries(Object.entries(env).filter(([name]) => name !== 'NODE_OPTIONS'))
    },
    timeoutMs: 60 * 60_000
  })
  const wallSeconds = (performance.now() - started) / 1000
  if (step.code !== 0) throw new Error(`the action failed: ${step.errors.join(' | ') || step.stderr}`)
  const usage = JSON.parse(await readFile(rusageFile, 'utf8')) as { maxRssBytes: number; cpuSeconds: number }
  return { ...usage, wallSeconds, firstOutputMs: step.firstOutputMs ?? NaN, step }
}

/** download-artifact into `dir`; the artifact goes to a fresh local GitHub backend, stopped afterwards. */
export async function actionDownload(
  setup: Setup,
  dir: string,
  options: { concurrency?: number; env?: Record<string, string> } = {}
): Promise<ActionRun> {
  await rm(dir, { recursive: true, force: true })
  const github = await startGitHubBackend()
  try {
    return await runAction(
      setup,
      {
        mode: 'download-artifact',
        'snapshot-id': setup.snapshotId,
        path: dir,
        ...(options.concurrency ? { concurrency: String(options.concurrency) } : {})
      },
      { ...github.envFor({ runId: 1 }), ...options.env }
    )
  } finally {
    await github.stop()
  }
}

/** upload-artifact from a local directory: a new snapshot of the canister, returned for deletion. */
export async function actionUpload(
  setup: Setup,
  dir: string,
  options: { concurrency?: number; env?: Record<string, string> } = {}
): Promise<ActionRun & { snapshotId: string }> {
  const run = await runAction(
    setup,
    {
      mode: 'upload-artifact',
      path: dir,
      ...(options.concurrency ? { concurrency: String(options.concurrency) } : {})
    },
    options.env
  )
  return { ...run, snapshotId: run.step.outputs['snapshot-id'] }
}

export async function icpDownload(setup: Setup, dir: string): Promise<CliRun> {
  await rm(dir, { recursive: true, force: true })
  const { usage } = await underTime(setup, via =>
    setup.icp.snapshotDownload(setup.canister, setup.snapshotId, dir, { timeoutMs: 60 * 60_000, via })
  )
  return usage
}

export async function icpUpload(setup: Setup, dir: string): Promise<CliRun & { snapshotId: string }> {
  const { result, usage } = await underTime(setup, via =>
    setup.icp.snapshotUpload(setup.canister, dir, { timeoutMs: 60 * 60_000, via })
  )
  return { ...usage, snapshotId: result }
}

/** The bytes a transfer moves: the snapshot directory's files. */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size
  return total
}

/** Time from the start of dist/index.js to its first log line, for a `list` step. */
export async function coldStart(setup: Setup): Promise<number> {
  return (await runAction(setup, { mode: 'list' })).firstOutputMs
}
