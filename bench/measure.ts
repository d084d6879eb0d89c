// One measured transfer each: the action's built dist/ run as the runner runs it (its rate as it reports
// it, its peak RSS and CPU time as the process itself reports them), and icp-cli's command timed whole.
import { randomUUID } from 'node:crypto'
import { readFile, rm } from 'node:fs/promises'
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

export interface ActionRun {
  mbPerSecond: number
  maxRssBytes: number
  cpuSeconds: number
  wallSeconds: number
  firstOutputMs: number
  step: StepResult
}

export interface CliRun {
  mbPerSecond: number
  wallSeconds: number
}

const RATE = /(?:Downloaded|Uploaded) ([\d.]+) MB of \1 MB \(100 %\), ([\d.]+) MB\/s/

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
  const rate = [...step.stdout.matchAll(new RegExp(RATE, 'g'))].at(-1)
  if (!rate && inputs.mode !== 'list') throw new Error('the action did not log its transfer rate')
  const usage = JSON.parse(await readFile(rusageFile, 'utf8')) as { maxRssBytes: number; cpuSeconds: number }
  return {
    mbPerSecond: Number(rate?.[2] ?? NaN),
    ...usage,
    wallSeconds,
    firstOutputMs: step.firstOutputMs ?? NaN,
    step
  }
}

/** download-artifact into `dir`; the artifact goes to a fresh local GitHub backend, stopped afterwards. */
export async function actionDownload(
  setup: Setup,
  dir: string,
  options: { concurrency?: number; env?: Record<string, string> } = {}
): Promise<ActionRun> {
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
export async function actionUpload(setup: Setup, dir: string): Promise<ActionRun & { snapshotId: string }> {
  const run = await runAction(setup, { mode: 'upload-artifact', path: dir })
  return { ...run, snapshotId: run.step.outputs['snapshot-id'] }
}

export async function icpDownload(setup: Setup, dir: string): Promise<CliRun> {
  await rm(dir, { recursive: true, force: true })
  const started = performance.now()
  await setup.icp.snapshotDownload(setup.canister, setup.snapshotId, dir, { timeoutMs: 60 * 60_000 })
  const wallSeconds = (performance.now() - started) / 1000
  return { wallSeconds, mbPerSecond: setup.sizeBytes / 1e6 / wallSeconds }
}

export async function icpUpload(setup: Setup, dir: string): Promise<CliRun & { snapshotId: string }> {
  const started = performance.now()
  const snapshotId = await setup.icp.snapshotUpload(setup.canister, dir, { timeoutMs: 60 * 60_000 })
  const wallSeconds = (performance.now() - started) / 1000
  return { wallSeconds, mbPerSecond: setup.sizeBytes / 1e6 / wallSeconds, snapshotId }
}

/** Time from the start of dist/index.js to its first log line, for a `list` step. */
export async function coldStart(setup: Setup): Promise<number> {
  return (await runAction(setup, { mode: 'list' })).firstOutputMs
}
