// An update call with raw Candid bytes whose reply is read from its certificate, checked with the action's
// own BLS verification (bls-verify.ts): the snapshot data calls a transfer makes by the thousand, and the
// health check's call (replicated, so it works for query and update methods alike). The certificate's tree,
// time and delegation checks are agent-js's own (Certificate.create).
import {
  Certificate,
  CertifiedRejectErrorCode,
  isV2ResponseBody,
  isV3ResponseBody,
  lookupResultToBuffer,
  pollForResponse,
  RejectError,
  UncertifiedRejectUpdateErrorCode
} from '@dfinity/agent'
import { Principal } from '@dfinity/principal'
import { blsVerify } from './bls-verify.js'
import type { IcConnection } from './connect.js'

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
  const { agent } = connection
  const { requestId, response } = await agent.call(target, {
    methodName,
    arg,
    effectiveCanisterId: canisterId
  })
  if (isV2ResponseBody(response.body)) {
    const { reject_code, reject_message, error_code } = response.body
    throw RejectError.fromCode(
      new UncertifiedRejectUpdateErrorCode(requestId, reject_code, reject_message, error_code)
    )
  }
  if (!isV3ResponseBody(response.body)) {
    // Accepted but not answered in time: its status is read until it is.
    const { reply } = await pollForResponse(agent, canisterId, requestId, { blsVerify })
    return new Uint8Array(reply)
  }
  const certificate = await Certificate.create({
    certificate: response.body.certificate,
    rootKey: agent.rootKey as Uint8Array,
    canisterId,
    blsVerify,
    agent
  })
  const path = [new TextEncoder().encode('request_status'), requestId]
  const text = (name: string) => {
    const value = lookupResultToBuffer(certificate.lookup_path([...path, name]))
    return value ? new TextDecoder().decode(value) : undefined
  }
  const status = text('status')
  if (status === 'replied') {
    const reply = lookupResultToBuffer(certificate.lookup_path([...path, 'reply']))
    if (reply) return reply
  }
  if (status === 'rejected') {
    const code = lookupResultToBuffer(certificate.lookup_path([...path, 'reject_code']))
    throw RejectError.fromCode(
      new CertifiedRejectErrorCode(
        requestId,
        code?.[0] ?? 0,
        text('reject_message') ?? '',
        text('error_code')
      )
    )
  }
  // Certified as still processing (or done and pruned): its status is read until it is final.
  const { reply } = await pollForResponse(agent, canisterId, requestId, { blsVerify })
  return new Uint8Array(reply)
}
