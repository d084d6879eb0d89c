// State passed from the main step to the post step. The runner hands the post step whatever was saved last
// under a key, including a `::save-state` line that anything printed on the main step's stdout; so each
// record carries an HMAC whose key only the action's own steps can derive: from the identity input, which
// both steps get and no child process or log line ever sees. A record without a valid tag is refused.
import { createHmac, timingSafeEqual } from 'node:crypto'
import * as core from '@actions/core'
import { Inputs, type State } from './constants.js'

const LABEL = 'canister-snapshot-action post-step state v1'

/** The HMAC key: derived from the identity input, held in memory only, never printed or written. */
function stateKey(): Buffer {
  const secret = `${core.getInput(Inputs.Identity)}\0${core.getInput(Inputs.IdentityPassword, { trimWhitespace: false })}`
  return createHmac('sha256', secret).update(LABEL).digest()
}

function tag(name: State, value: string): string {
  return createHmac('sha256', stateKey()).update(`${name}\0${value}`).digest('hex')
}

/** Saves `value` under `name` with its tag; an empty value clears the record. */
export function saveSignedState(name: State, value: string): void {
  core.saveState(name, value === '' ? '' : `${tag(name, value)}.${value}`)
}

export type SignedState = { kind: 'none' } | { kind: 'valid'; value: string } | { kind: 'forged' }

/** In the post step: the record, if the main step wrote it. */
export function readSignedState(name: State): SignedState {
  const raw = core.getState(name)
  if (raw === '') return { kind: 'none' }
  const dot = raw.indexOf('.')
  const given = Buffer.from(dot === 64 ? raw.slice(0, 64) : '', 'hex')
  const value = raw.slice(dot + 1)
  const expected = Buffer.from(tag(name, value), 'hex')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { kind: 'forged' }
  return { kind: 'valid', value }
}
