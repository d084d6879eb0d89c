// Clients of the replica built exactly as a user's code builds them: @icp-sdk/core with full
// certificate and query-signature verification, and @icp-sdk/canisters' IcManagementCanister on top.
import { Actor, HttpAgent, type ActorSubclass, type Identity } from '@icp-sdk/core/agent'
import { IDL } from '@icp-sdk/core/candid'
import { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import type { Principal } from '@icp-sdk/core/principal'
import type { Replica } from './replica/replica.js'

export async function agentFor(
  replica: Pick<Replica, 'url' | 'rootKey'>,
  identity?: Identity,
  fetchImpl?: typeof fetch
): Promise<HttpAgent> {
  return HttpAgent.create({
    host: replica.url,
    identity,
    rootKey: replica.rootKey,
    verifyQuerySignatures: true,
    retryTimes: 0,
    ...(fetchImpl ? { fetch: fetchImpl } : {})
  })
}

export function managementFor(agent: HttpAgent): IcManagementCanister {
  return IcManagementCanister.create({ agent })
}

/** The Candid interface of the WAT counter in __tests__/harness/canisters/counter.wat. */
export interface Counter {
  inc(): Promise<bigint>
  set(value: bigint): Promise<void>
  get(): Promise<bigint>
  get_stable(): Promise<bigint>
  health(): Promise<string>
}

const counterIdl: IDL.InterfaceFactory = ({ IDL }) =>
  IDL.Service({
    inc: IDL.Func([], [IDL.Nat64], []),
    set: IDL.Func([IDL.Nat64], [], []),
    get: IDL.Func([], [IDL.Nat64], ['query']),
    get_stable: IDL.Func([], [IDL.Nat64], ['query']),
    health: IDL.Func([], [IDL.Text], ['query'])
  })

export function counterFor(agent: HttpAgent, canisterId: Principal): ActorSubclass<Counter> {
  return Actor.createActor<Counter>(counterIdl, { agent, canisterId })
}

interface Grower {
  grow_stable(pages: bigint): Promise<bigint>
  grow_heap(pages: bigint): Promise<bigint>
  fill(seed: bigint): Promise<void>
}

const growerIdl: IDL.InterfaceFactory = ({ IDL }) =>
  IDL.Service({
    grow_stable: IDL.Func([IDL.Nat64], [IDL.Nat64], []),
    grow_heap: IDL.Func([IDL.Nat64], [IDL.Nat64], []),
    fill: IDL.Func([IDL.Nat64], [], [])
  })

/**
 * Grows the WAT counter's stable memory and heap by the given 64 KiB pages and fills them with xorshift
 * output, which does not compress, so that its snapshot is that big.
 */
export async function growAndFill(
  agent: HttpAgent,
  canisterId: Principal,
  size: { stablePages?: number; heapPages?: number; seed?: bigint }
): Promise<void> {
  const grower = Actor.createActor<Grower>(growerIdl, { agent, canisterId })
  if (size.stablePages) await grower.grow_stable(BigInt(size.stablePages))
  if (size.heapPages) await grower.grow_heap(BigInt(size.heapPages))
  if (size.stablePages || size.heapPages) await grower.fill(size.seed ?? 7n)
}
