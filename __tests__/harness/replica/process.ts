// The replica in a process of its own, as `npm run replica` starts it: the benchmark keeps its work (BLS
// signing, Wasm, CBOR) off the measured client's event loop, and tests can kill it outright.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export interface ReplicaProcess {
  url: string
  rootKey: Uint8Array
  rootKeyHex: string
  canisters: Record<string, string>
  pid: number
  stop(): Promise<void>
  /** SIGKILL: the process gets no chance to save or close anything. */
  kill(): Promise<void>
}

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

export async function startReplicaProcess(options: {
  latencyMs?: number
  seed?: Record<string, string>
  /** A seeded canister's balance (`--cycles`), by its seed name. */
  cycles?: Record<string, bigint>
  controllers?: string[]
  port?: number
  stateDir?: string
}): Promise<ReplicaProcess> {
  // tsx as a loader rather than its CLI, which would run the replica in a child of its own that a SIGKILL
  // of this process would leave behind.
  const args = [
    '--import',
    'tsx',
    '__tests__/harness/replica/cli.ts',
    '--latency-ms',
    String(options.latencyMs ?? 0),
    ...(options.port ? ['--port', String(options.port)] : []),
    ...(options.stateDir ? ['--state-dir', options.stateDir] : []),
    ...Object.entries(options.seed ?? {}).flatMap(([name, wat]) => ['--seed', `${name}=${wat}`]),
    ...Object.entries(options.cycles ?? {}).flatMap(([name, amount]) => ['--cycles', `${name}=${amount}`]),
    ...(options.controllers ?? []).flatMap(p => ['--controller', p])
  ]
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  const line = await firstLine(child)
  const ready = JSON.parse(line) as { url: string; root_key: string; canisters: Record<string, string> }
  const ended = (signal: NodeJS.Signals) =>
    new Promise<void>(resolve => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill(signal)
    })
  return {
    url: ready.url,
    rootKeyHex: ready.root_key,
    rootKey: new Uint8Array(Buffer.from(ready.root_key, 'hex')),
    canisters: ready.canisters,
    pid: child.pid as number,
    stop: () => ended('SIGTERM'),
    kill: () => ended('SIGKILL')
  }
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
    const timer = setTimeout(() => reject(new Error('the replica did not start within 60 s')), 60_000)
    lines.once('line', line => {
      clearTimeout(timer)
      resolve(line)
    })
    child.once('exit', code => reject(new Error(`the replica exited with ${code} before it was ready`)))
  })
}
