// Runs dist/ the way the GitHub runner starts a node24 action: a real Node 24, the working directory set to
// the workspace, every declared input as INPUT_<NAME> (defaults from action.yml), fresh file-command files
// under RUNNER_TEMP, and, for the post step, STATE_<key> from what the main step saved.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Evaluator, Lexer, Parser, data } from '@actions/expressions'
import { truthy } from '@actions/expressions/result'
import { parse } from 'yaml'
import { findKeyMaterial } from './key-leaks.js'

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../..')
export const NODE24 = createRequire(import.meta.url).resolve('node/bin/node')

interface ActionManifest {
  inputs: Record<string, { default?: string }>
  runs: { main: string; post?: string; 'post-if'?: string }
}

// Snapshot blobs of the big-canister tests run to tens of MB; nothing larger is written by the suites.
const MAX_SCANNED_FILE = 256 * 1024 * 1024

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])
  return entries.filter(e => e.isFile()).map(e => join(e.parentPath, e.name))
}

/** The job's status when its post steps run, as the status functions of `post-if` see it. */
export type JobStatus = 'success' | 'failure' | 'cancelled'

let manifest: ActionManifest | undefined
async function actionManifest(): Promise<ActionManifest> {
  manifest ??= parse(await readFile(join(ROOT, 'action.yml'), 'utf8')) as ActionManifest
  return manifest
}

export interface StepOptions {
  inputs: Record<string, string>
  /** The post step gets STATE_<key> for each of these. */
  state?: Record<string, string>
  workspace?: string
  env?: Record<string, string>
  /** Sends SIGKILL once a stdout line matches, as a crashed runner would end the step. */
  killWhen?: RegExp
  /**
   * Cancels the step once a stdout line matches, as the runner does (ProcessInvoker): SIGINT, then SIGTERM
   * 7.5 s later, then SIGKILL 2.5 s after that.
   */
  cancelWhen?: RegExp
  timeoutMs?: number
}

export interface PostOptions extends StepOptions {
  /** The post step runs only if action.yml's `post-if` holds for this status. */
  jobStatus: JobStatus
}

export interface StepResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  /** stdout as the job log shows it: the runner consumes `::add-mask::` commands and never prints them. */
  log: string
  /** Values the step asked the runner to mask. */
  masks: string[]
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  /**
   * Every workflow command the step printed on stdout or stderr (`::name props::data`), as the runner's
   * ActionCommandManager parses them; `::save-state` and `::set-output` are already merged into `state` and
   * `outputs`, as the runner still executes them.
   */
  commands: WorkflowCommand[]
  /** `::error::` and `::warning::` lines, without the command prefix. */
  errors: string[]
  warnings: string[]
  /** Milliseconds from the start of the process to its first byte on stdout (its cold start). */
  firstOutputMs?: number
}

/** A sandbox of one job: its workspace and RUNNER_TEMP, shared by the steps run in it. */
export class Job {
  private constructor(
    readonly dir: string,
    readonly workspace: string,
    readonly runnerTemp: string
  ) {}

  static async create(): Promise<Job> {
    const dir = await mkdtemp(join(tmpdir(), 'job-'))
    const job = new Job(dir, join(dir, 'workspace'), join(dir, 'runner-temp'))
    await mkdir(job.workspace)
    await mkdir(job.runnerTemp)
    return job
  }

  async main(options: StepOptions): Promise<StepResult> {
    return this.step('main', options)
  }

  /** Runs the post step as the runner would for a job in `jobStatus`; undefined when `post-if` skips it. */
  async post(options: PostOptions): Promise<StepResult | undefined> {
    const condition = (await actionManifest()).runs['post-if'] ?? 'always()'
    if (!statusCondition(condition, options.jobStatus)) return undefined
    return this.step('post', options)
  }

  /** Searches every file the job's steps left for key material (see key-leaks.ts), then removes them. */
  async cleanup(): Promise<void> {
    try {
      for (const root of [this.workspace, this.runnerTemp]) {
        for (const file of await filesUnder(root)) {
          const size = (await stat(file)).size
          if (size > MAX_SCANNED_FILE) continue
          const leak = findKeyMaterial(await readFile(file))
          if (leak) throw new Error(`Key material leaked: ${leak} is in ${file}`)
        }
      }
    } finally {
      await rm(this.dir, { recursive: true, force: true })
    }
  }

  private async step(which: 'main' | 'post', options: StepOptions): Promise<StepResult> {
    const action = await actionManifest()
    const entry = which === 'main' ? action.runs.main : action.runs.post
    if (!entry) throw new Error(`action.yml declares no ${which} step`)
    const commandDir = join(this.runnerTemp, '_runner_file_commands')
    await mkdir(commandDir, { recursive: true })
    const files = {
      GITHUB_OUTPUT: join(commandDir, `set_output_${randomUUID()}`),
      GITHUB_STATE: join(commandDir, `save_state_${randomUUID()}`),
      GITHUB_ENV: join(commandDir, `set_env_${randomUUID()}`),
      GITHUB_PATH: join(commandDir, `add_path_${randomUUID()}`),
      GITHUB_STEP_SUMMARY: join(commandDir, `step_summary_${randomUUID()}`)
    }
    await Promise.all(Object.values(files).map(file => writeFile(file, '')))

    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.dir,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: options.workspace ?? this.workspace,
      RUNNER_TEMP: this.runnerTemp,
      ...files,
      ...options.env
    }
    // Handler.cs: INPUT_ + name with spaces as underscores, upper-cased; hyphens stay.
    for (const [name, spec] of Object.entries(action.inputs)) {
      const value = options.inputs[name] ?? spec.default ?? ''
      env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
    }
    for (const name of Object.keys(options.inputs)) {
      if (!(name in action.inputs)) throw new Error(`input '${name}' is not declared in action.yml`)
    }
    for (const [key, value] of Object.entries(options.state ?? {})) env[`STATE_${key}`] = value

    const { code, signal, stdout, stderr, firstOutputMs } = await runNode(join(ROOT, entry), env, options)
    const commands = [...parseWorkflowCommands(stdout), ...parseWorkflowCommands(stderr)]
    // The runner executes the deprecated stdout forms as well as the files; both write the same maps.
    const outputs = {
      ...commandValues(commands, 'set-output'),
      ...parseFileCommand(await readFile(files.GITHUB_OUTPUT, 'utf8'))
    }
    const state = {
      ...commandValues(commands, 'save-state'),
      ...parseFileCommand(await readFile(files.GITHUB_STATE, 'utf8'))
    }
    const summary = await readFile(files.GITHUB_STEP_SUMMARY, 'utf8')
    const lines = stdout.split('\n')
    const maskPrefix = '::add-mask::'
    // `::add-mask::` lines are how a secret is registered with the runner, which never shows them.
    const log = lines.filter(l => !l.startsWith(maskPrefix)).join('\n')
    for (const [where, text] of Object.entries({ log, stderr, summary })) {
      const leak = findKeyMaterial(text)
      if (leak) throw new Error(`Key material leaked: ${leak} is in the ${which} step's ${where}`)
    }
    return {
      code,
      signal,
      stdout,
      log,
      masks: lines.filter(l => l.startsWith(maskPrefix)).map(l => l.slice(maskPrefix.length)),
      stderr,
      outputs,
      state,
      summary,
      commands,
      errors: lines.filter(l => l.startsWith('::error')).map(l => l.replace(/^::error[^:]*::/, '')),
      warnings: lines.filter(l => l.startsWith('::warning')).map(l => l.replace(/^::warning[^:]*::/, '')),
      firstOutputMs
    }
  }
}

function runNode(
  script: string,
  env: Record<string, string>,
  options: StepOptions
): Promise<{
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  firstOutputMs?: number
}> {
  return new Promise((resolvePromise, reject) => {
    const spawnedAt = performance.now()
    let firstOutputMs: number | undefined
    const child = spawn(NODE24, [script], {
      cwd: env.GITHUB_WORKSPACE,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    const timers = [setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)]
    let cancelled = false
    child.stdout.on('data', (chunk: Buffer) => {
      firstOutputMs ??= performance.now() - spawnedAt
      stdout += chunk.toString()
      if (options.killWhen && options.killWhen.test(stdout)) child.kill('SIGKILL')
      if (options.cancelWhen && !cancelled && options.cancelWhen.test(stdout)) {
        cancelled = true
        child.kill('SIGINT')
        timers.push(setTimeout(() => child.kill('SIGTERM'), 7_500))
        timers.push(setTimeout(() => child.kill('SIGKILL'), 10_000))
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      for (const timer of timers) clearTimeout(timer)
      resolvePromise({ code, signal, stdout, stderr, firstOutputMs })
    })
  })
}

export interface WorkflowCommand {
  name: string
  properties: Record<string, string>
  data: string
}

/**
 * ActionCommandManager.cs / ActionCommand.TryParseV2: a line that starts with `::` (after leading white space
 * is trimmed) is a command `::name k=v,k=v::data`, with %25, %0D, %0A (and %3A, %2C in properties) unescaped.
 */
export function parseWorkflowCommands(text: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = []
  const unescape = (value: string) =>
    value
      .replace(/%0D/gi, '\r')
      .replace(/%0A/gi, '\n')
      .replace(/%3A/gi, ':')
      .replace(/%2C/gi, ',')
      .replace(/%25/g, '%')
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').trimStart()
    if (!line.startsWith('::')) continue
    const end = line.indexOf('::', 2)
    if (end < 0) continue
    const head = line.slice(2, end)
    const space = head.indexOf(' ')
    const name = (space < 0 ? head : head.slice(0, space)).toLowerCase()
    const properties: Record<string, string> = {}
    if (space >= 0) {
      for (const pair of head.slice(space + 1).split(',')) {
        const eq = pair.indexOf('=')
        if (eq > 0) properties[pair.slice(0, eq).trim()] = unescape(pair.slice(eq + 1))
      }
    }
    if (name) commands.push({ name, properties, data: unescape(line.slice(end + 2)) })
  }
  return commands
}

function commandValues(commands: WorkflowCommand[], name: string): Record<string, string> {
  const values: Record<string, string> = {}
  for (const command of commands) {
    if (command.name === name && command.properties.name) values[command.properties.name] = command.data
  }
  return values
}

/** The value of a state record the action saved: `<hmac hex>.<value>` (src/state-provider.ts); '' stays ''. */
export function stateValue(saved: string | undefined): string {
  if (saved === undefined) throw new Error('no such state record')
  if (saved === '') return ''
  const match = /^[0-9a-f]{64}\.([\s\S]*)$/.exec(saved)
  if (!match) throw new Error(`state record without the action's tag: ${saved.slice(0, 80)}`)
  return match[1]
}

/** FileCommandManager.cs: `NAME=VALUE` or `NAME<<DELIM`, value lines, `DELIM`; later entries win. */
export function parseFileCommand(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line === '') continue
    const heredoc = line.indexOf('<<')
    const equals = line.indexOf('=')
    if (heredoc > 0 && (equals < 0 || heredoc < equals)) {
      const name = line.slice(0, heredoc)
      const delimiter = line.slice(heredoc + 2)
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
      if (i >= lines.length) throw new Error(`Matching delimiter not found '${delimiter}'`)
      values[name] = value.join('\n')
    } else if (equals > 0) {
      values[line.slice(0, equals)] = line.slice(equals + 1)
    } else {
      throw new Error(`Invalid file command line: ${line}`)
    }
  }
  return values
}

/** Evaluates a `post-if` condition with GitHub's expression library and the runner's status functions. */
export function statusCondition(condition: string, status: JobStatus): boolean {
  const expression = condition.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
  const functions = new Map(
    (['success', 'failure', 'cancelled', 'always'] as const).map(name => [
      name,
      {
        name,
        minArgs: 0,
        maxArgs: 0,
        call: () => new data.BooleanData(name === 'always' || name === status)
      }
    ])
  )
  const lexed = new Lexer(expression).lex()
  const parsed = new Parser(lexed.tokens, [], [...functions.values()]).parse()
  return truthy(new Evaluator(parsed, new data.Dictionary(), functions).evaluate())
}
