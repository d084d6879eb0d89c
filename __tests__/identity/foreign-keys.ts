// Key files the action must refuse, made fresh by the tools that write them (openssl, ssh-keygen) in a temp
// dir that is removed before returning. Key text moves through files only, never through a tool's stdout.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

/** `openssl ecparam -name secp384r1 -genkey -noout`: SEC1 on P-384, a curve the IC does not accept. */
export function p384Sec1(): Promise<string> {
  return generated('key.pem', out => [
    ['openssl', 'ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', out]
  ])
}

/** `openssl genpkey -algorithm RSA`: PKCS#8 `BEGIN PRIVATE KEY` holding rsaEncryption. */
export function rsaPkcs8(): Promise<string> {
  return generated('key.pem', out => [rsaGenpkey(out)])
}

/** `openssl rsa -traditional`: PKCS#1 `BEGIN RSA PRIVATE KEY`. */
export function rsaTraditional(): Promise<string> {
  return generated('rsa.pem', out => {
    const pkcs8 = `${out}.pkcs8`
    return [rsaGenpkey(pkcs8), ['openssl', 'rsa', '-in', pkcs8, '-traditional', '-out', out]]
  })
}

/** `BEGIN PUBLIC KEY` of a fresh secp256k1 key. */
export function secp256k1PublicKey(): Promise<string> {
  return generated('public.pem', out => {
    const key = `${out}.key`
    return [secp256k1Genkey(key), ['openssl', 'pkey', '-in', key, '-pubout', '-out', out]]
  })
}

/** A self-signed `BEGIN CERTIFICATE` over a fresh secp256k1 key. */
export function selfSignedCertificate(): Promise<string> {
  return generated('cert.pem', out => {
    const key = `${out}.key`
    const req = ['openssl', 'req', '-x509', '-new', '-key', key, '-subj', '/CN=controller', '-days', '1']
    return [secp256k1Genkey(key), [...req, '-out', out]]
  })
}

/** SEC1 under OpenSSL's legacy PEM encryption (`Proc-Type: 4,ENCRYPTED` and `DEK-Info` headers). */
export function legacyEncryptedSec1(password: string): Promise<string> {
  return generated(
    'legacy.pem',
    (out, dir) => {
      const key = `${out}.key`
      const pass = `file:${join(dir, 'pass.txt')}`
      return [secp256k1Genkey(key), ['openssl', 'ec', '-in', key, '-aes256', '-passout', pass, '-out', out]]
    },
    { 'pass.txt': password }
  )
}

/** What `openssl ecparam -name secp256k1` alone writes: curve parameters, no key. */
export function ecParametersOnly(): Promise<string> {
  return generated('params.pem', out => [['openssl', 'ecparam', '-name', 'secp256k1', '-out', out]])
}

/** `ssh-keygen -t ed25519`: `BEGIN OPENSSH PRIVATE KEY`. */
export function openSshEd25519(): Promise<string> {
  return generated('id_ed25519', out => [
    ['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', out]
  ])
}

/** The `ssh-ed25519 AAAA…` line of a fresh OpenSSH key. */
export function openSshPublicKeyLine(): Promise<string> {
  return generated('id_ed25519.pub', out => {
    const key = out.replace(/\.pub$/, '')
    return [['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', key]]
  })
}

function rsaGenpkey(out: string): string[] {
  return ['openssl', 'genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', out]
}

function secp256k1Genkey(out: string): string[] {
  return ['openssl', 'ecparam', '-name', 'secp256k1', '-genkey', '-noout', '-out', out]
}

/** Runs `commands` in a fresh temp dir (after writing `inputs` there) and returns the text of `file`. */
async function generated(
  file: string,
  commands: (out: string, dir: string) => string[][],
  inputs: Record<string, string> = {}
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'foreign-key-'))
  try {
    for (const [name, text] of Object.entries(inputs)) await writeFile(join(dir, name), text, { mode: 0o600 })
    const out = join(dir, file)
    for (const [command, ...args] of commands(out, dir)) {
      await execFileAsync(command, args, { cwd: dir, timeout: 30_000 })
    }
    return await readFile(out, 'utf8')
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
