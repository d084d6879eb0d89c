// Every identity a test makes is registered here with each form its key could leak in: the PEM's body
// lines, the DER in base64 and hex, the raw private key in hex and base64 and as bytes. Every step the
// runner runs, and every file its job leaves in the workspace and RUNNER_TEMP, is searched for all of them.
import { createPrivateKey } from 'node:crypto'

interface KeyForms {
  texts: string[]
  raw: Buffer
}

const keys: KeyForms[] = []
const seen = new Set<string>()
// Shorter PEM lines (the last one of a block) could turn up by chance in megabytes of snapshot data.
const MIN_TEXT = 16

/** Registers a fixture's key; a PEM Node cannot read (a corrupted one) has no key to leak. */
export function registerKey(pem: string, password?: string): void {
  if (seen.has(pem)) return
  seen.add(pem)
  let key
  try {
    key = createPrivateKey(password ? { key: pem, passphrase: password } : pem)
  } catch {
    return
  }
  const raw = Buffer.from(key.export({ format: 'jwk' }).d as string, 'base64url')
  const der = key.export({ format: 'der', type: 'pkcs8' })
  const body = pem.split(/\r?\n/).filter(line => line && !line.startsWith('-----') && !line.includes(':'))
  const texts = [
    ...body,
    body.join(''),
    raw.toString('hex'),
    raw.toString('base64'),
    der.toString('base64'),
    der.toString('hex')
  ].filter(text => text.length >= MIN_TEXT)
  keys.push({ texts, raw })
}

/** Where `data` holds a registered key, as "<form> of key <n>"; undefined when it holds none. */
export function findKeyMaterial(data: string | Buffer): string | undefined {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data
  for (const [n, key] of keys.entries()) {
    if (bytes.includes(key.raw)) return `the raw private key bytes of key ${n + 1}`
    const text = typeof data === 'string' ? data : data.toString('latin1')
    const form = key.texts.findIndex(t => text.includes(t))
    if (form >= 0) return `form ${form + 1} (PEM line, DER or raw key text) of key ${n + 1}`
  }
  return undefined
}

export function registeredKeyCount(): number {
  return keys.length
}
