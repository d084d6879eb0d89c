// The shape of a management method's implementation.
import type { Principal } from '@icp-sdk/core/principal'
import type { ArgsOf, ManagementMethod, ResultOf } from './candid.js'
import type { Subnet } from './subnet.js'

export interface CallContext {
  subnet: Subnet
  sender: Principal
}

/** A reply that comes later (stop_canister on a canister held in Stopping); the call stays pending. */
export class Deferred<T> {
  constructor(readonly reply: Promise<T>) {}
}

type Answer<T> = T | Deferred<T>

/** Returns the method's result or throws a Rejection. */
export type Handler<M extends ManagementMethod> = (
  call: CallContext,
  args: ArgsOf<M>
) => Answer<ResultOf<M>> | Promise<Answer<ResultOf<M>>>

export type Handlers<K extends ManagementMethod> = { [M in K]: Handler<M> }
