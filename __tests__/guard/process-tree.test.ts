// A cancelled deploy ends with everything it started. The tree is real: a command process (spawned as
// shell.ts spawns the deploy: its own process group outside Windows) that starts a long-running child, as a
// deploy starts its build tools. Runs on every runner OS (the CI matrix runs it on Windows and macOS).
import { spawn, type ChildProcess } from 'node:child_process'
import { afterEach, expect, it } from '@jest/globals'
import { endProcessTree } from '../../src/guard/process-tree.js'

const started: number[] = []

afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
})

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs
  while (Date.now() < deadline) {
    if (!alive(pid)) return true
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  return !alive(pid)
}

/** A command that starts a child which would run for a minute, and prints the child's pid. */
async function commandWithChild(): Promise<{ command: ChildProcess; childPid: number }> {
  const script = [
    "const { spawn } = require('node:child_process')",
    "const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })",
    'console.log(child.pid)',
    'setTimeout(() => {}, 60000)'
  ].join('\n')
  const command = spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: process.platform !== 'win32'
  })
  started.push(command.pid as number)
  const childPid = await new Promise<number>((resolve, reject) => {
    command.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())))
    command.once('error', reject)
  })
  started.push(childPid)
  expect(alive(childPid)).toBe(true)
  return { command, childPid }
}

it('ends the command and the processes it started', async () => {
  const { command, childPid } = await commandWithChild()
  endProcessTree(command.pid, 'SIGTERM')
  expect(await gone(command.pid as number, 10_000)).toBe(true)
  expect(await gone(childPid, 10_000)).toBe(true)
})

// What a cancel did on Windows before taskkill: only the shell ended, and the deploy's children ran on.
it('ending the command process alone leaves its child running, which is why the tree is ended', async () => {
  const { command, childPid } = await commandWithChild()
  process.kill(command.pid as number, 'SIGKILL')
  expect(await gone(command.pid as number, 10_000)).toBe(true)
  expect(alive(childPid)).toBe(true)
})

it('does nothing for a command that never started', () => {
  expect(() => endProcessTree(undefined, 'SIGTERM')).not.toThrow()
})
