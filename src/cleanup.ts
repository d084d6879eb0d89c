// The post step: when the main step was cancelled or killed between a stop and the start that follows it,
// the canisters it recorded are started here.
import * as core from '@actions/core'
import { Principal } from '@dfinity/principal'
import { connect } from './ic/connect.js'
import { describe } from './ic/errors.js'
import { Management } from './ic/management.js'
import { stoppedByMainStep } from './ic/stopped-canisters.js'
import { readIdentity, readNetwork } from './inputs.js'

export async function runCleanup(): Promise<void> {
  try {
    const stopped = stoppedByMainStep()
    if (stopped.length === 0) {
      core.info('The main step left no canister stopped.')
      return
    }
    const { identity } = readIdentity()
    const management = new Management(await connect(readNetwork(), identity))
    const failures: string[] = []
    for (const id of stopped) {
      try {
        const canisterId = Principal.fromText(id)
        const { status } = await management.status(canisterId)
        if (status === 'running') {
          core.info(`${id} is running.`)
          continue
        }
        core.info(`${id} is ${status}; the main step stopped it and did not start it again. Starting it.`)
        await management.start(canisterId)
        core.info(`${id} is running again.`)
      } catch (error) {
        failures.push(`${id}: ${describe(error)}`)
      }
    }
    if (failures.length > 0) {
      core.setFailed(
        `Could not start again: ${failures.join('; ')}. Start them by hand with 'icp canister start <id>'.`
      )
    }
  } catch (error) {
    core.setFailed(`Post step: ${describe(error)}`)
  }
}
