import * as core from '@actions/core'
import { Outputs, type Mode } from './constants.js'
import { connect, networkLabel } from './ic/connect.js'
import { describe } from './ic/errors.js'
import { Management } from './ic/management.js'
import { readInputs } from './inputs/index.js'
import type { ModeContext } from './modes/context.js'
import { create } from './modes/create.js'
import { deleteSnapshots } from './modes/delete.js'
import { downloadArtifact } from './modes/download-artifact.js'
import { guardUpgrade } from './modes/guard-upgrade.js'
import { list } from './modes/list.js'
import { restore } from './modes/restore.js'
import { uploadArtifact } from './modes/upload-artifact.js'
import { Report } from './summary.js'

const MODES: Record<Mode, (context: ModeContext) => Promise<void>> = {
  create,
  restore,
  list,
  delete: deleteSnapshots,
  'download-artifact': downloadArtifact,
  'upload-artifact': uploadArtifact,
  'guard-upgrade': guardUpgrade
}

export async function run(): Promise<void> {
  let report = new Report('Canister snapshot')
  try {
    const inputs = await readInputs()
    report = new Report(`Canister snapshot: ${inputs.mode}`)
    const { identity, principal, format } = inputs.identity
    core.setOutput(Outputs.Principal, principal.toText())
    core.info(`Identity ${principal.toText()} (${format}) on ${networkLabel(inputs.network)}`)
    for (const canister of inputs.canisters) {
      if (canister.name)
        core.info(`Canister ${canister.name} → ${canister.principal.toText()} (from ${canister.source})`)
    }
    const connection = await connect(inputs.network, identity)
    await MODES[inputs.mode]({ inputs, connection, management: new Management(connection), report })
  } catch (error) {
    // One line, never a stack trace: the annotation is what the user sees.
    const message = describe(error)
    core.setFailed(message)
    report.note(`**Failed:** ${message}`)
  } finally {
    await report.write().catch(error => core.warning(`Could not write the job summary: ${describe(error)}`))
  }
}
