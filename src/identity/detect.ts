// Picks the one private key out of the PEM blocks and names its container: dfx writes SEC1 `EC PRIVATE KEY`
// (after an `EC PARAMETERS` block when made with `openssl ecparam` without -noout), icp-cli and OpenSSL write
// PKCS#8 `PRIVATE KEY`, and PKCS#8 under a password is `ENCRYPTED PRIVATE KEY` (RFC 7468 §10, §11).
import type { PemBlock } from './normalize.js'
import { identityProblem } from './problems.js'

export type Container = 'sec1' | 'pkcs8' | 'encrypted-pkcs8'

export interface KeyBlock {
  container: Container
  block: PemBlock
}

const CONTAINERS: Record<string, Container> = {
  'EC PRIVATE KEY': 'sec1',
  'PRIVATE KEY': 'pkcs8',
  'ENCRYPTED PRIVATE KEY': 'encrypted-pkcs8'
}

/** Private key labels of other formats, with what they are. */
const FOREIGN_KEYS: Record<string, string> = {
  'RSA PRIVATE KEY': 'an RSA key',
  'DSA PRIVATE KEY': 'a DSA key',
  'OPENSSH PRIVATE KEY': "a key in OpenSSH's own format"
}

export function findPrivateKeyBlock(blocks: readonly PemBlock[]): KeyBlock {
  const keys = blocks.filter(block => block.label.endsWith('PRIVATE KEY'))
  if (keys.length === 0) throw identityProblem(describeKeyless(blocks))
  if (keys.length > 1) {
    throw identityProblem(`found ${keys.length} private key PEM blocks (${quoteLabels(keys)}), not one`)
  }
  const [block] = keys
  // RFC 1421 headers mean OpenSSL's legacy per-block encryption (`openssl ec -aes256`).
  if (block.headers.includes('Proc-Type')) {
    throw identityProblem(
      `found a PEM '${block.label}' block encrypted the legacy OpenSSL way (Proc-Type header); ` +
        "re-encrypt it as PKCS#8 with 'openssl pkcs8 -topk8'"
    )
  }
  const container = CONTAINERS[block.label]
  if (container === undefined) {
    const what = FOREIGN_KEYS[block.label]
    throw identityProblem(
      `found a PEM '${block.label}' block${what ? ` (${what})` : ''}, not a supported key format`
    )
  }
  return { container, block }
}

function describeKeyless(blocks: readonly PemBlock[]): string {
  const labels = [...new Set(blocks.map(block => block.label))]
  if (labels.length === 1 && labels[0] === 'EC PARAMETERS') {
    return "found only a PEM 'EC PARAMETERS' block (curve parameters), no private key"
  }
  if (labels.length === 1) return `found a PEM '${labels[0]}' block, not a private key`
  return `found PEM blocks ${quoteLabels(blocks)}, none of them a private key`
}

function quoteLabels(blocks: readonly PemBlock[]): string {
  return [...new Set(blocks.map(block => `'${block.label}'`))].join(', ')
}
