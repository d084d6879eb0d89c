// Inputs of guard-upgrade: what to deploy and how to tell that the deploy worked.
import { resolve } from 'node:path'
import { Inputs } from '../constants.js'
import { InputError } from '../errors.js'
import { CandidTextError, canonicalCandid, encodeCandidText } from '../guard/candid-text.js'
import type { ExpectedModule, GuardInputs, HealthMethod } from '../guard/checks.js'
import { getBoolean, getTrimmed, getWholeNumber } from './helpers.js'

export const DEFAULT_HEALTH_RETRIES = 3
export const DEFAULT_HEALTH_DELAY_SECONDS = 5

export function readGuardInputs(): GuardInputs {
  return {
    deploy: getTrimmed(Inputs.Deploy) || undefined,
    healthMethod: readHealthMethod(),
    healthCommand: getTrimmed(Inputs.HealthCommand) || undefined,
    expectedModule: readExpectedModule(),
    retries: getWholeNumber(Inputs.HealthRetries, { min: 0, max: 100 }, DEFAULT_HEALTH_RETRIES) as number,
    delaySeconds: getWholeNumber(
      Inputs.HealthDelay,
      { min: 0, max: 3600 },
      DEFAULT_HEALTH_DELAY_SECONDS
    ) as number,
    keepSnapshot: getBoolean(Inputs.KeepSnapshot, true)
  }
}

/** Names of the guard inputs given, for refusing them where they do not apply. */
export function guardInputsGiven(guard: GuardInputs): string[] {
  return [
    guard.deploy && Inputs.Deploy,
    guard.healthMethod && Inputs.HealthMethod,
    guard.healthCommand && Inputs.HealthCommand,
    guard.expectedModule && (guard.expectedModule.wasmPath ? Inputs.Wasm : Inputs.ExpectedModuleHash)
  ].filter((name): name is Inputs => Boolean(name))
}

function readHealthMethod(): HealthMethod | undefined {
  const name = getTrimmed(Inputs.HealthMethod)
  const argsText = getTrimmed(Inputs.HealthArgs)
  const expectText = getTrimmed(Inputs.HealthExpect)
  if (name === '') {
    const orphan = argsText ? Inputs.HealthArgs : expectText ? Inputs.HealthExpect : undefined
    if (orphan) throw new InputError(orphan, `needs '${Inputs.HealthMethod}': the method to call`)
    return undefined
  }
  if (/[\s\p{Cc}]/u.test(name) || name.length > 1000) {
    throw new InputError(Inputs.HealthMethod, `'${name}' is not a method name; expected a name like 'health'`)
  }
  return {
    name,
    argsText: argsText || '()',
    args: candid(Inputs.HealthArgs, argsText, encodeCandidText),
    expect: expectText ? candid(Inputs.HealthExpect, expectText, canonicalCandid) : undefined
  }
}

function candid<T>(input: string, text: string, parse: (text: string) => T): T {
  try {
    return parse(text)
  } catch (error) {
    if (!(error instanceof CandidTextError)) throw error
    throw new InputError(input, `'${text}' is not Candid text (${error.message}); expected e.g. '("ok")'`)
  }
}

function readExpectedModule(): ExpectedModule | undefined {
  const hashText = getTrimmed(Inputs.ExpectedModuleHash)
  const wasm = getTrimmed(Inputs.Wasm)
  if (hashText && wasm) {
    throw new InputError(
      Inputs.Wasm,
      `cannot be combined with '${Inputs.ExpectedModuleHash}'; give one of them`
    )
  }
  if (hashText) {
    // icp-cli prints module hashes with 0x; the IC's own form is plain hex.
    const hash = hashText.toLowerCase().replace(/^0x/, '')
    if (!/^[0-9a-f]{64}$/.test(hash)) {
      throw new InputError(
        Inputs.ExpectedModuleHash,
        `'${hashText}' is not a module hash; expected 64 hex characters (SHA-256), as 'icp canister status' prints it`
      )
    }
    return { hash, source: `'${Inputs.ExpectedModuleHash}'` }
  }
  if (!wasm) return undefined
  // Read after the deploy, which may be what builds it.
  return {
    wasmPath: resolve(process.env.GITHUB_WORKSPACE || process.cwd(), wasm),
    source: `'${Inputs.Wasm}' (${wasm})`
  }
}
