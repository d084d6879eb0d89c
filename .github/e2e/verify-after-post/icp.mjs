// What main.mjs and post.mjs share. Plain Node: the runner runs these files straight from the checkout.
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'

/** An input of this action, as the runner passes it: INPUT_<name upper-cased>, hyphens kept. */
export function input(name) {
  return (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim()
}

export function normalisedHash(hash) {
  return (hash ?? '').trim().toLowerCase().replace(/^0x/, '')
}

/** `icp canister status --json` of the canister: `{ status: 'Running' | …, module_hash: '0x…' | null, … }`. */
export function canisterStatus() {
  const cwd = resolve(process.env.GITHUB_WORKSPACE || process.cwd(), input('working-directory') || '.')
  const stdout = execFileSync('icp', ['canister', 'status', input('canister'), '--json'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit']
  })
  return JSON.parse(stdout)
}

/** A workflow command's message: %, CR and LF escaped, so a multi-line message stays one annotation. */
export function commandMessage(text) {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}
