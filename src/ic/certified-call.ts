// An update call with raw Candid bytes whose certified reply is returned, through the action's agent
// (action-agent.ts: its BLS check, and the reply leaf hashed natively): the snapshot data calls a transfer
// makes by the thousand, and the health check's call (replicated, so it works for query and update methods
// alike). HttpAgent.update does the rest (@icp-sdk/core 5.x, agent/agent/http/index.ts): the v4 synchronous
// call, the certificate's tree, time and delegation checks, the reply or the certified reject read from it,
// and polling read_state when the call was only accepted (202) or its status is missing from the certificate.
import { Principal } from '@icp-sdk/core/principal'
import type { IcConnection } from './connect.js'
import { ActionError } from './errors.js'

/** Calls the management canister about `canisterId`; resolves with the certified reply. */
export function certifiedManagementCall(
  connection: IcConnection,
  canisterId: Principal,
  methodName: string,
  arg: Uint8Array
): Promise<Uint8Array> {
  return certifiedCall(connection, Principal.managementCanister(), canisterId, methodName, arg)
}

/** Calls `methodName` of `target` (routed by `canisterId`); resolves with the certified reply. */
export async function certifiedCall(
  connection: IcConnection,
  target: Principal,
  canisterId: Principal,
  methodName: string,
  arg: Uint8Array
): Promise<Uint8Array> {
  const reply = await connection.agent.certifiedUpdate(target, {
    methodName,
    arg,
    effectiveCanisterId: canisterId
  })
  // A certificate that says `replied` but holds no reply: nothing to decode, and not worth another try.
  if (!reply)
    throw new ActionError(`${methodName} was certified as replied, but the certificate has no reply`)
  return reply
}
