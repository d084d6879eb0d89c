import * as core from '@actions/core'
import type { SignIdentity } from '@icp-sdk/core/agent'
import { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import { ActionError, describe } from './errors.js'
import { ActionAgent } from './action-agent.js'

/** Where the action talks to: mainnet through its boundary nodes, or a URL (a local or test network). */
export type Network = { kind: 'ic' } | { kind: 'url'; url: string; rootKey?: Uint8Array }

export const MAINNET_URL = 'https://icp-api.io'

export interface IcConnection {
  agent: ActionAgent
  management: IcManagementCanister
  network: Network
}

export function networkLabel(network: Network): string {
  return network.kind === 'ic' ? 'ic (mainnet)' : network.url
}

/**
 * Certificates and query signatures are always verified: against the mainnet root key built into the
 * agent, the `root-key` input, or the key a URL network reports about itself.
 */
export async function connect(
  network: Network,
  identity: SignIdentity,
  // The transport; tests pass one that rewrites what the network answers.
  options: { fetch?: typeof fetch } = {}
): Promise<IcConnection> {
  const host = network.kind === 'ic' ? MAINNET_URL : network.url
  let agent: ActionAgent
  const shouldFetchRootKey = network.kind === 'url' && !network.rootKey
  try {
    // Not HttpAgent.create, which builds a plain HttpAgent; the root key it would read first is read here,
    // so that an unreachable network fails with its own line.
    agent = new ActionAgent({
      host,
      identity,
      verifyQuerySignatures: true,
      // withRetry owns retrying, with its backoff and its log line: agent-js's own retries (3 by default) would
      // multiply with it, up to 20 HTTP attempts per call, and hide what happened.
      retryTimes: 0,
      ...(network.kind === 'url' && network.rootKey ? { rootKey: network.rootKey } : {}),
      shouldFetchRootKey,
      ...(options.fetch ? { fetch: options.fetch } : {})
    })
    if (shouldFetchRootKey) await agent.fetchRootKey()
  } catch (error) {
    throw new ActionError(`Could not reach the network at ${host} to read its root key: ${describe(error)}`)
  }
  if (shouldFetchRootKey) {
    core.warning(`Trusting the root key that ${host} reported about itself; pass 'root-key' to pin it.`)
  }
  return { agent, management: IcManagementCanister.create({ agent }), network }
}
