import { ActionError, describe } from '../ic/errors.js'

/** A transfer that stopped; the message says what is kept on disk and how to continue. */
export class TransferError extends ActionError {
  constructor(message: string) {
    super(message)
    this.name = 'TransferError'
  }
}

/** One step of a transfer that failed, named: "reading stable_memory at 4000000: HTTP 503 …". */
export class TransferStepError extends ActionError {
  constructor(
    step: string,
    override readonly cause: unknown
  ) {
    super(`${step}: ${describe(cause)}`)
    this.name = 'TransferStepError'
  }
}

export async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw new TransferStepError(name, error)
  }
}
