// Checks made for every canister before the first change, so that a group either starts cleanly or not at all.
import * as core from '@actions/core'
import type { Principal } from '@icp-sdk/core/principal'
import { ActionError } from '../ic/errors.js'
import type { CanisterFacts, Management, SnapshotInfo } from '../ic/management.js'

export interface Preflight {
  facts: CanisterFacts
  snapshots: SnapshotInfo[]
}

export async function preflight(
  management: Management,
  canisterId: Principal,
  caller: Principal,
  needs: { code: boolean }
): Promise<Preflight> {
  const id = canisterId.toText()
  const facts = await management.facts(canisterId)
  if (!facts.controllers.includes(caller.toText())) {
    throw new ActionError(
      `The identity ${caller.toText()} is not a controller of ${id}; its controllers are ${facts.controllers.join(', ') || 'none'}. Add it with 'icp canister settings update ${id} --add-controller ${caller.toText()}'.`
    )
  }
  if (needs.code && !facts.moduleHash) {
    throw new ActionError(`${id} has no code installed, so there is no state to snapshot or restore into.`)
  }
  const snapshots = await management.listSnapshots(canisterId)
  core.info(
    `${id}: controller check passed, module ${facts.moduleHash ? shortHash(facts.moduleHash) : 'none'}, ${snapshots.length} snapshot(s)`
  )
  return { facts, snapshots }
}

export function shortHash(hex: string): string {
  return `${hex.slice(0, 12)}…`
}
