// Runs the user's deploy and health commands the way a workflow `run:` step would (bash with -eo pipefail,
// in the workspace, with the job's environment), with their output in the step log.
import { spawn } from 'node:child_process'

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

export function runCommand(command: string, options: CommandOptions = {}): Promise<CommandOutcome> {
  return new Promise((resolve, reject) => {
    const [file, args] =
      process.platform === 'win32'
        ? ['pwsh', ['-NoProfile', '-NonInteractive', '-Command', command]]
        : ['bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command]]
    // Its own process group, so that a cancel reaches everything the command started.
    const child = spawn(file, args, {
      cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
      env: commandEnvironment(),
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: process.platform !== 'win32'
    })
    let killTimer: NodeJS.Timeout | undefined
    const onSignal = (signal: NodeJS.Signals): void => {
      signalGroup(child.pid, 'SIGTERM')
      killTimer ??= setTimeout(() => signalGroup(child.pid, 'SIGKILL'), GRACE_MS)
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

/** The job's environment as a `run:` step sees it: the action's inputs (the identity PEM among them) stay here. */
function commandEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('INPUT_') && !name.startsWith('STATE_'))
  )
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, signal)
  } catch {
    // Already gone.
  }
}
