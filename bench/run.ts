// `npm run bench [-- --latency-ms 200 --size 256MiB,1GiB --rounds 3 --sweep 1,2,4,8,16,32 --profile --quick]`
// `npm run bench -- --cold-start` measures only the cold start of dist/index.js (no snapshot, no transfer).
// The action's built dist/ against icp-cli 1.5.0 on the same replica in the same run, A/B alternating, each
// side a whole process timed as a user waits for it (wall time, CPU, peak RSS), and both against the raw wire
// rate of the same calls. A full run has two scenarios: 200 ms per call at 256 MiB and 1 GiB, and 2 s per
// call (an update's finalisation time on mainnet) where the action also runs at dfx's fixed concurrency of 3.
// The results go to bench/RESULTS.md and a chart.
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
import { startReplicaProcess } from '../__tests__/harness/replica/process.js'
import { DEFAULT_CONCURRENCY } from '../src/transfer/defaults.js'
import { deleteSnapshot, snapshotOfSize } from './big-canister.js'
import { blsCost } from './bls.js'
import { throughputChart } from './chart.js'
import {
  actionDownload,
  actionUpload,
  coldStart,
  directoryBytes,
  icpDownload,
  icpUpload,
  type Setup,
  type Usage
} from './measure.js'
import { hottestFunctions, type HotFunction } from './profile.js'
import { targetRows, type Measured } from './targets.js'
import { wireDownload, wireUpload } from './wire-limit.js'

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'latency-ms': { type: 'string' },
    size: { type: 'string' },
    rounds: { type: 'string' },
    sweep: { type: 'string' },
    fixed: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'cold-start': { type: 'boolean', default: false },
    out: { type: 'string' }
  }
})

/** One side of an A/B: a tool, and for the action a fixed concurrency (none: its default). */
interface Arm {
  name: string
  tool: 'action' | 'icp'
  concurrency?: number
}

interface Scenario {
  latencyMs: number
  sizes: number[]
  arms: Arm[]
}

const MiB = 1024 ** 2
const GiB = 1024 ** 3
const quick = flags.quick ?? false
const rounds = Number(flags.rounds ?? (quick ? 1 : 3))
const sweep = (flags.sweep ?? (quick ? '4,16' : '1,2,4,8,16,32')).split(',').map(Number)
// dfx uploads and downloads 3 slices at a time.
const fixed = Number(flags.fixed ?? 3)
const ACTION: Arm = { name: 'action', tool: 'action' }
const ICP: Arm = { name: 'icp-cli', tool: 'icp' }
const FIXED: Arm = { name: `action, concurrency ${fixed}`, tool: 'action', concurrency: fixed }

function parseSize(text: string): number {
  const match = /^(\d+)(MiB|GiB)$/.exec(text)
  if (!match) throw new Error(`--size expects e.g. 256MiB or 1GiB, got '${text}'`)
  return Number(match[1]) * (match[2] === 'GiB' ? GiB : MiB)
}

function scenarios(): Scenario[] {
  const custom = flags['latency-ms'] !== undefined || flags.size !== undefined
  if (quick || custom) {
    return [
      {
        latencyMs: Number(flags['latency-ms'] ?? (quick ? 50 : 200)),
        sizes: (flags.size ?? (quick ? '16MiB' : '256MiB')).split(',').map(parseSize),
        arms: [ACTION, ICP, FIXED]
      }
    ]
  }
  return [
    { latencyMs: 200, sizes: [256 * MiB, GiB], arms: [ACTION, ICP] },
    { latencyMs: 2000, sizes: [64 * MiB], arms: [ACTION, ICP, FIXED] }
  ]
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const log = (line: string) => process.stdout.write(`${line}\n`)
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`
const sizeLabel = (bytes: number) => (bytes >= GiB ? `${bytes / GiB} GiB` : `${bytes / MiB} MiB`)

type Direction = 'download' | 'upload'

/** One arm's transfers of one size in one scenario, every round. */
interface Series {
  latencyMs: number
  sizeBytes: number
  bytes: number
  arm: string
  direction: Direction
  runs: Usage[]
}

async function main(): Promise<void> {
  const out =
    flags.out ?? (quick ? join(await mkdtemp(join(tmpdir(), 'bench-')), 'RESULTS.md') : 'bench/RESULTS.md')
  const identityPem = await dfxSecp256k1Sec1()
  const identity = Secp256k1KeyIdentity.fromPem(identityPem.pem)
  const series: Series[] = []
  const swept: Array<{ concurrency: number; mbPerSecond: number }> = []
  const wire = { down: [] as number[], up: [] as number[], latencyMs: 0, sizeBytes: 0 }
  const starts: number[] = []
  let hot: HotFunction[] | undefined
  let bls: { agentMs: number; actionMs: number } | undefined

  for (const [index, scenario] of scenarios().entries()) {
    const first = index === 0
    log(`bench: ${scenario.latencyMs} ms per call, ${scenario.sizes.map(sizeLabel).join(' and ')}`)
    const names = scenario.sizes.map((_, i) => `bench${i}`)
    const replica = await startReplicaProcess({
      latencyMs: scenario.latencyMs,
      seed: Object.fromEntries(names.map(name => [name, 'counter' as const])),
      // The replica charges ingress as mainnet does (about 2T cycles per GiB uploaded), and a full run uploads
      // each snapshot six times or more: a funded canister's 10T does not last it.
      cycles: Object.fromEntries(names.map(name => [name, 1_000_000_000_000_000n])),
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
        // The bench's own set-up calls: after a long transfer its pooled connection may have been closed by
        // the replica's keep-alive timeout, and a POST is not sent again by fetch itself.
        retryTimes: 3
      })
      const pemFile = join(icp.root, 'secrets', 'controller.pem')
      await writeFile(pemFile, identityPem.pem, { mode: 0o600 })
      await icp.importIdentity('controller', pemFile)
      const base = { replica, identity: identityPem, icp, job }

      if (first) {
        const setup: Setup = { ...base, canister: replica.canisters[names[0]], snapshotId: '', sizeBytes: 0 }
        for (let i = 0; i < (flags['cold-start'] ? 10 : quick ? 3 : 10); i++)
          starts.push(await coldStart(setup))
        log(`cold start of dist/index.js (list): ${starts.map(ms => ms.toFixed(0)).join(', ')} ms`)
        log(`median ${median(starts).toFixed(0)} ms`)
        if (flags['cold-start']) return
        bls = await blsCost()
        log(
          `certificate signature check: agent-js ${bls.agentMs.toFixed(1)} ms, action ${bls.actionMs.toFixed(1)} ms`
        )
      }

      for (const [i, sizeBytes] of scenario.sizes.entries()) {
        const canister = replica.canisters[names[i]]
        const snapshotId = await snapshotOfSize(agent, canister, sizeBytes)
        const setup: Setup = { ...base, canister, snapshotId, sizeBytes }
        const mine = (arm: Arm, direction: Direction): Series => {
          let found = series.find(
            s =>
              s.latencyMs === scenario.latencyMs &&
              s.sizeBytes === sizeBytes &&
              s.arm === arm.name &&
              s.direction === direction
          )
          if (!found) {
            found = { latencyMs: scenario.latencyMs, sizeBytes, bytes: 0, arm: arm.name, direction, runs: [] }
            series.push(found)
          }
          return found
        }
        for (let round = 1; round <= rounds; round++) {
          // The order rotates, so that no side always runs on a warmer replica.
          const shift = (round - 1) % scenario.arms.length
          const order = [...scenario.arms.slice(shift), ...scenario.arms.slice(0, shift)]
          for (const arm of order) {
            const dir = join(job.workspace, `${arm.tool}-${arm.concurrency ?? 'default'}-${round}`)
            const down =
              arm.tool === 'action'
                ? await actionDownload(setup, dir, { concurrency: arm.concurrency })
                : await icpDownload(setup, dir)
            const bytes = await directoryBytes(dir)
            const up =
              arm.tool === 'action'
                ? await actionUpload(setup, dir, { concurrency: arm.concurrency })
                : await icpUpload(setup, dir)
            await deleteSnapshot(agent, canister, up.snapshotId)
            await rm(dir, { recursive: true, force: true })
            for (const [direction, usage] of [
              ['download', down],
              ['upload', up]
            ] as const) {
              const s = mine(arm, direction)
              s.bytes = bytes
              s.runs.push({
                wallSeconds: usage.wallSeconds,
                cpuSeconds: usage.cpuSeconds,
                maxRssBytes: usage.maxRssBytes
              })
              log(
                `${scenario.latencyMs} ms, ${sizeLabel(sizeBytes)}, round ${round}: ${arm.name} ${direction} ` +
                  `${(bytes / 1e6 / usage.wallSeconds).toFixed(1)} MB/s, CPU ${usage.cpuSeconds.toFixed(1)} s, ` +
                  `peak RSS ${mb(usage.maxRssBytes)}`
              )
            }
          }
        }

        if (first && i === 0) {
          wire.latencyMs = scenario.latencyMs
          wire.sizeBytes = sizeBytes
          for (let round = 1; round <= rounds; round++) {
            wire.down.push(
              (await wireDownload(agent, identity, replica.url, canister, snapshotId)).mbPerSecond
            )
            wire.up.push((await wireUpload(agent, identity, replica.url, canister, snapshotId)).mbPerSecond)
          }
          log(
            `wire limit: download ${median(wire.down).toFixed(1)} MB/s, upload ${median(wire.up).toFixed(1)} MB/s`
          )
          for (const concurrency of sweep) {
            const dir = join(job.workspace, `sweep-${concurrency}`)
            const down = await actionDownload(setup, dir, { concurrency })
            const mbPerSecond = (await directoryBytes(dir)) / 1e6 / down.wallSeconds
            swept.push({ concurrency, mbPerSecond })
            log(`concurrency ${concurrency}: action download ${mbPerSecond.toFixed(1)} MB/s`)
            await rm(dir, { recursive: true, force: true })
          }
          if (flags.profile) {
            const profiles = join(job.runnerTemp, 'cpu-profile')
            await mkdir(profiles, { recursive: true })
            await actionDownload(setup, join(job.workspace, 'profiled'), {
              env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profiles}` }
            })
            hot = await hottestFunctions(profiles)
          }
        }
        await deleteSnapshot(agent, canister, snapshotId)
      }
    } finally {
      await icp.cleanup()
      await job.cleanup()
      await replica.stop()
    }
  }

  const measured = summarise(series)
  const markdown = resultsMarkdown({
    measured,
    swept,
    wire,
    starts,
    bls,
    hot,
    raw: { series, swept, wire, starts }
  })
  log(`\n${markdown.split('## Raw figures')[0]}`)
  await mkdir(dirname(out), { recursive: true })
  const chartFile = join(dirname(out), 'concurrency.svg')
  if (swept.length > 0)
    await writeFile(
      chartFile,
      throughputChart(swept, {
        defaultConcurrency: DEFAULT_CONCURRENCY,
        title: `Action download, ${sizeLabel(wire.sizeBytes)} at ${wire.latencyMs} ms per call`
      })
    )
  await writeFile(out, markdown)
  log(`wrote ${out} and ${chartFile}`)
}

/** Medians over the rounds (the peak for RSS), per scenario, size, direction and arm. */
function summarise(series: Series[]): Measured[] {
  return series.map(s => ({
    latencyMs: s.latencyMs,
    sizeBytes: s.sizeBytes,
    direction: s.direction,
    arm: s.arm,
    mbPerSecond: median(s.runs.map(r => s.bytes / 1e6 / r.wallSeconds)),
    cpuSecondsPerGiB: median(s.runs.map(r => r.cpuSeconds / (s.bytes / GiB))),
    peakRssBytes: Math.max(...s.runs.map(r => r.maxRssBytes)),
    rounds: s.runs.length
  }))
}

function comparisonTable(measured: Measured[], latencyMs: number, sizeBytes: number): string[] {
  const rows = measured.filter(m => m.latencyMs === latencyMs && m.sizeBytes === sizeBytes)
  const icpOf = (direction: Direction) => rows.find(m => m.arm === ICP.name && m.direction === direction)
  const lines = [
    `### ${latencyMs} ms per call, ${sizeLabel(sizeBytes)}`,
    '',
    '| transfer | tool | MB/s | × icp-cli | CPU s per GiB | × icp-cli | peak RSS |',
    '|---|---|---|---|---|---|---|'
  ]
  for (const m of rows) {
    const icp = icpOf(m.direction)
    const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}×` : '')
    lines.push(
      `| ${m.direction} | ${m.arm} | ${m.mbPerSecond.toFixed(1)} | ${m.arm === ICP.name ? '' : ratio(m.mbPerSecond, icp?.mbPerSecond)} | ${m.cpuSecondsPerGiB.toFixed(1)} | ${m.arm === ICP.name ? '' : ratio(m.cpuSecondsPerGiB, icp?.cpuSecondsPerGiB)} | ${mb(m.peakRssBytes)} |`
    )
  }
  return [...lines, '']
}

function resultsMarkdown(input: {
  measured: Measured[]
  swept: Array<{ concurrency: number; mbPerSecond: number }>
  wire: { down: number[]; up: number[]; latencyMs: number; sizeBytes: number }
  starts: number[]
  bls?: { agentMs: number; actionMs: number }
  hot?: HotFunction[]
  raw: unknown
}): string {
  const icpVersion = execFileSync(ICP_BIN, ['--version']).toString().trim()
  const nodeVersion = execFileSync(NODE24, ['--version']).toString().trim()
  const groups = [...new Set(input.measured.map(m => `${m.latencyMs}:${m.sizeBytes}`))].map(key =>
    key.split(':').map(Number)
  )
  const actionDown = input.measured.find(m => m.arm === ACTION.name && m.direction === 'download')
  return [
    '# Benchmark results',
    '',
    `Written by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString()}.`,
    '',
    `- Snapshots: half heap, half stable memory, incompressible; ${rounds} round(s) per size, the order of the tools rotating.`,
    `- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / GiB).toFixed(0)} GiB RAM, ${platform()} ${release()}.`,
    `- Action: dist/index.js on Node ${nodeVersion}, \`download-artifact\` with \`path\` (the artifact kept on a local GitHub backend) and \`upload-artifact\` from that \`path\`; icp-cli: ${icpVersion}, \`icp canister snapshot download\` and \`upload\`. The replica runs in its own process on the same machine.`,
    '- Every figure is a whole process, as a user waits for it: MB/s is the snapshot directory over the wall time from spawn to exit; CPU is user + system time; peak RSS is the maximum resident set. Medians over the rounds; RSS is the peak of any round.',
    '',
    '## Targets',
    '',
    '| target | measured | met |',
    '|---|---|---|',
    ...targetRows(input.measured, median(input.starts)),
    '',
    '## Side by side',
    '',
    ...groups.flatMap(([latencyMs, sizeBytes]) => comparisonTable(input.measured, latencyMs, sizeBytes)),
    '| the action process | value |',
    '|---|---|',
    `| cold start of a \`list\` step, to its first log line (median of ${input.starts.length}) | ${median(input.starts).toFixed(0)} ms |`,
    ...(input.bls
      ? [
          `| one certificate signature check | ${input.bls.actionMs.toFixed(1)} ms (agent-js's own: ${input.bls.agentMs.toFixed(1)} ms) |`
        ]
      : []),
    ...(input.wire.down.length
      ? [
          `| wire limit at ${input.wire.latencyMs} ms, ${sizeLabel(input.wire.sizeBytes)} (the same calls pre-signed, 32 in flight, replies not verified) | download ${median(input.wire.down).toFixed(1)} MB/s, upload ${median(input.wire.up).toFixed(1)} MB/s${actionDown ? `; the action reaches ${((actionDown.mbPerSecond / median(input.wire.down)) * 100).toFixed(0)} % of the download limit` : ''} |`
        ]
      : []),
    '',
    ...(input.swept.length
      ? [
          `## Throughput against \`concurrency\` (download, ${sizeLabel(input.wire.sizeBytes)} at ${input.wire.latencyMs} ms)`,
          '',
          '![throughput against concurrency](concurrency.svg)',
          '',
          '| concurrency | MB/s (whole process) |',
          '|---|---|',
          ...input.swept.map(
            p =>
              `| ${p.concurrency}${p.concurrency === DEFAULT_CONCURRENCY ? ' (default)' : ''} | ${p.mbPerSecond.toFixed(1)} |`
          ),
          ''
        ]
      : []),
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
