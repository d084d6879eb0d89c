// Routes an ingress message to the management canister: decodes the Candid argument, checks the effective
// canister id, runs the method and encodes its reply.
import type { Principal } from '@icp-sdk/core/principal'
import type { Ingress, Outcome } from '../types.js'
import { decodeArgs, encodeResult, isManagementMethod, type ManagementMethod } from './candid.js'
import { chunks } from './chunk-methods.js'
import { errors, Rejection } from './errors.js'
import { Deferred, type Handler, type Handlers } from './handler.js'
import { lifecycle } from './lifecycle.js'
import { snapshots } from './snapshots.js'
import type { Subnet } from './subnet.js'

const handlers: Handlers<ManagementMethod> = { ...lifecycle, ...chunks, ...snapshots }

/** Methods whose argument names no canister; any effective canister id is accepted for them. */
const ANY_EFFECTIVE_ID = new Set<ManagementMethod>([
  'create_canister',
  'provisional_create_canister_with_cycles',
  'raw_rand'
])

/** interface spec, "Effective canister id": the canister the argument names. */
function targetOf(method: ManagementMethod, args: unknown): Principal | undefined {
  if (ANY_EFFECTIVE_ID.has(method)) return undefined
  const record = args as { canister_id?: Principal; target_canister?: Principal }
  return method === 'install_chunked_code' ? record.target_canister : record.canister_id
}

/** An outcome now, or one that comes later while the call stays pending. */
export type Answer = Outcome | Deferred<Outcome>

export async function callManagement(
  subnet: Subnet,
  ingress: Ingress,
  kind: 'update' | 'query'
): Promise<Answer> {
  try {
    const method = ingress.methodName
    if (!isManagementMethod(method)) throw errors.unknownMethod(method)
    // ic.did marks canister_status as the management canister's only query this replica serves.
    if (kind === 'query' && method !== 'canister_status') throw errors.notAQueryMethod(method)
    let args: unknown
    try {
      args = decodeArgs(method, ingress.arg)
    } catch (error) {
      throw errors.invalidPayload(error instanceof Error ? error.message : String(error))
    }
    const target = targetOf(method, args)
    if (target && target.compareTo(ingress.effectiveCanisterId) !== 'eq')
      throw errors.effectiveIdMismatch(target, ingress.effectiveCanisterId)
    const handler = handlers[method] as Handler<typeof method>
    const result = await handler({ subnet, sender: ingress.sender }, args as never)
    if (result instanceof Deferred)
      return new Deferred(result.reply.then(value => replied(method, value), rejected))
    return replied(method, result)
  } catch (error) {
    return rejected(error)
  }
}

function replied(method: ManagementMethod, value: unknown): Outcome {
  return { status: 'replied', reply: encodeResult(method, value as never) }
}

function rejected(error: unknown): Outcome {
  if (error instanceof Rejection) return error.outcome
  throw error
}
