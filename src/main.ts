import * as core from '@actions/core'
import { readInputs } from './inputs.js'

export async function run(): Promise<void> {
  try {
    const inputs = readInputs()
    throw new Error(`Mode '${inputs.mode}' is not available yet in this version of the action`)
  } catch (error) {
    // One line, never a stack trace: the annotation is what the user sees.
    core.setFailed(error instanceof Error ? error.message : String(error))
  }
}
