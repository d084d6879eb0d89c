// Every identity file shape the action must accept, generated fresh at test time by the tools that write
// them in the wild (openssl for dfx-style and hand-made keys, icp-cli for its own), each paired with the
// principal icp-cli derives from it. Key files live only in a temp dir that is removed before returning.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { IcpCli } from './icp-cli.js'
import { registerKey } from './key-leaks.js'

const execFileAsync = promisify(execFile)

export interface PemFixture {
  pem: string
  /** As icp-cli reports it after `icp identity import` + `icp identity principal`. */
  principal: string
}

export type KeyCurve = 'ed25519' | 'secp256k1' | 'prime256v1'

/** OpenSSL's Ed25519 PKCS#8 v1 (`BEGIN PRIVATE KEY`, seed only, no public key). */
export async function opensslEd25519Pkcs8(): Promise<PemFixture> {
  return inScratchDir(async dir => {
    const pem = await opensslKey(dir, 'ed25519')
    return { pem, principal: await icpCliPrincipal(pem) }
  })
}

/**
 * What `dfx identity new` writes: SEC1 `BEGIN EC PRIVATE KEY` for secp256k1. `openssl ecparam -genkey`
 * without `-noout` prepends an `EC PARAMETERS` block, which some readers choke on; dfx itself uses CRLF.
 */
export async function dfxSecp256k1Sec1(
  opts: { crlf?: boolean; withEcParameters?: boolean } = {}
): Promise<PemFixture> {
  return inScratchDir(async dir => {
    const lf = await opensslSec1(dir, 'secp256k1', opts.withEcParameters ?? false)
    const pem = opts.crlf ? lf.replace(/\r?\n/g, '\r\n') : lf
    return { pem, principal: await icpCliPrincipal(pem) }
  })
}

/** `openssl ecparam -name prime256v1 -genkey`: SEC1 `BEGIN EC PRIVATE KEY` on P-256, as dfx's shapes come. */
export async function opensslP256Sec1(
  opts: { crlf?: boolean; withEcParameters?: boolean } = {}
): Promise<PemFixture> {
  return inScratchDir(async dir => {
    const lf = await opensslSec1(dir, 'prime256v1', opts.withEcParameters ?? false)
    const pem = opts.crlf ? lf.replace(/\r?\n/g, '\r\n') : lf
    return { pem, principal: await icpCliPrincipal(pem) }
  })
}

/** `openssl pkcs8 -topk8 -nocrypt` of a P-256 SEC1 key: OpenSSL's `BEGIN PRIVATE KEY`. */
export async function opensslP256Pkcs8(): Promise<PemFixture> {
  return inScratchDir(async dir => {
    const sec1 = await writeKeyFile(dir, 'sec1.pem', await opensslSec1(dir, 'prime256v1', false))
    const out = join(dir, 'pkcs8.pem')
    await openssl(['pkcs8', '-topk8', '-nocrypt', '-in', sec1, '-out', out])
    const pem = await readFile(out, 'utf8')
    return { pem, principal: await icpCliPrincipal(pem) }
  })
}

/** `icp identity new` + `icp identity export`: PKCS#8 wrapping a SEC1 secp256k1 key. */
export async function icpCliSecp256k1(): Promise<PemFixture> {
  return icpCliGenerated('secp256k1')
}

/**
 * `icp identity import --from-seed-file --seed-curve prime256v1` + `icp identity export`: PKCS#8 wrapping a
 * SEC1 P-256 key with its public key.
 */
export async function icpCliP256(): Promise<PemFixture> {
  return icpCliGenerated('prime256v1')
}

/** icp-cli's Ed25519 export: PKCS#8 v2 (seed and public key), which Node 20's crypto cannot read. */
export async function icpCliEd25519(): Promise<PemFixture> {
  return icpCliGenerated('ed25519')
}

/** `BEGIN ENCRYPTED PRIVATE KEY` (PBES2, AES-256-CBC) around an OpenSSL key of the given curve. */
export async function encryptedPkcs8(password: string, opts: { curve?: KeyCurve } = {}): Promise<PemFixture> {
  return inScratchDir(async dir => {
    const plain = await opensslKey(dir, opts.curve ?? 'ed25519')
    const plainPath = await writeKeyFile(dir, 'plain.pem', plain)
    const passPath = await writeKeyFile(dir, 'pass.txt', password)
    const encPath = join(dir, 'encrypted.pem')
    const pass = `file:${passPath}`
    await openssl([
      'pkcs8',
      '-topk8',
      '-v2',
      'aes-256-cbc',
      '-in',
      plainPath,
      '-out',
      encPath,
      '-passout',
      pass
    ])
    const pem = await readFile(encPath, 'utf8')
    return { pem, principal: await icpCliPrincipal(pem, { password }) }
  })
}

/**
 * `icp identity export --encrypt`: PBES2 with scrypt (N = 2^17, r = 8, 128 MiB) and AES-256-CBC around icp's
 * own PKCS#8 export of a fresh key of the given curve.
 */
export async function icpCliEncrypted(
  password: string,
  opts: { curve?: KeyCurve } = {}
): Promise<PemFixture> {
  const cli = await IcpCli.createOffline()
  try {
    await cli.newIdentity('exported', { curve: opts.curve ?? 'secp256k1' })
    const pem = await cli.exportIdentity('exported', { encryptWith: password })
    return { pem, principal: await icpCliPrincipal(pem, { password }) }
  } finally {
    await cli.cleanup()
  }
}

/** The principal icp-cli reports for a PEM, from a throwaway icp-cli sandbox. */
export async function icpCliPrincipal(pem: string, opts: { password?: string } = {}): Promise<string> {
  registerKey(pem, opts.password)
  const cli = await IcpCli.createOffline()
  try {
    const pemPath = await writeKeyFile(cli.root, 'import.pem', pem)
    return await cli.importIdentity('fixture', pemPath, opts)
  } finally {
    await cli.cleanup()
  }
}

export async function opensslVersion(): Promise<string> {
  return (await openssl(['version'])).trim()
}

async function icpCliGenerated(curve: KeyCurve): Promise<PemFixture> {
  const cli = await IcpCli.createOffline()
  try {
    const principal = await cli.newIdentity('fixture', { curve })
    const pem = await cli.exportIdentity('fixture')
    registerKey(pem)
    return { pem, principal }
  } finally {
    await cli.cleanup()
  }
}

/** Ed25519 as PKCS#8 v1 from `openssl genpkey`; secp256k1 and P-256 as SEC1 from `openssl ecparam`. */
async function opensslKey(dir: string, curve: KeyCurve): Promise<string> {
  if (curve !== 'ed25519') return opensslSec1(dir, curve, false)
  const out = join(dir, 'ed25519.pem')
  await openssl(['genpkey', '-algorithm', 'ed25519', '-out', out])
  return readFile(out, 'utf8')
}

async function opensslSec1(
  dir: string,
  curve: 'secp256k1' | 'prime256v1',
  withEcParameters: boolean
): Promise<string> {
  const out = join(dir, `${curve}.pem`)
  await openssl(['ecparam', '-name', curve, '-genkey', ...(withEcParameters ? [] : ['-noout']), '-out', out])
  return readFile(out, 'utf8')
}

async function openssl(args: string[]): Promise<string> {
  // Output files only: stdout/stderr never carry key material, so errors can be shown as they are.
  const { stdout } = await execFileAsync('openssl', args, { timeout: 30_000 })
  return stdout
}

async function writeKeyFile(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, text, { mode: 0o600 })
  return path
}

async function inScratchDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'pem-fixture-'))
  try {
    return await work(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
