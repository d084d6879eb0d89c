// The checks that decide whether a deploy stands: each is tried again after `health-delay` seconds, up to
// `health-retries` more times, since a canister may need a moment after an upgrade; the first gate that
// still fails ends the checking.
import * as core from '@actions/core'
import type { Principal } from '@icp-sdk/core/principal'
import { Inputs } from '../constants.js'
import { expectedModuleHash, type GuardInputs } from './checks.js'
import { certifiedCall } from '../ic/certified-call.js'
import type { IcConnection } from '../ic/connect.js'
import { asRejectError, describe, IcRejectError, oneLine } from '../ic/errors.js'
import type { Management } from '../ic/management.js'
import { decodeCandid } from './candid-text.js'
import { runCommand } from './shell.js'
import { shortened, type Timeline } from './timeline.js'

export type CheckName = 'deploy' | 'module-hash' | 'health-method' | 'health-command'

export interface Gate {
  check: CheckName
  label: string
  /** Resolves with what was seen when the check passes; rejects with GateFailure when it does not. */
  attempt(): Promise<string>
}

export class GateFailure extends Error {}

export interface FailedCheck {
  check: CheckName
  label: string
  detail: string
}

export interface GuardedTarget {
  canisterId: Principal
  label: string
}

export function buildGates(
  guard: GuardInputs,
  targets: GuardedTarget[],
  ic: { management: Management; connection: IcConnection }
): Gate[] {
  const gates: Gate[] = []
  const { expectedModule, healthMethod, healthCommand } = guard
  if (expectedModule) {
    for (const target of targets) {
      gates.push({
        check: 'module-hash',
        label: `Module hash of ${target.label}`,
        async attempt() {
          const expected = await expectedModuleHash(expectedModule)
          const { moduleHash } = await ic.management.status(target.canisterId)
          if (moduleHash !== expected) {
            throw new GateFailure(
              `runs ${moduleHash ?? 'no module'}, expected ${expected} from ${expectedModule.source}`
            )
          }
          return `runs ${expected}`
        }
      })
    }
  }
  if (healthMethod) {
    for (const target of targets) {
      gates.push({
        check: 'health-method',
        label: `${healthMethod.name}${healthMethod.argsText} on ${target.label}`,
        async attempt() {
          let reply: string
          const { canisterId } = target
          try {
            reply = decodeCandid(
              await certifiedCall(ic.connection, canisterId, canisterId, healthMethod.name, healthMethod.args)
            )
          } catch (raw) {
            const error = asRejectError(`${healthMethod.name} on ${canisterId.toText()}`, raw)
            throw new GateFailure(error instanceof IcRejectError ? rejectedBecause(error) : describe(error))
          }
          if (healthMethod.expect !== undefined && reply !== healthMethod.expect) {
            throw new GateFailure(
              `replied ${reply}, expected ${healthMethod.expect} ('${Inputs.HealthExpect}')`
            )
          }
          return `replied ${reply}`
        }
      })
    }
  }
  if (healthCommand) {
    gates.push({
      check: 'health-command',
      label: `Command: ${shortened(healthCommand)}`,
      async attempt() {
        core.info(`Running ${Inputs.HealthCommand}: ${healthCommand}`)
        const { exitCode, signal } = await runCommand(healthCommand)
        if (exitCode !== 0) throw new GateFailure(exitDescription(exitCode, signal))
        return 'exited with 0'
      }
    })
  }
  return gates
}

export async function runGates(
  gates: Gate[],
  policy: { retries: number; delaySeconds: number },
  timeline: Timeline
): Promise<FailedCheck | undefined> {
  for (const [index, gate] of gates.entries()) {
    const startedAt = Date.now()
    const outcome = await attemptWithRetries(gate, policy)
    if (outcome.passed) {
      timeline.add(gate.label, 'passed', attemptsNote(outcome.detail, outcome.attempts), startedAt)
      continue
    }
    timeline.add(gate.label, 'failed', attemptsNote(outcome.detail, outcome.attempts), startedAt)
    for (const skipped of gates.slice(index + 1))
      timeline.add(skipped.label, 'skipped', 'an earlier check failed')
    return { check: gate.check, label: gate.label, detail: outcome.detail }
  }
  return undefined
}

async function attemptWithRetries(
  gate: Gate,
  policy: { retries: number; delaySeconds: number }
): Promise<{ passed: boolean; detail: string; attempts: number }> {
  const attempts = policy.retries + 1
  for (let attempt = 1; ; attempt++) {
    try {
      return { passed: true, detail: await gate.attempt(), attempts: attempt }
    } catch (error) {
      const detail = describe(error)
      if (attempt >= attempts) return { passed: false, detail, attempts: attempt }
      core.info(
        `${gate.label}: ${detail} (attempt ${attempt} of ${attempts}); trying again in ${policy.delaySeconds} s`
      )
      await new Promise(resolve => setTimeout(resolve, policy.delaySeconds * 1000))
    }
  }
}

function attemptsNote(detail: string, attempts: number): string {
  return attempts > 1 ? `${detail}; attempt ${attempts}` : detail
}

// "Error from Canister <id>: " repeats what the check's label already says.
function rejectedBecause(error: IcRejectError): string {
  const message = oneLine(error.rejectMessage).replace(/^Error from Canister [\w-]+: /, '')
  return `rejected (${error.errorCode ?? `reject code ${error.rejectCode}`}): ${message}`
}

export function exitDescription(exitCode: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `ended by ${signal}` : `exited with ${exitCode}`
}
