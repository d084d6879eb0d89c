// A counter canister grown to the size under test and filled with xorshift output, which does not compress,
// then snapshotted: the snapshot's heap and stable memory are each half of the size.
import type { HttpAgent } from '@icp-sdk/core/agent'
import { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import { Principal } from '@icp-sdk/core/principal'
import { growAndFill } from '../__tests__/harness/agent.js'

const PAGE = 65536
// Pages 0 and 1 of the heap are the counter's own; grow_heap adds to them.
const FIXED_HEAP_PAGES = 2

export async function snapshotOfSize(agent: HttpAgent, canister: string, bytes: number): Promise<string> {
  const canisterId = Principal.fromText(canister)
  const half = Math.ceil(bytes / 2 / PAGE)
  await growAndFill(agent, canisterId, {
    stablePages: half,
    heapPages: Math.max(0, half - FIXED_HEAP_PAGES),
    seed: 0x5eedn
  })
  const ic = IcManagementCanister.create({ agent })
  await ic.stopCanister(canisterId)
  const { id } = await ic.takeCanisterSnapshot({ canisterId })
  await ic.startCanister(canisterId)
  return Buffer.from(id).toString('hex')
}

export async function deleteSnapshot(agent: HttpAgent, canister: string, snapshotId: string): Promise<void> {
  const ic = IcManagementCanister.create({ agent })
  await ic.deleteCanisterSnapshot({
    canisterId: Principal.fromText(canister),
    snapshotId: new Uint8Array(Buffer.from(snapshotId, 'hex'))
  })
}
