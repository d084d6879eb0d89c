// Registers every form of the key the action could come to hold with the runner's log masker, before any of
// it could be printed. The runner masks each log line on its own, so text is masked line by line as well as
// whole, and bytes in each encoding a log might show them in. The principal and public key are not secret.
import * as core from '@actions/core'

export interface KeyMaterial {
  /** The input as given, each text decoded from it, and each normalized PEM block. */
  texts?: readonly string[]
  /** Each block's DER (whose base64 is the PEM body, joined) and the 32-byte private key. */
  bytes?: readonly Uint8Array[]
}

export function maskKeyMaterial(material: KeyMaterial): void {
  const secrets = new Set<string>()
  for (const text of material.texts ?? []) {
    secrets.add(text)
    secrets.add(text.trim())
    for (const line of text.split(/\r\n|\r|\n/)) secrets.add(line.trim())
  }
  for (const bytes of material.bytes ?? []) {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    for (const encoding of ['hex', 'base64', 'base64url'] as const) secrets.add(buffer.toString(encoding))
    secrets.add(buffer.toString('hex').toUpperCase())
  }
  secrets.delete('')
  for (const secret of secrets) core.setSecret(secret)
}
