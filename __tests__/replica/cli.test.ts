// `npm run replica` as a user starts it: one JSON line once ready, usable by a client, gone on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Principal } from '@icp-sdk/core/principal'
import { agentFor, counterFor, managementFor } from '../harness/agent.js'

const TSX = 'node_modules/.bin/tsx'
const CLI = '__tests__/harness/replica/cli.ts'

function startCli(args: string[]): ChildProcess {
  return spawn(TSX, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
}

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! })
  const [line] = (await once(lines, 'line')) as [string]
  lines.close()
  return line
}

it('prints url, root key and seeded canisters, serves them, and exits on SIGTERM', async () => {
  const controller = Ed25519KeyIdentity.generate()
  const child = startCli([
    '--latency-ms',
    '5',
    '--seed',
    'backend=counter',
    '--controller',
    controller.getPrincipal().toText()
  ])
  try {
    const ready = JSON.parse(await firstLine(child)) as {
      url: string
      root_key: string
      canisters: Record<string, string>
    }
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(ready.root_key).toMatch(/^308182[0-9a-f]{260}$/)
    const backend = Principal.fromText(ready.canisters.backend)

    const agent = await agentFor({ url: ready.url, rootKey: Buffer.from(ready.root_key, 'hex') }, controller)
    expect(await counterFor(agent, backend).inc()).toBe(1n)
    const status = await managementFor(agent).canisterStatus({ canisterId: backend })
    expect(status.settings.controllers.map(c => c.toText())).toEqual([controller.getPrincipal().toText()])
  } finally {
    child.kill('SIGTERM')
  }
  const [code] = await once(child, 'exit')
  expect(code).toBe(0)
})

it('refuses a malformed flag with one line naming it', async () => {
  const child = startCli(['--latency-ms', 'soon'])
  let stderr = ''
  child.stderr!.on('data', chunk => (stderr += chunk))
  const [code] = await once(child, 'exit')
  expect(code).toBe(2)
  expect(stderr.trim()).toBe("replica: --latency-ms expects a whole number, got 'soon'")
})

it('gives a seeded canister the balance --cycles names', async () => {
  const controller = Ed25519KeyIdentity.generate()
  const child = startCli([
    '--seed',
    'backend=counter',
    '--cycles',
    'backend=5_000_000_000',
    '--controller',
    controller.getPrincipal().toText()
  ])
  try {
    const ready = JSON.parse(await firstLine(child)) as {
      url: string
      root_key: string
      canisters: Record<string, string>
    }
    const agent = await agentFor({ url: ready.url, rootKey: Buffer.from(ready.root_key, 'hex') }, controller)
    const { cycles } = await managementFor(agent).canisterStatus({
      canisterId: Principal.fromText(ready.canisters.backend)
    })
    // Less the ingress of the status call itself.
    expect(cycles).toBeLessThan(5_000_000_000n)
    expect(cycles).toBeGreaterThan(5_000_000_000n - 10_000_000n)
  } finally {
    child.kill('SIGTERM')
  }
  await once(child, 'exit')
})
