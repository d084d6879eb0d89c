// `npm run bench [-- --latency-ms 200 --size 256MiB --rounds 3 --sweep 1,2,4,8,16,32 --profile --quick]`
// `npm run bench -- --cold-start` measures only the cold start of dist/index.js (no snapshot, no transfer).
// The action's built dist/ against icp-cli 1.5.0 on the same replica in the same run, A/B alternating, and
// both against the raw wire rate of the same calls; the results go to bench/RESULTS.md and a chart.
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, platform, release, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { HttpAgent } from '@icp-sdk/core/agent'
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1'
import { ICP_BIN, IcpCli } from '../__tests__/harness/icp-cli.js'
import { dfxSecp256k1Sec1 } from '../__tests__/harness/pem.js'
import { Job, NODE24 } from '../__tests__/harness/runner.js'
import { DEFAULT_CONCURRENCY } from '../src/transfer/defaults.js'
import { deleteSnapshot, snapshotOfSize } from './big-canister.js'
import { blsCost } from './bls.js'
import { throughputChart } from './chart.js'
import { actionDownload, actionUpload, coldStart, icpDownload, icpUpload, type Setup } from './measure.js'
import { hottestFunctions, type HotFunction } from './profile.js'
import { startReplicaProcess } from '../__tests__/harness/replica/process.js'
import { wireDownload, wireUpload } from './wire-limit.js'

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'latency-ms': { type: 'string' },
    size: { type: 'string' },
    rounds: { type: 'string' },
    sweep: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'cold-start': { type: 'boolean', default: false },
    out: { type: 'string' }
  }
})

const quick = flags.quick ?? false
const latencyMs = Number(flags['latency-ms'] ?? (quick ? 50 : 200))
const sizeBytes = parseSize(flags.size ?? (quick ? '16MiB' : '256MiB'))
const rounds = Number(flags.rounds ?? (quick ? 1 : 3))
const sweep = (flags.sweep ?? (quick ? '4,16' : '1,2,4,8,16,32')).split(',').map(Number)

function parseSize(text: string): number {
  const match = /^(\d+)(MiB|GiB)$/.exec(text)
  if (!match) throw new Error(`--size expects e.g. 256MiB or 1GiB, got '${text}'`)
  return Number(match[1]) * (match[2] === 'GiB' ? 1024 ** 3 : 1024 ** 2)
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const log = (line: string) => process.stdout.write(`${line}\n`)
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`

async function main(): Promise<void> {
  const out =
    flags.out ?? (quick ? join(await mkdtemp(join(tmpdir(), 'bench-')), 'RESULTS.md') : 'bench/RESULTS.md')
  const identityPem = await dfxSecp256k1Sec1()
  const identity = Secp256k1KeyIdentity.fromPem(identityPem.pem)
  log(
    `bench: ${(sizeBytes / 1024 ** 2).toFixed(0)} MiB snapshot, ${latencyMs} ms per call, ${rounds} round(s)`
  )
  const replica = await startReplicaProcess({
    latencyMs,
    seed: { bench: 'counter' },
    controllers: [identity.getPrincipal().toText()]
  })
  const job = await Job.create()
  const icp = await IcpCli.create({ url: replica.url, rootKeyHex: replica.rootKeyHex })
  try {
    const agent = await HttpAgent.create({
      host: replica.url,
      identity,
      rootKey: replica.rootKey,
      verifyQuerySignatures: true,
      // The bench's own set-up calls: after a long transfer its pooled connection may have been closed by the
      // replica's keep-alive timeout, and a POST is not sent again by fetch itself.
      retryTimes: 3
    })
    const canister = replica.canisters.bench
    if (flags['cold-start']) {
      const setup: Setup = { replica, identity: identityPem, icp, job, canister, snapshotId: '', sizeBytes }
      const starts: number[] = []
      for (let i = 0; i < 9; i++) starts.push(await coldStart(setup))
      log(`cold start of dist/index.js: ${starts.map(ms => ms.toFixed(0)).join(', ')} ms`)
      log(`median ${median(starts).toFixed(0)} ms`)
      return
    }
    const snapshotId = await snapshotOfSize(agent, canister, sizeBytes)
    const pemFile = join(icp.root, 'secrets', 'controller.pem')
    await writeFile(pemFile, identityPem.pem, { mode: 0o600 })
    await icp.importIdentity('controller', pemFile)
    const setup: Setup = { replica, identity: identityPem, icp, job, canister, snapshotId, sizeBytes }

    const bls = await blsCost()
    log(
      `certificate signature check: agent-js ${bls.agentMs.toFixed(1)} ms, action ${bls.actionMs.toFixed(1)} ms`
    )

    const starts: number[] = []
    for (let i = 0; i < 5; i++) starts.push(await coldStart(setup))
    log(`cold start of dist/index.js: ${starts.map(ms => ms.toFixed(0)).join(', ')} ms`)

    const runs = {
      actionDown: [] as number[],
      icpDown: [] as number[],
      actionUp: [] as number[],
      icpUp: [] as number[]
    }
    const wire = { down: [] as number[], up: [] as number[] }
    const usage = { rss: [] as number[], cpuDown: [] as number[], cpuUp: [] as number[] }
    for (let round = 1; round <= rounds; round++) {
      const actionDir = join(job.workspace, `action-${round}`)
      const icpDir = join(job.workspace, `icp-${round}`)
      // A/B order alternates, so that neither side always runs on a warmer replica.
      const order = round % 2 === 1 ? ['action', 'icp'] : ['icp', 'action']
      for (const side of order) {
        if (side === 'action') {
          const down = await actionDownload(setup, actionDir)
          // The action reports the memories' bytes; icp-cli's rate is computed over the same total.
          setup.sizeBytes =
            Number(/of ([\d.]+) MB \(100 %\)/.exec(down.step.stdout)?.[1] ?? 0) * 1e6 || sizeBytes
          runs.actionDown.push(down.mbPerSecond)
          usage.rss.push(down.maxRssBytes)
          usage.cpuDown.push(down.cpuSeconds)
          log(
            `round ${round}: action download ${down.mbPerSecond.toFixed(1)} MB/s, peak RSS ${mb(down.maxRssBytes)}, CPU ${down.cpuSeconds.toFixed(1)} s`
          )
        } else {
          const down = await icpDownload(setup, icpDir)
          runs.icpDown.push(down.mbPerSecond)
          log(`round ${round}: icp-cli download ${down.mbPerSecond.toFixed(1)} MB/s`)
        }
      }
      for (const side of order) {
        if (side === 'action') {
          const up = await actionUpload(setup, actionDir)
          runs.actionUp.push(up.mbPerSecond)
          usage.rss.push(up.maxRssBytes)
          usage.cpuUp.push(up.cpuSeconds)
          await deleteSnapshot(agent, canister, up.snapshotId)
          log(
            `round ${round}: action upload ${up.mbPerSecond.toFixed(1)} MB/s, peak RSS ${mb(up.maxRssBytes)}, CPU ${up.cpuSeconds.toFixed(1)} s`
          )
        } else {
          const up = await icpUpload(setup, icpDir)
          runs.icpUp.push(up.mbPerSecond)
          await deleteSnapshot(agent, canister, up.snapshotId)
          log(`round ${round}: icp-cli upload ${up.mbPerSecond.toFixed(1)} MB/s`)
        }
      }
      wire.down.push((await wireDownload(agent, identity, replica.url, canister, snapshotId)).mbPerSecond)
      wire.up.push((await wireUpload(agent, identity, replica.url, canister, snapshotId)).mbPerSecond)
      log(
        `round ${round}: wire limit download ${wire.down.at(-1)?.toFixed(1)} MB/s, upload ${wire.up.at(-1)?.toFixed(1)} MB/s`
      )
      await rm(actionDir, { recursive: true, force: true })
      await rm(icpDir, { recursive: true, force: true })
    }

    const swept: Array<{ concurrency: number; mbPerSecond: number }> = []
    for (const concurrency of sweep) {
      const dir = join(job.workspace, `sweep-${concurrency}`)
      const down = await actionDownload(setup, dir, { concurrency })
      swept.push({ concurrency, mbPerSecond: down.mbPerSecond })
      log(`concurrency ${concurrency}: action download ${down.mbPerSecond.toFixed(1)} MB/s`)
      await rm(dir, { recursive: true, force: true })
    }

    let hot: HotFunction[] | undefined
    if (flags.profile) {
      const dir = join(job.runnerTemp, 'cpu-profile')
      await mkdir(dir, { recursive: true })
      await actionDownload(setup, join(job.workspace, 'profiled'), {
        env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` }
      })
      hot = await hottestFunctions(dir)
      log('hottest functions of a profiled action download (self time):')
      for (const f of hot)
        log(`  ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.selfMs.toFixed(0).padStart(6)} ms  ${f.name}`)
    }

    const results = {
      down: { action: median(runs.actionDown), icp: median(runs.icpDown), limit: median(wire.down) },
      up: { action: median(runs.actionUp), icp: median(runs.icpUp), limit: median(wire.up) },
      maxRss: Math.max(...usage.rss),
      cpuDown: median(usage.cpuDown),
      cpuUp: median(usage.cpuUp),
      coldStart: median(starts),
      bls
    }
    const table = resultsTable(results)
    log(`\n${table}`)
    const chartFile = join(dirname(out), 'concurrency.svg')
    await mkdir(dirname(out), { recursive: true })
    await writeFile(
      chartFile,
      throughputChart(swept, {
        defaultConcurrency: DEFAULT_CONCURRENCY,
        title: `Action download, ${(sizeBytes / 1024 ** 2).toFixed(0)} MiB at ${latencyMs} ms per call`
      })
    )
    await writeFile(out, resultsMarkdown({ table, swept, hot, raw: { runs, wire, usage, starts } }))
    log(`\nwrote ${out} and ${chartFile}`)
  } finally {
    await icp.cleanup()
    await job.cleanup()
    await replica.stop()
  }
}

interface Results {
  down: { action: number; icp: number; limit: number }
  up: { action: number; icp: number; limit: number }
  maxRss: number
  cpuDown: number
  cpuUp: number
  coldStart: number
  bls: { agentMs: number; actionMs: number }
}

function resultsTable(r: Results): string {
  const row = (name: string, x: Results['down']) =>
    `| ${name} | ${x.action.toFixed(1)} | ${x.icp.toFixed(1)} | ${x.limit.toFixed(1)} | ${(x.action / x.icp).toFixed(2)}× | ${((x.action / x.limit) * 100).toFixed(0)} % |`
  return [
    '| transfer (median MB/s) | action | icp-cli 1.5.0 | wire limit | action / icp-cli | action / limit |',
    '|---|---|---|---|---|---|',
    row('download', r.down),
    row('upload', r.up),
    '',
    '| action process | median or peak |',
    '|---|---|',
    `| peak RSS (any run) | ${mb(r.maxRss)} |`,
    `| CPU time, download | ${r.cpuDown.toFixed(1)} s |`,
    `| CPU time, upload | ${r.cpuUp.toFixed(1)} s |`,
    `| cold start (to the first log line) | ${r.coldStart.toFixed(0)} ms |`,
    `| one certificate signature check | ${r.bls.actionMs.toFixed(1)} ms (agent-js's own: ${r.bls.agentMs.toFixed(1)} ms) |`
  ].join('\n')
}

function resultsMarkdown(input: {
  table: string
  swept: Array<{ concurrency: number; mbPerSecond: number }>
  hot?: HotFunction[]
  raw: unknown
}): string {
  const icpVersion = execFileSync(ICP_BIN, ['--version']).toString().trim()
  const nodeVersion = execFileSync(NODE24, ['--version']).toString().trim()
  return [
    '# Benchmark results',
    '',
    `Written by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString()}.`,
    '',
    `- Snapshot: ${(sizeBytes / 1024 ** 2).toFixed(0)} MiB (half heap, half stable memory, incompressible), ${latencyMs} ms of injected latency per call, ${rounds} A/B round(s), alternating order.`,
    `- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ${platform()} ${release()}.`,
    `- Action: dist/index.js on Node ${nodeVersion}, default concurrency ${DEFAULT_CONCURRENCY}; icp-cli: ${icpVersion}; the replica runs in its own process.`,
    '- Action rates are the ones it logs for its transfer phase; icp-cli rates are its whole command, timed; the wire limit is the same calls pre-signed, 32 in flight, replies not verified.',
    '',
    input.table,
    '',
    '## Throughput against `concurrency` (download)',
    '',
    '![throughput against concurrency](concurrency.svg)',
    '',
    '| concurrency | MB/s |',
    '|---|---|',
    ...input.swept.map(
      p =>
        `| ${p.concurrency}${p.concurrency === DEFAULT_CONCURRENCY ? ' (default)' : ''} | ${p.mbPerSecond.toFixed(1)} |`
    ),
    '',
    ...(input.hot
      ? [
          '## Where the action spends its CPU (one profiled download, self time)',
          '',
          '| share | ms | function |',
          '|---|---|---|',
          ...input.hot.map(
            f => `| ${(f.share * 100).toFixed(1)} % | ${f.selfMs.toFixed(0)} | \`${f.name}\` |`
          ),
          ''
        ]
      : []),
    '## Raw figures',
    '',
    '```json',
    JSON.stringify(input.raw, null, 2),
    '```',
    ''
  ].join('\n')
}

main().catch(error => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
