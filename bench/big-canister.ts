// A counter canister grown to the size under test and filled with xorshift output, which does not compress,
// then snapshotted: the snapshot's heap and stable memory are each half of the size.
import { Actor, type HttpAgent } from '@dfinity/agent'
import { IDL } from '@dfinity/candid'
import { ICManagementCanister } from '@dfinity/ic-management'
import { Principal } from '@dfinity/principal'

const PAGE = 65536
// Pages 0 and 1 of the heap are the counter's own; grow_heap adds to them.
const FIXED_HEAP_PAGES = 2

interface Grower {
  grow_heap(pages: bigint): Promise<bigint>
  grow_stable(pages: bigint): Promise<bigint>
  fill(seed: bigint): Promise<void>
}

const growerIdl: IDL.InterfaceFactory = ({ IDL }) =>
  IDL.Service({
    grow_heap: IDL.Func([IDL.Nat64], [IDL.Nat64], []),
    grow_stable: IDL.Func([IDL.Nat64], [IDL.Nat64], []),
    fill: IDL.Func([IDL.Nat64], [], [])
  })

export async function snapshotOfSize(agent: HttpAgent, canister: string, bytes: number): Promise<string> {
  const canisterId = Principal.fromText(canister)
  const grower = Actor.createActor<Grower>(growerIdl, { agent, canisterId })
  const half = Math.ceil(bytes / 2 / PAGE)
  await grower.grow_heap(BigInt(Math.max(0, half - FIXED_HEAP_PAGES)))
  await grower.grow_stable(BigInt(half))
  await grower.fill(0x5eedn)
  const ic = ICManagementCanister.create({ agent })
  await ic.stopCanister(canisterId)
  const { id } = await ic.takeCanisterSnapshot({ canisterId })
  await ic.startCanister(canisterId)
  return Buffer.from(id).toString('hex')
}

export async function deleteSnapshot(agent: HttpAgent, canister: string, snapshotId: string): Promise<void> {
  const ic = ICManagementCanister.create({ agent })
  await ic.deleteCanisterSnapshot({
    canisterId: Principal.fromText(canister),
    snapshotId: new Uint8Array(Buffer.from(snapshotId, 'hex'))
  })
}
