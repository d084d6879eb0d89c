import * as core from '@actions/core'
import { Outputs } from '../constants.js'
import { formatBytes, isoTime } from '../summary.js'
import type { ModeContext } from './context.js'

export async function list(context: ModeContext): Promise<void> {
  const { inputs, management, report } = context
  const entries: Array<{
    canister: string
    id: string
    taken_at: string
    taken_at_ns: string
    size_bytes: string
  }> = []
  for (const canister of inputs.canisters) {
    const snapshots = await management.listSnapshots(canister.principal)
    core.info(`${canister.principal.toText()}: ${snapshots.length} snapshot(s)`)
    for (const s of snapshots) {
      core.info(`  ${s.id}  ${isoTime(s.takenAtNs)}  ${formatBytes(s.sizeBytes)}`)
      entries.push({
        canister: canister.principal.toText(),
        id: s.id,
        taken_at: isoTime(s.takenAtNs),
        taken_at_ns: s.takenAtNs.toString(),
        size_bytes: s.sizeBytes.toString()
      })
    }
  }
  core.setOutput(Outputs.Snapshots, JSON.stringify(entries))
  report.table(
    'Snapshots',
    ['Canister', 'Snapshot id', 'Taken at', 'Size'],
    entries.length
      ? entries.map(e => [e.canister, `<code>${e.id}</code>`, e.taken_at, formatBytes(BigInt(e.size_bytes))])
      : [[inputs.canisters.map(c => c.principal.toText()).join(', '), 'none', '—', '—']]
  )
}
