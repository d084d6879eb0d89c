import * as core from '@actions/core'
import { Inputs, MODES, type Mode } from './constants.js'
import { InputError } from './errors.js'

export interface ActionInputs {
  mode: Mode
}

/** Reads and validates every input before anything changes on the IC. */
export function readInputs(): ActionInputs {
  return { mode: readMode() }
}

function readMode(): Mode {
  const value = core.getInput(Inputs.Mode).trim()
  if (value === '') throw new InputError(Inputs.Mode, `is required; expected one of ${MODES.join(', ')}`)
  if (!(MODES as readonly string[]).includes(value)) {
    throw new InputError(Inputs.Mode, `'${value}' is not a mode; expected one of ${MODES.join(', ')}`)
  }
  return value as Mode
}
