// Ends a command and everything it started. On Linux and macOS the command leads its own process group
// (spawned detached), so a signal to the group reaches every process in it. Windows has neither groups nor
// signals a console process can catch: process.kill() there ends the shell alone and leaves its children (the
// deploy's build tools) running, so the whole tree is ended with `taskkill /T /F` (/T: the process and every
// process it started, /F: forcefully; Windows' taskkill documentation).
import { execFile } from 'node:child_process'

export function endProcessTree(
  pid: number | undefined,
  signal: NodeJS.Signals,
  platform: NodeJS.Platform = process.platform
): void {
  if (pid === undefined) return
  if (platform === 'win32') {
    // Asynchronous: the caller waits for the command's 'close' event, which follows once the tree is gone.
    // A tree that has already ended makes taskkill exit with an error, which is nothing to report.
    execFile('taskkill', ['/PID', String(pid), '/T', '/F'], { windowsHide: true }, () => {})
    return
  }
  try {
    process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
}
