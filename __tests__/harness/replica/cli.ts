// `npm run replica -- [--port N] [--latency-ms N] [--state-dir DIR] [--seed NAME=WAT ...] [--controller P ...]
//   [--cycles NAME=AMOUNT ...]` (a seeded canister's balance: 10T unless told; set again on every start)
// Prints one JSON line once ready and runs until SIGINT or SIGTERM. Started again on the same --state-dir
// (and --port), it comes back with the same root key, canisters and snapshots; canisters it seeded before
// are not seeded again.
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Principal } from '@icp-sdk/core/principal'
import { startReplica } from './replica.js'

function fail(message: string): never {
  process.stderr.write(`replica: ${message}\n`)
  process.exit(2)
}

function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value)) fail(`--${name} expects a whole number, got '${value}'`)
  return Number(value)
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'latency-ms': { type: 'string' },
      'state-dir': { type: 'string' },
      seed: { type: 'string', multiple: true, default: [] },
      controller: { type: 'string', multiple: true, default: [] },
      cycles: { type: 'string', multiple: true, default: [] }
    }
  })
  const controllers = (values.controller ?? []).map(text => {
    try {
      return Principal.fromText(text)
    } catch {
      fail(`--controller expects a principal, got '${text}'`)
    }
  })
  const replica = await startReplica({
    port: wholeNumber('port', values.port, 0),
    latencyMs: wholeNumber('latency-ms', values['latency-ms'], 0),
    stateDir: values['state-dir']
  })
  const seededFile = values['state-dir'] && join(values['state-dir'], 'seeded.json')
  const canisters: Record<string, string> =
    seededFile && existsSync(seededFile) ? JSON.parse(await readFile(seededFile, 'utf8')) : {}
  for (const seed of values.seed ?? []) {
    const [name, wat] = seed.split('=')
    if (!name || !wat) fail(`--seed expects NAME=WAT (for example backend=counter), got '${seed}'`)
    canisters[name] ??= (await replica.seedCanister(wat, controllers)).toText()
  }
  for (const entry of values.cycles ?? []) {
    const [name, amount] = entry.split('=')
    if (!name || !amount || !/^\d+$/.test(amount.replace(/_/g, '')))
      fail(`--cycles expects NAME=AMOUNT (for example backend=500_000_000_000), got '${entry}'`)
    if (!canisters[name]) fail(`--cycles names '${name}', which no --seed created`)
    await replica.setCycles(Principal.fromText(canisters[name]), BigInt(amount.replace(/_/g, '')))
  }
  if (seededFile) await writeFile(seededFile, JSON.stringify(canisters) + '\n')
  process.stdout.write(JSON.stringify({ url: replica.url, root_key: replica.rootKeyHex, canisters }) + '\n')
  const shutdown = () => void replica.stop().then(() => process.exit(0))
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

main().catch(error => fail(error instanceof Error ? error.message : String(error)))
