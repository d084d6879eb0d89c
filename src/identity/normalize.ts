// What people put in an `identity` secret, turned into PEM blocks (RFC 7468). Seen in the wild: the PEM as
// written (LF or CRLF), indented under a YAML block scalar, on one line with literal `\n` escapes (a JSON or
// .env value), its newlines turned into spaces, or the whole PEM base64-encoded to keep a secret on one line.
import { maskKeyMaterial } from './mask.js'
import { identityProblem } from './problems.js'

export interface PemBlock {
  /** The word(s) between `BEGIN ` and the dashes, e.g. 'EC PRIVATE KEY'. */
  label: string
  /** Names of RFC 1421 headers before the body: legacy OpenSSL encryption writes Proc-Type and DEK-Info. */
  headers: string[]
  der: Uint8Array
  /** The block re-armored canonically: base64 in 64 columns, LF line ends. */
  text: string
}

/** How the PEM was wrapped in the input, outermost first. */
export type Wrapping = 'base64-encoded' | '\\n-escaped'

export interface IdentityText {
  blocks: PemBlock[]
  wrappings: Wrapping[]
}

/** Base64 inside base64 is plausible (a secret encoded twice); three layers are not. */
const MAX_BASE64_LAYERS = 2

/** Masks each text it derives from `input`; `input` itself is the caller's to mask. */
export function normalizeIdentityInput(input: string): IdentityText {
  const wrappings: Wrapping[] = []
  let text = input.trim()
  for (let layers = 0; ; layers++) {
    text = unquote(text)
    // A PEM never contains a backslash, so escapes can only come from how the secret was stored.
    if (/\\[nr]/.test(text)) {
      text = text.replace(/\\r/g, '\r').replace(/\\n/g, '\n').replace(/\\\//g, '/')
      wrappings.push('\\n-escaped')
      maskKeyMaterial({ texts: [text] })
    }
    if (text.includes('-----BEGIN')) break
    const decoded = layers < MAX_BASE64_LAYERS ? decodeBase64(text) : undefined
    if (decoded?.text === undefined) throw identityProblem(describeNonPem(text, decoded !== undefined))
    maskKeyMaterial({ texts: [decoded.text] })
    wrappings.push('base64-encoded')
    text = decoded.text.trim()
  }
  const blocks = readPemBlocks(text)
  maskKeyMaterial({ texts: blocks.map(block => block.text), bytes: blocks.map(block => block.der) })
  return { blocks, wrappings }
}

/** A JSON string value pasted with its quotes. */
function unquote(text: string): string {
  const quoted = text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.endsWith(text[0])
  return quoted ? text.slice(1, -1).trim() : text
}

/**
 * undefined: not base64 at all; { text: undefined }: base64 of binary data. Lines may break the base64 (as
 * `base64` wraps at 76 columns; YAML may indent them) but spaces may not, or a run of words would pass for it.
 */
function decodeBase64(text: string): { text?: string } | undefined {
  const compact = text
    .split(/\r\n|\r|\n/)
    .map(line => line.trim())
    .join('')
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact) || compact.length % 4 === 1) return undefined
  const decoded = Buffer.from(compact, 'base64').toString('utf8')
  // Text (a PEM, or base64 again) is printable; a key's DER or random bytes are not.
  return /^[\x20-\x7e\t\r\n]+$/.test(decoded) ? { text: decoded } : {}
}

/** Names what a text with no PEM in it looks like, from its shape only. */
function describeNonPem(text: string, isBase64: boolean): string {
  if (text === '') return 'found an empty value'
  if (text.includes('-----END')) return 'found a PEM END line with no BEGIN line (truncated?)'
  if (/^[[{]/.test(text)) return 'found JSON (an exported agent-js identity?), not a PEM'
  if (/^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-\S+|sk-\S+) /.test(text)) {
    return 'found an OpenSSH public key line, not a private key'
  }
  if (/^[a-z]+(\s+[a-z]+){11,23}$/.test(text)) return 'found a list of words (a seed phrase?), not a PEM'
  if (isBase64) return 'found base64 text that decodes to binary data, not to a PEM'
  return "found no PEM '-----BEGIN' line"
}

const BLOCK = /-----BEGIN ([^\r\n-]*)-----([\s\S]*?)-----END ([^\r\n-]*)-----/g

function readPemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = []
  let rest = text
  for (const match of text.matchAll(BLOCK)) {
    const [, label, body, endLabel] = match
    // A BEGIN inside the body means this block's END line is missing and the next block's END was found.
    if (body.includes('-----BEGIN')) throw identityProblem(`found a PEM '${label}' block with no END line`)
    if (endLabel !== label) {
      throw identityProblem(`found a PEM block that begins as '${label}' but ends as '${endLabel}'`)
    }
    blocks.push(readBody(label, body))
    rest = text.slice(match.index + match[0].length)
  }
  const unterminated = /-----BEGIN ([^\r\n-]*)-----/.exec(rest)
  if (unterminated) {
    throw identityProblem(`found a PEM '${unterminated[1]}' block with no END line (truncated?)`)
  }
  return blocks
}

function readBody(label: string, body: string): PemBlock {
  const lines = body
    .split(/\r\n|\r|\n/)
    .map(line => line.trim())
    .filter(line => line !== '')
  const headers: string[] = []
  while (lines.length > 0 && /^[A-Za-z0-9-]+:/.test(lines[0])) headers.push(lines.shift()!.split(':')[0])
  const base64 = lines.join('').replace(/\s+/g, '')
  if (base64 === '') throw identityProblem(`found a PEM '${label}' block with an empty body`)
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    throw identityProblem(
      `found a PEM '${label}' block whose body is not valid base64 (corrupted or truncated?)`
    )
  }
  const der = new Uint8Array(Buffer.from(base64, 'base64'))
  const wrapped = base64.match(/.{1,64}/g)!.join('\n')
  return { label, headers, der, text: `-----BEGIN ${label}-----\n${wrapped}\n-----END ${label}-----\n` }
}
