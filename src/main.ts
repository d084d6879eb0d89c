import * as core from '@actions/core'
import { Outputs, type Mode } from './constants.js'
import { connect, networkLabel } from './ic/connect.js'
import { describe } from './ic/errors.js'
import { Management } from './ic/management.js'
import { readInputs } from './inputs/index.js'
import type { ModeContext } from './modes/context.js'
import { Report } from './summary.js'

type ModeRunner = (context: ModeContext) => Promise<void>

// Each mode is loaded when it runs: a step parses only the code of its own mode (the artifact, cache and
// encryption clients are a third of the bundle and `list` or `create` never use them), which is most of a
// step's start-up time.
const MODES: Record<Mode, () => Promise<ModeRunner>> = {
  create: async () => (await import('./modes/create.js')).create,
  restore: async () => (await import('./modes/restore.js')).restore,
  list: async () => (await import('./modes/list.js')).list,
  delete: async () => (await import('./modes/delete.js')).deleteSnapshots,
  'download-artifact': async () => (await import('./modes/download-artifact.js')).downloadArtifact,
  'upload-artifact': async () => (await import('./modes/upload-artifact.js')).uploadArtifact,
  'guard-upgrade': async () => (await import('./modes/guard-upgrade.js')).guardUpgrade
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
    const runMode = await MODES[inputs.mode]()
    await runMode({ inputs, connection, management: new Management(connection), report })
  } catch (error) {
    // One line, never a stack trace: the annotation is what the user sees.
    const message = describe(error)
    core.setFailed(message)
    report.note(`**Failed:** ${message}`)
  } finally {
    await report.write().catch(error => core.warning(`Could not write the job summary: ${describe(error)}`))
  }
}
