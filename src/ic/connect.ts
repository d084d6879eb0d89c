import * as core from '@actions/core'
import { HttpAgent, type SignIdentity } from '@icp-sdk/core/agent'
import { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import { ActionError, describe } from './errors.js'

/** Where the action talks to: mainnet through its boundary nodes, or a URL (a local or test network). */
export type Network = { kind: 'ic' } | { kind: 'url'; url: string; rootKey?: Uint8Array }

export const MAINNET_URL = 'https://icp-api.io'

export interface IcConnection {
  agent: HttpAgent
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
export async function connect(network: Network, identity: SignIdentity): Promise<IcConnection> {
  const host = network.kind === 'ic' ? MAINNET_URL : network.url
  let agent: HttpAgent
  try {
    agent = await HttpAgent.create({
      host,
      identity,
      verifyQuerySignatures: true,
      // withRetry owns retrying, with its backoff and its log line: agent-js's own retries (3 by default) would
      // multiply with it, up to 20 HTTP attempts per call, and hide what happened.
      retryTimes: 0,
      ...(network.kind === 'url' && network.rootKey ? { rootKey: network.rootKey } : {}),
      shouldFetchRootKey: network.kind === 'url' && !network.rootKey
    })
  } catch (error) {
    throw new ActionError(`Could not reach the network at ${host} to read its root key: ${describe(error)}`)
  }
  if (network.kind === 'url' && !network.rootKey) {
    core.warning(`Trusting the root key that ${host} reported about itself; pass 'root-key' to pin it.`)
  }
  return { agent, management: IcManagementCanister.create({ agent }), network }
}
