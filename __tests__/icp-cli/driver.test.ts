// Offline checks of the icp-cli driver and the PEM fixtures: no replica needed, only 127.0.0.1 stubs.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { Principal } from '@icp-sdk/core/principal'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1'
import { ICP_BIN, IcpCli, IcpCliError, TIMED_OUT_CODE } from '../harness/icp-cli.js'
import {
  dfxSecp256k1Sec1,
  encryptedPkcs8,
  icpCliEd25519,
  icpCliPrincipal,
  icpCliSecp256k1,
  opensslEd25519Pkcs8,
  opensslVersion,
  type PemFixture
} from '../harness/pem.js'

const CANISTER = 'rrkah-fqaaa-aaaaa-aaaaq-cai'
/** Structurally valid (133-byte DER) root key; nothing is ever verified against it here. */
const ROOT_KEY_HEX =
  '308182301d060d2b0601040182dc7c0503010201060c2b0601040182dc7c05030201036100' + '00'.repeat(96)
const SELF_AUTHENTICATING = /^([a-z2-7]{5}-){10}[a-z2-7]{3}$/
const ED25519_V2_PREFIX = '3051020101300506032b657004220420'

// --- our own parse of each PEM shape, independent of icp-cli ---

function pemToDer(pem: string): Buffer {
  const body = pem.match(/-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----/)
  if (!body) throw new Error('no PRIVATE KEY block')
  return Buffer.from(body[1].replace(/\s+/g, ''), 'base64')
}

function readWithNode(pem: string, password?: string): KeyObject | undefined {
  try {
    return createPrivateKey(password === undefined ? pem : { key: pem, passphrase: password })
  } catch {
    return undefined
  }
}

/** The principal the agent's own identity classes derive from the raw secret key. */
function principalFromSecret(curve: 'ed25519' | 'secp256k1', secret: Uint8Array): string {
  const identity =
    curve === 'ed25519'
      ? Ed25519KeyIdentity.fromSecretKey(secret)
      : Secp256k1KeyIdentity.fromSecretKey(secret)
  return identity.getPrincipal().toText()
}

/** Node reads every shape but icp-cli's Ed25519 PKCS#8 v2, whose seed sits right after `04220420`. */
function ourPrincipal(pem: string, password?: string): string {
  const key = readWithNode(pem, password)
  if (!key) {
    const der = pemToDer(pem).toString('hex')
    expect(der.startsWith(ED25519_V2_PREFIX)).toBe(true)
    const seed = Buffer.from(der.slice(ED25519_V2_PREFIX.length, ED25519_V2_PREFIX.length + 64), 'hex')
    return principalFromSecret('ed25519', new Uint8Array(seed))
  }
  const d = new Uint8Array(Buffer.from(key.export({ format: 'jwk' }).d ?? '', 'base64url'))
  expect(d).toHaveLength(32)
  const curve = key.asymmetricKeyType === 'ed25519' ? 'ed25519' : 'secp256k1'
  if (curve === 'secp256k1') expect(key.asymmetricKeyDetails?.namedCurve).toBe('secp256k1')
  const principal = principalFromSecret(curve, d)
  // A second, independent route: Node's own SPKI export of the public key.
  const spki = new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' }))
  expect(Principal.selfAuthenticating(spki).toText()).toBe(principal)
  return principal
}

function pemLabels(pem: string): string[] {
  return [...pem.matchAll(/-----BEGIN ([A-Z ]+)-----/g)].map(m => m[1])
}

// --- a stub endpoint that records what icp sends and answers every request with 500 ---

interface StubReplica {
  url: string
  requests: string[]
  close(): Promise<void>
}

async function startStub(mode: 'fail' | 'hang'): Promise<StubReplica> {
  const requests: string[] = []
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    req.resume()
    if (mode === 'fail') req.on('end', () => res.writeHead(500).end('stub'))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => {
      server.closeAllConnections()
      return new Promise(resolve => server.close(() => resolve()))
    }
  }
}

describe('icp-cli binary', () => {
  let cli: IcpCli
  beforeAll(async () => {
    cli = await IcpCli.createOffline()
  })
  afterAll(() => cli.cleanup())

  test('is the npm devDependency and reports version 1.5.0', async () => {
    expect(ICP_BIN).toMatch(/@icp-sdk\/icp-cli-linux-x64\/bin\/icp$/)
    expect((await cli.runOk(['--version'])).trim()).toBe('icp 1.5.0')
  })

  test.each([
    ['create', ['<CANISTER>', '--replace <REPLACE>', '--json']],
    ['list', ['<CANISTER>', '--json']],
    ['download', ['<CANISTER> <SNAPSHOT_ID>', '--output <OUTPUT>', '--resume']],
    ['upload', ['<CANISTER>', '--input <INPUT>', '--replace <REPLACE>', '--resume', '--json']],
    ['restore', ['<CANISTER> <SNAPSHOT_ID>']],
    ['delete', ['<CANISTER> <SNAPSHOT_ID>']]
  ])('snapshot %s takes the flags the driver passes', async (sub, flags) => {
    const help = await cli.runOk(['canister', 'snapshot', sub, '--help'])
    for (const flag of [...flags, '--network <NETWORK>', '--root-key <ROOT_KEY>', '--identity <IDENTITY>'])
      expect(help).toContain(flag)
  })

  test('keeps identities and settings in the sandbox, plaintext, with the update check off', async () => {
    const principal = await cli.newIdentity('sandboxed')
    expect(principal).toMatch(SELF_AUTHENTICATING)
    const list = JSON.parse(await readFile(join(cli.root, 'icp/identity/identity_list.json'), 'utf8'))
    expect(list.identities.sandboxed).toMatchObject({ format: 'plaintext', principal })
    const settings = JSON.parse(await readFile(join(cli.root, 'icp/settings/settings.json'), 'utf8'))
    expect(settings['update-check']).toBe('disabled')
    expect(existsSync(join(cli.root, 'home/.local/share/icp-cli'))).toBe(false)
    expect(existsSync(join(cli.root, 'icp/telemetry'))).toBe(false)
    expect((await cli.runOk(['identity', 'default'])).trim()).toBe('sandboxed')
  })

  test('refuses a URL network without --root-key (usage error, exit 2)', async () => {
    const result = await cli.run(['canister', 'status', CANISTER, '--network', 'http://127.0.0.1:9'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('`--root-key` is required when `--network` is a URL')
  })

  test('run never throws and runOk reports stdout and stderr', async () => {
    const result = await cli.run(['identity', 'export', 'nobody'])
    expect(result.code).toBe(1)
    await expect(cli.runOk(['identity', 'export', 'nobody'])).rejects.toThrow(
      /identity export nobody[\s\S]*stderr/
    )
  })
})

describe('PEM shapes', () => {
  const shapes: [string, () => Promise<PemFixture>, string[], string | undefined][] = [
    ['openssl Ed25519 PKCS#8 v1', opensslEd25519Pkcs8, ['PRIVATE KEY'], undefined],
    ['dfx secp256k1 SEC1', () => dfxSecp256k1Sec1(), ['EC PRIVATE KEY'], undefined],
    ['dfx secp256k1 SEC1, CRLF', () => dfxSecp256k1Sec1({ crlf: true }), ['EC PRIVATE KEY'], undefined],
    [
      'dfx secp256k1 SEC1 with EC PARAMETERS, CRLF',
      () => dfxSecp256k1Sec1({ crlf: true, withEcParameters: true }),
      ['EC PARAMETERS', 'EC PRIVATE KEY'],
      undefined
    ],
    ['icp-cli secp256k1 PKCS#8', icpCliSecp256k1, ['PRIVATE KEY'], undefined],
    ['icp-cli Ed25519 PKCS#8 v2', icpCliEd25519, ['PRIVATE KEY'], undefined],
    [
      'encrypted Ed25519 PKCS#8',
      () => encryptedPkcs8('correct horse'),
      ['ENCRYPTED PRIVATE KEY'],
      'correct horse'
    ],
    [
      'encrypted secp256k1 PKCS#8',
      () => encryptedPkcs8('battery staple', { curve: 'secp256k1' }),
      ['ENCRYPTED PRIVATE KEY'],
      'battery staple'
    ]
  ]

  test('openssl is available', async () => {
    expect(await opensslVersion()).toMatch(/^OpenSSL 3\./)
  })

  test.each(shapes)(
    '%s: icp-cli principal equals our own parse',
    async (_name, generate, labels, password) => {
      const { pem, principal } = await generate()
      expect(pemLabels(pem)).toEqual(labels)
      expect(principal).toMatch(SELF_AUTHENTICATING)
      expect(ourPrincipal(pem, password)).toBe(principal)
    }
  )

  test('every generator makes a fresh key', async () => {
    const [a, b] = await Promise.all([opensslEd25519Pkcs8(), opensslEd25519Pkcs8()])
    expect(a.principal).not.toBe(b.principal)
  })

  test('dfx CRLF option changes only the line ends', async () => {
    const { pem } = await dfxSecp256k1Sec1({ crlf: true, withEcParameters: true })
    expect(
      pem
        .split('\n')
        .slice(0, -1)
        .every(line => line.endsWith('\r'))
    ).toBe(true)
    expect(pem.startsWith('-----BEGIN EC PARAMETERS-----\r\n')).toBe(true)
  })

  test('icp-cli Ed25519 export is PKCS#8 v2 whose embedded public key matches the seed', async () => {
    const { pem } = await icpCliEd25519()
    const der = pemToDer(pem)
    expect(der).toHaveLength(83)
    expect(der.subarray(0, 16).toString('hex')).toBe(ED25519_V2_PREFIX)
    expect(der.subarray(48, 51).toString('hex')).toBe('812100')
    const publicKey = Ed25519KeyIdentity.fromSecretKey(new Uint8Array(der.subarray(16, 48))).getPublicKey()
      .rawKey
    expect(der.subarray(51).toString('hex')).toBe(Buffer.from(publicKey).toString('hex'))
  })

  test('icp-cli secp256k1 export is PKCS#8 (id-ecPublicKey + secp256k1) that Node reads', async () => {
    const { pem } = await icpCliSecp256k1()
    const key = createPrivateKey(pem)
    expect(key.asymmetricKeyType).toBe('ec')
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('secp256k1')
  })

  test('an encrypted PEM does not import with the wrong password', async () => {
    const { pem } = await encryptedPkcs8('right')
    await expect(icpCliPrincipal(pem, { password: 'wrong' })).rejects.toThrow(IcpCliError)
  })
})

describe('IcpCli identities', () => {
  let cli: IcpCli
  beforeAll(async () => {
    cli = await IcpCli.createOffline()
  })
  afterAll(() => cli.cleanup())

  test('export then import round-trips the principal, and SEC1 is re-exported as PKCS#8', async () => {
    const sec1 = await dfxSecp256k1Sec1({ withEcParameters: true })
    const path = join(cli.root, 'work', 'dfx.pem')
    await writeFile(path, sec1.pem, { mode: 0o600 })
    expect(await cli.importIdentity('dfx', path)).toBe(sec1.principal)
    const exported = await cli.exportIdentity('dfx')
    expect(pemLabels(exported)).toEqual(['PRIVATE KEY'])
    expect(ourPrincipal(exported)).toBe(sec1.principal)
  })

  test('newIdentity makes the new identity active and honours the curve', async () => {
    const ed = await cli.newIdentity('ed', { curve: 'ed25519' })
    expect(cli.activeIdentity).toBe('ed')
    expect(await cli.principal()).toBe(ed)
    expect(pemToDer(await cli.exportIdentity('ed')).toString('hex')).toMatch(
      new RegExp(`^${ED25519_V2_PREFIX}`)
    )
    const k1 = await cli.newIdentity('k1')
    expect(createPrivateKey(await cli.exportIdentity('k1')).asymmetricKeyDetails?.namedCurve).toBe(
      'secp256k1'
    )
    expect(k1).not.toBe(ed)
    // Seed files are removed as soon as the identity exists.
    expect(await readdir(join(cli.root, 'secrets'))).toEqual([])
  })
})

describe('IcpCli network wrappers against a stub endpoint', () => {
  let stub: StubReplica
  let cli: IcpCli
  beforeAll(async () => {
    stub = await startStub('fail')
    cli = await IcpCli.create({ url: stub.url, rootKeyHex: ROOT_KEY_HEX })
    await cli.newIdentity('caller')
  })
  afterAll(async () => {
    await cli.cleanup()
    await stub.close()
  })

  const snapshotId = '0000000000000000000000000000000101'
  const calls: [string, (c: IcpCli, dir: string) => Promise<unknown>][] = [
    ['canisterStatus', c => c.canisterStatus(CANISTER)],
    ['stop', c => c.stop(CANISTER)],
    ['start', c => c.start(CANISTER)],
    ['snapshotCreate', c => c.snapshotCreate(CANISTER, { replace: snapshotId })],
    ['snapshotList', c => c.snapshotList(CANISTER)],
    ['snapshotDownload', (c, dir) => c.snapshotDownload(CANISTER, snapshotId, join(dir, 'dl'))],
    ['snapshotRestore', c => c.snapshotRestore(CANISTER, snapshotId)],
    ['snapshotDelete', c => c.snapshotDelete(CANISTER, snapshotId)]
  ]

  test.each(calls)('%s is accepted by icp and reaches the URL network', async (_name, call) => {
    const before = stub.requests.length
    const error = await call(cli, join(cli.root, 'work')).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(IcpCliError)
    const { result } = error as IcpCliError
    expect(result.code).toBe(1) // 2 would be a clap usage error, i.e. a wrong flag
    expect(result.stderr).toContain('500 Internal Server Error')
    expect(stub.requests.slice(before)).toContain(`POST /api/v4/canister/${CANISTER}/call`)
  })

  test('snapshotUpload reads metadata.json before touching the network', async () => {
    const error = await cli.snapshotUpload(CANISTER, join(cli.root, 'work')).catch((e: IcpCliError) => e)
    expect(error).toBeInstanceOf(IcpCliError)
    expect((error as IcpCliError).result.stderr).toContain('Missing required file')
  })

  test('snapshot ids with 0x are rejected by icp itself', async () => {
    const result = await cli.run(['canister', 'snapshot', 'delete', CANISTER, '0x01', ...cli.networkArgs()])
    expect(result.code).toBe(2)
  })
})

test('run kills a hung icp after the timeout', async () => {
  const stub = await startStub('hang')
  const cli = await IcpCli.create({ url: stub.url, rootKeyHex: ROOT_KEY_HEX })
  try {
    const started = Date.now()
    const result = await cli.run(['canister', 'status', CANISTER, ...cli.networkArgs()], { timeoutMs: 1500 })
    expect(result.code).toBe(TIMED_OUT_CODE)
    expect(result.stderr).toContain('killed after 1500 ms')
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(stub.requests.length).toBeGreaterThan(0)
  } finally {
    await cli.cleanup()
    await stub.close()
  }
})
