// The post step, run when the job failed or was cancelled: a guard-upgrade still in force rolls its canisters
// back; then every canister the main step stopped and did not start again is started.
import * as core from '@actions/core'
import { Principal } from '@dfinity/principal'
import { connect } from './ic/connect.js'
import { describe } from './ic/errors.js'
import { Management } from './ic/management.js'
import { stoppedByMainStep } from './ic/stopped-canisters.js'
import { guardInForce } from './guard/guard-state.js'
import { rollBackGuard } from './guard/post-rollback.js'
import { readIdentity, readNetwork, readStopTimeout } from './inputs/index.js'

export async function runCleanup(): Promise<void> {
  try {
    const guard = guardInForce()
    const stoppedBefore = stoppedByMainStep()
    if (!guard && stoppedBefore.length === 0) {
      core.info('The main step left no canister stopped and no guard in force.')
      return
    }
    const { identity } = readIdentity()
    const network = readNetwork()
    const management = new Management(await connect(network, identity))
    if (guard) await rollBackGuard(management, guard, { stopTimeoutSeconds: readStopTimeout(), network })
    // The rollback starts what it restores; whatever is still recorded as stopped is started here.
    const stopped = stoppedByMainStep()
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
