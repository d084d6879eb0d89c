// The post step, run when the job failed or was cancelled: a guard-upgrade still in force rolls its canisters
// back; then every canister the main step stopped and did not start again is started, and a half-uploaded
// snapshot that nothing can resume is deleted. It acts only on what
// the main step recorded about its own inputs: records must carry the main step's tag (state-provider.ts),
// and name only canisters of the `canister` input; a rollback happens only in guard-upgrade, and only with
// snapshots of those canisters. Anything else is reported and left alone.
import * as core from '@actions/core'
import { Principal } from '@icp-sdk/core/principal'
import type { ResolvedCanister } from './canister-ids.js'
import { connect, type IcConnection } from './ic/connect.js'
import { describe } from './ic/errors.js'
import { Management } from './ic/management.js'
import { SnapshotData } from './ic/snapshot-data.js'
import { isSnapshotIdOf } from './ic/snapshot-id.js'
import { stoppedByMainStep } from './ic/stopped-canisters.js'
import { guardInForce, type GuardedCanister, type GuardRecord } from './guard/guard-state.js'
import { rollBackGuard } from './guard/post-rollback.js'
import { readCanisters, readIdentity, readMode, readNetwork, readStopTimeout } from './inputs/index.js'
import { unfinishedUpload, type UnfinishedUpload } from './transfer/unfinished-upload.js'
import { inert } from './untrusted-text.js'

const FORGED =
  'was not written by the main step of this action (its tag does not match the identity input): ignored'

export async function runCleanup(): Promise<void> {
  try {
    const guardRecord = guardInForce()
    const stoppedRecord = stoppedByMainStep()
    if (guardRecord === 'forged') core.warning(`The guarded-canisters state ${FORGED}.`)
    if (stoppedRecord === 'forged') core.warning(`The stopped-canisters state ${FORGED}.`)
    const guard = guardRecord === 'forged' ? undefined : guardRecord
    const stoppedBefore = stoppedRecord === 'forged' ? [] : stoppedRecord
    const uploadRecord = unfinishedUpload()
    if (uploadRecord === 'forged') core.warning(`The unfinished-upload state ${FORGED}.`)
    const upload = uploadRecord === 'forged' ? undefined : uploadRecord
    if (!guard && stoppedBefore.length === 0 && !upload) {
      core.info('The main step left no canister stopped, no guard in force and no unfinished upload.')
      return
    }
    const mode = readMode()
    const network = readNetwork()
    const own = await readCanisters(mode, network)
    const { identity } = readIdentity()
    const connection = await connect(network, identity)
    const management = new Management(connection)

    const checkedGuard = guard && (await checkGuard(management, guard, mode, own))
    if (checkedGuard)
      await rollBackGuard(management, checkedGuard, { stopTimeoutSeconds: readStopTimeout(), network })
    // The rollback starts what it restores; whatever is still recorded as stopped is started here.
    const stopped = ownCanisters(stoppedByMainStep(), own, 'stopped-canisters')
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
    if (upload) {
      try {
        await deleteUnfinishedUpload(connection, management, upload, own)
      } catch (error) {
        failures.push(`the half-uploaded snapshot ${upload.snapshotId}: ${describe(error)}`)
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

/**
 * Deletes the snapshot a killed upload-artifact step began: only a snapshot of a canister of the `canister`
 * input, that still exists and was uploaded (a snapshot taken from the canister is never touched).
 */
async function deleteUnfinishedUpload(
  connection: IcConnection,
  management: Management,
  upload: UnfinishedUpload,
  own: ResolvedCanister[]
): Promise<void> {
  const canister = own.find(c => c.principal.toText() === upload.canisterId)
  const { snapshotId } = upload
  if (!canister || !isSnapshotIdOf(snapshotId, canister.principal.toUint8Array())) {
    core.warning(
      `The unfinished-upload state names ${inert(snapshotId, 100)} of ${inert(upload.canisterId, 100)}, not a snapshot of a canister of the 'canister' input: ignored.`
    )
    return
  }
  if (!(await management.listSnapshots(canister.principal)).some(s => s.id === snapshotId)) return
  const metadata = await new SnapshotData(connection, canister.principal, snapshotId).readMetadata()
  if (!('metadataUpload' in metadata.source)) return
  await management.deleteSnapshot(canister.principal, snapshotId)
  core.info(`Deleted ${snapshotId}, which the main step began to upload and did not finish.`)
}

/** The recorded ids that are canisters of the `canister` input; the others are reported. */
function ownCanisters(recorded: string[] | 'forged', own: ResolvedCanister[], record: string): string[] {
  if (recorded === 'forged') return []
  const ids = new Set(own.map(c => c.principal.toText()))
  const foreign = recorded.filter(id => !ids.has(id))
  if (foreign.length > 0)
    core.warning(
      `The ${record} state names ${foreign.map(id => inert(id, 100)).join(', ')}, not a canister of the 'canister' input: ignored.`
    )
  return recorded.filter(id => ids.has(id))
}

/**
 * The guard to roll back: only in guard-upgrade, only canisters of the `canister` input, each with a snapshot
 * id of its own that the canister still has. Labels come from the input, not from the record.
 */
async function checkGuard(
  management: Management,
  guard: GuardRecord,
  mode: string,
  own: ResolvedCanister[]
): Promise<GuardRecord | undefined> {
  if (mode !== 'guard-upgrade') {
    core.warning(`A guarded-canisters state was found, but mode is '${mode}', not 'guard-upgrade': ignored.`)
    return undefined
  }
  const byId = new Map(own.map(c => [c.principal.toText(), c]))
  const kept: GuardedCanister[] = []
  for (const entry of guard.canisters) {
    const id = typeof entry.id === 'string' ? entry.id : ''
    const canister = byId.get(id)
    const snapshotId = typeof entry.snapshotId === 'string' ? entry.snapshotId : ''
    const moduleHash = typeof entry.moduleHash === 'string' ? entry.moduleHash : ''
    let problem: string | undefined
    if (!canister) problem = "is not a canister of the 'canister' input"
    else if (!isSnapshotIdOf(snapshotId, canister.principal.toUint8Array()))
      problem = `names ${inert(snapshotId, 100)}, which is not a snapshot id of that canister`
    else if (!/^([0-9a-f]{64})?$/.test(moduleHash)) problem = 'has no module hash'
    else if (!(await management.listSnapshots(canister.principal)).some(s => s.id === snapshotId))
      problem = `names snapshot ${snapshotId}, which the canister no longer has`
    if (problem || !canister) {
      core.warning(`The guarded-canisters state for ${inert(id, 100)} ${problem}: ignored.`)
      continue
    }
    const label = canister.name ? `${canister.name} (${id})` : id
    kept.push({ id, label, snapshotId, moduleHash })
  }
  return kept.length > 0 ? { scope: guard.scope === 'deploy' ? 'deploy' : 'job', canisters: kept } : undefined
}
