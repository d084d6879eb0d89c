// A call to a canister method with raw Candid bytes: replicated (as an update), so the reply is certified
// by the subnet and works for both update and query methods.
import {
  isV2ResponseBody,
  pollForResponse,
  UncertifiedRejectUpdateErrorCode,
  RejectError
} from '@dfinity/agent'
import type { Principal } from '@dfinity/principal'
import type { IcConnection } from './connect.js'
import { asRejectError } from './errors.js'

export async function callMethod(
  connection: IcConnection,
  canisterId: Principal,
  methodName: string,
  arg: Uint8Array
): Promise<Uint8Array> {
  const operation = `${methodName} on ${canisterId.toText()}`
  try {
    const { agent } = connection
    const { requestId, response } = await agent.call(canisterId, {
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
    // The status of the request is read back (and its certificate checked) whether or not the call
    // endpoint already answered synchronously.
    const { reply } = await pollForResponse(agent, canisterId, requestId)
    return new Uint8Array(reply)
  } catch (error) {
    throw asRejectError(operation, error)
  }
}
