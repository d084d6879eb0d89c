// Runs the user's deploy and health commands the way a workflow `run:` step would (bash with -eo pipefail,
// in the workspace, with the environment a `run:` step gets), with their output in the step log. A deploy
// runs build tools and their dependencies, so it gets no more than a `run:` step: not the runtime token a
// node action holds, not this step's state or outputs, and no workflow command that would act on them.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import * as core from '@actions/core'
import { neutralizeStepCommands } from './command-filter.js'
import { endProcessTree } from './process-tree.js'

export interface CommandOutcome {
  exitCode: number | null
  signal: NodeJS.Signals | null
}

// After a cancel the runner sends SIGINT, then SIGTERM 7.5 s later: the command gets SIGTERM at once and
// this long to end before it is killed, so that no deploy keeps running while the post step rolls back.
const GRACE_MS = 5_000

export interface CommandOptions {
  /** Runs once a cancel has ended the command, just before this process exits. */
  onCancelled?: (signal: NodeJS.Signals) => void
}

export async function runCommand(command: string, options: CommandOptions = {}): Promise<CommandOutcome> {
  // A `run:` step gets GITHUB_STATE and GITHUB_OUTPUT files of its own; these are that, and are dropped.
  const scratchDir = process.env.RUNNER_TEMP || tmpdir()
  const scratch = {
    GITHUB_STATE: join(scratchDir, `child_state_${randomUUID()}`),
    GITHUB_OUTPUT: join(scratchDir, `child_output_${randomUUID()}`)
  }
  await Promise.all(Object.values(scratch).map(file => writeFile(file, '')))
  // The step's own files sit in a directory any process can list: what the command writes to them is undone.
  const own = await snapshotFiles([process.env.GITHUB_STATE, process.env.GITHUB_OUTPUT])
  try {
    return await spawnCommand(command, { ...commandEnvironment(), ...scratch }, options)
  } finally {
    await Promise.all(Object.values(scratch).map(file => rm(file, { force: true })))
    await restoreFiles(own)
  }
}

async function snapshotFiles(paths: Array<string | undefined>): Promise<Map<string, Buffer>> {
  const saved = new Map<string, Buffer>()
  for (const path of paths) {
    if (path) saved.set(path, await readFile(path).catch(() => Buffer.alloc(0)))
  }
  return saved
}

async function restoreFiles(saved: Map<string, Buffer>): Promise<void> {
  for (const [path, before] of saved) {
    const after = await readFile(path).catch(() => Buffer.alloc(0))
    if (after.equals(before)) continue
    await writeFile(path, before)
    core.warning(
      `The command changed this step's ${basename(path).replace(/_[0-9a-f-]+$/, '')} file; the change was undone.`
    )
  }
}

function spawnCommand(
  command: string,
  env: NodeJS.ProcessEnv,
  options: CommandOptions
): Promise<CommandOutcome> {
  return new Promise((resolve, reject) => {
    const [file, args] =
      process.platform === 'win32'
        ? ['pwsh', ['-NoProfile', '-NonInteractive', '-Command', command]]
        : ['bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command]]
    // Its own process group, so that a cancel reaches everything the command started.
    const child = spawn(file, args, {
      cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32'
    })
    neutralizeStepCommands(child.stdout, process.stdout)
    neutralizeStepCommands(child.stderr, process.stderr)
    let killTimer: NodeJS.Timeout | undefined
    const onSignal = (signal: NodeJS.Signals): void => {
      // On Windows this already ends the whole tree at once (process-tree.ts); the timer then finds it gone.
      endProcessTree(child.pid, 'SIGTERM')
      killTimer ??= setTimeout(() => endProcessTree(child.pid, 'SIGKILL'), GRACE_MS)
      // The step ends once the command has; the post step then finds the guard record and rolls back.
      child.once('close', () => {
        options.onCancelled?.(signal)
        process.exit(signal === 'SIGINT' ? 130 : 143)
      })
    }
    const handlers = (['SIGINT', 'SIGTERM'] as const).map(signal => {
      const handler = (): void => onSignal(signal)
      process.once(signal, handler)
      return [signal, handler] as const
    })
    const settle = (): void => {
      for (const [signal, handler] of handlers) process.removeListener(signal, handler)
      clearTimeout(killTimer)
    }
    child.once('error', error => {
      settle()
      reject(error)
    })
    child.once('close', (exitCode, signal) => {
      settle()
      resolve({ exitCode, signal })
    })
  })
}

// The runner gives these to node actions only (Handlers/NodeScriptActionHandler.cs): the results and cache
// services' token and addresses, and the OIDC token request; a `run:` step does not see them.
const NODE_ACTION_ONLY = /^(ACTIONS_RUNTIME_|ACTIONS_RESULTS_URL$|ACTIONS_CACHE_|ACTIONS_ID_TOKEN_REQUEST_)/

/**
 * The job's environment as a `run:` step sees it: the action's inputs (the identity PEM among them) and
 * state stay here, and so does everything only a node action gets. GITHUB_ENV and GITHUB_PATH stay, as a
 * `run:` step has them.
 */
function commandEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('INPUT_') && !name.startsWith('STATE_') && !NODE_ACTION_ONLY.test(name)
    )
  )
}
