// Every form of a key file's secret that a log or an error message must never show, computed independently
// of src/identity (OpenSSL through node:crypto reads the key) so the tests check the code against the files.
import { createPrivateKey } from 'node:crypto'

export interface KeyMaterial {
  /** The text's non-empty lines, trimmed (the runner masks line by line). */
  lines: string[]
  /** Each PEM block's body joined, i.e. its DER in base64, and the same DER in hex. */
  derBase64: string[]
  derHex: string[]
  /** The Ed25519 seed or the EC scalar (or RSA's d), when OpenSSL can read the key. */
  privateKeyHex?: string
  privateKeyBase64?: string
}

export function keyMaterialOf(pem: string, password?: string): KeyMaterial {
  const bodies = [...pem.matchAll(/-----BEGIN [^-]+-----([\s\S]*?)-----END/g)].map(([, body]) =>
    Buffer.from(body.replace(/^[\w-]+:.*$/gm, '').replace(/\s+/g, ''), 'base64')
  )
  const material: KeyMaterial = {
    lines: pem
      .split(/\r?\n/)
      .map(line => line.trim())
      .filter(line => line !== ''),
    derBase64: bodies.map(der => der.toString('base64')),
    derHex: bodies.map(der => der.toString('hex'))
  }
  try {
    const { d } = createPrivateKey({ key: pem, format: 'pem', passphrase: password }).export({
      format: 'jwk'
    })
    if (typeof d === 'string') {
      const privateKey = Buffer.from(d, 'base64url')
      material.privateKeyHex = privateKey.toString('hex')
      material.privateKeyBase64 = privateKey.toString('base64')
    }
  } catch {
    // Not a key OpenSSL reads (an OpenSSH file, a certificate…): its lines and DER are still checked.
  }
  return material
}

/**
 * Each secret form of `input` by name, so that a failing test names the form and never prints the key.
 * `minLength` drops forms too short to tell a leak from chance (a PEM's last line can be four characters,
 * which English text may spell).
 */
export function namedSecrets(input: string, material: KeyMaterial, minLength = 1): Map<string, string> {
  const secrets = new Map<string, string | undefined>([
    ['the input as given', input],
    ['the input trimmed', input.trim()],
    ['the private key in hex', material.privateKeyHex],
    ['the private key in base64', material.privateKeyBase64]
  ])
  material.lines.forEach((line, i) => secrets.set(`line ${i + 1} of the PEM`, line))
  material.derBase64.forEach((der, i) => secrets.set(`block ${i + 1}'s DER in base64`, der))
  material.derHex.forEach((der, i) => secrets.set(`block ${i + 1}'s DER in hex`, der))
  const kept = [...secrets].filter((entry): entry is [string, string] => (entry[1]?.length ?? 0) >= minLength)
  return new Map(kept)
}
