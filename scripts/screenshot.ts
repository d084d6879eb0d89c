// `npm run screenshot`: regenerates docs/job-summary.png, the README's picture of a real job summary. It runs
// `npm run demo`, takes the summary the action wrote for the guard-upgrade that rolled back, renders it as
// GitHub renders a step summary (GitHub-flavoured Markdown with HTML), and photographs the page with headless
// Chromium (Debian's `chromium` package, with `fonts-noto-color-emoji` for the status marks:
// `apt-get install chromium fonts-noto-color-emoji`).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { marked } from 'marked'

const ROOT = resolve(import.meta.dirname, '..')
const OUTPUT = join(ROOT, 'docs', 'job-summary.png')
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const WIDTH = 1280
// Twice the CSS pixels, so the picture stays sharp on high-density screens; the README shows it at WIDTH.
const SCALE = 2

// Close to GitHub's own summary styles (Primer's markdown body), so the picture looks like the run page.
const STYLE = `
  body { margin: 0; background: #f6f8fa; font: 14px/1.5 -apple-system, "Segoe UI", "Liberation Sans",
    "DejaVu Sans", "Noto Color Emoji", sans-serif; color: #1f2328; }
  .card { margin: 16px; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; }
  .card > header { padding: 12px 16px; border-bottom: 1px solid #d1d9e0; font-weight: 600; }
  .card > header span { color: #59636e; font-weight: 400; }
  .body { padding: 8px 24px 16px; }
  h2 { font-size: 1.5em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0; margin: 16px 0; }
  h3 { font-size: 1.25em; margin: 24px 0 12px; }
  table { border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; }
  th, td { border: 1px solid #d1d9e0; padding: 6px 13px; vertical-align: top; }
  th { font-weight: 600; text-align: left; }
  tr:nth-child(2n) { background: #f6f8fa; }
  code { font: 85% "DejaVu Sans Mono", monospace; background: #eff1f3; padding: .2em .4em; border-radius: 6px; }
  p { margin: 12px 0; }
`

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    const output: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk))
    child.on('error', fail)
    child.on('close', code => {
      const text = Buffer.concat(output).toString('utf8')
      if (code === 0) done(text)
      else fail(new Error(`${command} ${args[0]} exited with ${code}:\n${text.slice(-4000)}`))
    })
  })
}

// The page measures itself: its title becomes its height, which --dump-dom prints after the layout.
function page(summaryHtml: string, measure: boolean): string {
  const script = measure
    ? '<script>addEventListener("load", () => { document.title = "height:" + document.documentElement.scrollHeight })</script>'
    : ''
  return `<!doctype html><html><head><meta charset="utf-8"><title>job summary</title><style>${STYLE}</style>${script}</head>
<body><section class="card"><header>guard-upgrade summary <span>· canister-snapshot-action, from npm run demo</span></header>
<div class="body">${summaryHtml}</div></section></body></html>`
}

function chromium(...args: string[]): Promise<string> {
  return run(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', ...args])
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no Chromium at ${CHROMIUM}: apt-get install chromium fonts-noto-color-emoji, or set CHROMIUM`
    )
  const work = await mkdtemp(join(tmpdir(), 'job-summary-'))
  try {
    const summaryFile = join(work, 'summary.html')
    process.stdout.write('running npm run demo…\n')
    await run('npx', ['tsx', 'scripts/demo.ts'], { ...process.env, DEMO_SUMMARY_HTML: summaryFile })
    // GitHub renders the summary file as Markdown: the action's tables are HTML blocks, its notes Markdown.
    const html = await marked.parse(await readFile(summaryFile, 'utf8'), { gfm: true })

    const measured = join(work, 'measure.html')
    await writeFile(measured, page(html, true))
    const dom = await chromium(`--window-size=${WIDTH},600`, '--dump-dom', pathToFileURL(measured).href)
    const height = Number(/height:(\d+)/.exec(dom)?.[1])
    if (!Number.isInteger(height) || height <= 0) throw new Error('Chromium did not report the page height')

    const shown = join(work, 'page.html')
    await writeFile(shown, page(html, false))
    await chromium(
      `--window-size=${WIDTH},${height}`,
      `--force-device-scale-factor=${SCALE}`,
      `--screenshot=${OUTPUT}`,
      pathToFileURL(shown).href
    )
    process.stdout.write(`wrote ${OUTPUT} (${WIDTH}×${height} CSS pixels at ${SCALE}×)\n`)
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

main().catch(error => {
  process.stderr.write(`screenshot failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
