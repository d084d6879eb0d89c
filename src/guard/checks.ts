// What guard-upgrade checks after a deploy, as the inputs describe it: the health method to call, the
// module the canister must run, and how often to try. The inputs floor reads them; the gates use them.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { Inputs } from '../constants.js'
import { InputError } from '../errors.js'

export interface HealthMethod {
  name: string
  argsText: string
  args: Uint8Array
  /** As the reply must decode, wire types annotated; undefined: any reply passes, a reject or trap fails. */
  expect?: string
}

export interface ExpectedModule {
  hash?: string
  wasmPath?: string
  /** Where the hash comes from, for messages: the input, or the wasm file. */
  source: string
}

/** The module hash the IC reports for the expected module: it hashes the module as installed, gzipped or not. */
export async function expectedModuleHash(expected: ExpectedModule): Promise<string> {
  if (expected.hash) return expected.hash
  let bytes: Buffer
  try {
    bytes = await readFile(expected.wasmPath as string)
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read'
    throw new InputError(
      Inputs.Wasm,
      `${expected.source} ${reason}; expected the Wasm module the deploy installs`
    )
  }
  const isWasm = bytes.subarray(0, 4).equals(Buffer.from('\0asm'))
  const isGzip = bytes[0] === 0x1f && bytes[1] === 0x8b
  if (!isWasm && !isGzip) {
    throw new InputError(Inputs.Wasm, `${expected.source} is neither a Wasm module nor a gzipped one`)
  }
  return createHash('sha256').update(bytes).digest('hex')
}

/** The checks the inputs ask for, in the words of a dry run's plan. */
export function describeChecks(guard: GuardInputs): string[] {
  return [
    guard.expectedModule && `module hash from ${guard.expectedModule.source}`,
    guard.healthMethod && `${guard.healthMethod.name}${guard.healthMethod.argsText}`,
    guard.healthCommand && `\`${guard.healthCommand}\``
  ].filter((check): check is string => Boolean(check))
}

export interface GuardInputs {
  /** Without it, the guard covers the rest of the job and the post step rolls back. */
  deploy?: string
  healthMethod?: HealthMethod
  healthCommand?: string
  expectedModule?: ExpectedModule
  retries: number
  delaySeconds: number
  keepSnapshot: boolean
}
