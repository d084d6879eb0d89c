// The cycles preflight: before the first canister stops (or the first byte is uploaded), each canister's
// balance must cover what the step burns and keep it above its freezing threshold afterwards. A canister that
// cannot pay would fail half-way on the IC (IC0207 out of cycles, IC0532 insufficient cycles to grow memory);
// here it fails at once, with the amount to add, and nothing has changed.
import * as core from '@actions/core'
import type { Principal } from '@icp-sdk/core/principal'
import { estimateCost, formatCycles, topUpAmount, type StepWork } from '../ic/cycles.js'
import { ActionError } from '../ic/errors.js'
import type { Management } from '../ic/management.js'

export interface CyclesCheck {
  canisterId: Principal
  label: string
  work: StepWork
}

/** Checks every canister first, so that a group fails before any of it is touched. */
export async function checkCycles(management: Management, checks: CyclesCheck[]): Promise<void> {
  for (const { canisterId, label, work } of checks) {
    const { cyclesFacts: facts } = await management.status(canisterId)
    const estimate = estimateCost(facts, work)
    const breakdown = estimate.parts.map(p => `${p.label}: ${formatCycles(p.cycles)}`).join(', ')
    if (estimate.shortfall > 0n) {
      throw new ActionError(
        `${label} holds ${formatCycles(facts.cycles)} cycles, but this step needs about ${formatCycles(estimate.required)} ` +
          `(${breakdown}, and ${formatCycles(estimate.threshold)} kept back by its freezing threshold of ${facts.freezingThresholdSeconds} s); ` +
          `add at least ${formatCycles(estimate.shortfall)} cycles with 'icp canister top-up --amount ${topUpAmount(estimate.shortfall)} ${canisterId.toText()} -n ic' and run the step again. Nothing was stopped or changed.`
      )
    }
    core.info(
      `${label}: cycles check passed, ${formatCycles(facts.cycles)} held, about ${formatCycles(estimate.required)} needed (${breakdown}, freezing threshold ${formatCycles(estimate.threshold)})`
    )
  }
}

/** A snapshot of the canister's current state, replacing `replacedBytes` of an older one if any. */
export function takeWork(replacedBytes = 0n): StepWork {
  return { takes: 1, loads: 0, freedBytes: replacedBytes }
}
