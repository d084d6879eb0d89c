// Every identity file shape icp-cli accepts, however a secret wraps it, signs as the principal icp-cli derives.
import { jest } from '@jest/globals'
import { createPublicKey, verify } from 'node:crypto'
import {
  dfxSecp256k1Sec1,
  encryptedPkcs8,
  icpCliEncrypted,
  icpCliEd25519,
  icpCliP256,
  icpCliSecp256k1,
  opensslEd25519Pkcs8,
  opensslP256Pkcs8,
  opensslP256Sec1,
  type PemFixture
} from '../harness/pem.js'
import { loadIdentity, type KeyKind } from '../../src/identity/index.js'

const PASSWORD = 'correct horse battery staple'

interface Shape {
  name: string
  make: () => Promise<PemFixture>
  keyKind: KeyKind
  format: string
  password?: string
}

const SHAPES: Shape[] = [
  {
    name: 'OpenSSL Ed25519 PKCS#8 v1',
    make: opensslEd25519Pkcs8,
    keyKind: 'ed25519',
    format: 'PKCS#8 v1 Ed25519 (OpenSSL)'
  },
  {
    name: 'icp-cli Ed25519 PKCS#8 v2',
    make: icpCliEd25519,
    keyKind: 'ed25519',
    format: 'PKCS#8 v2 Ed25519 (icp-cli)'
  },
  {
    name: 'icp-cli secp256k1 PKCS#8',
    make: icpCliSecp256k1,
    keyKind: 'secp256k1',
    format: 'PKCS#8 secp256k1 (icp-cli)'
  },
  {
    name: 'dfx SEC1 secp256k1 (LF)',
    make: () => dfxSecp256k1Sec1(),
    keyKind: 'secp256k1',
    format: 'SEC1 EC PRIVATE KEY (dfx)'
  },
  {
    name: 'dfx SEC1 secp256k1 (CRLF)',
    make: () => dfxSecp256k1Sec1({ crlf: true }),
    keyKind: 'secp256k1',
    format: 'SEC1 EC PRIVATE KEY (dfx)'
  },
  {
    name: 'SEC1 secp256k1 after an EC PARAMETERS block',
    make: () => dfxSecp256k1Sec1({ withEcParameters: true }),
    keyKind: 'secp256k1',
    format: 'SEC1 EC PRIVATE KEY (dfx)'
  },
  {
    name: 'SEC1 secp256k1 after an EC PARAMETERS block (CRLF)',
    make: () => dfxSecp256k1Sec1({ crlf: true, withEcParameters: true }),
    keyKind: 'secp256k1',
    format: 'SEC1 EC PRIVATE KEY (dfx)'
  },
  {
    name: 'encrypted PKCS#8 Ed25519',
    make: () => encryptedPkcs8(PASSWORD, { curve: 'ed25519' }),
    keyKind: 'ed25519',
    format: 'encrypted PKCS#8 Ed25519',
    password: PASSWORD
  },
  {
    name: 'encrypted PKCS#8 secp256k1',
    make: () => encryptedPkcs8(PASSWORD, { curve: 'secp256k1' }),
    keyKind: 'secp256k1',
    format: 'encrypted PKCS#8 secp256k1',
    password: PASSWORD
  },
  {
    name: "icp-cli's encrypted export (scrypt, 128 MiB), secp256k1",
    make: () => icpCliEncrypted(PASSWORD, { curve: 'secp256k1' }),
    keyKind: 'secp256k1',
    format: 'encrypted PKCS#8 secp256k1',
    password: PASSWORD
  },
  {
    name: 'icp-cli P-256 PKCS#8 (--seed-curve prime256v1)',
    make: icpCliP256,
    keyKind: 'prime256v1',
    format: 'PKCS#8 prime256v1 (icp-cli)'
  },
  {
    name: 'OpenSSL P-256 PKCS#8',
    make: opensslP256Pkcs8,
    keyKind: 'prime256v1',
    format: 'PKCS#8 prime256v1 (icp-cli)'
  },
  {
    name: 'SEC1 P-256 (CRLF)',
    make: () => opensslP256Sec1({ crlf: true }),
    keyKind: 'prime256v1',
    format: 'SEC1 EC PRIVATE KEY prime256v1 (OpenSSL)'
  },
  {
    name: 'SEC1 P-256 after an EC PARAMETERS block',
    make: () => opensslP256Sec1({ withEcParameters: true }),
    keyKind: 'prime256v1',
    format: 'SEC1 EC PRIVATE KEY prime256v1 (OpenSSL)'
  },
  {
    name: 'encrypted PKCS#8 P-256',
    make: () => encryptedPkcs8(PASSWORD, { curve: 'prime256v1' }),
    keyKind: 'prime256v1',
    format: 'encrypted PKCS#8 prime256v1',
    password: PASSWORD
  },
  {
    name: "icp-cli's encrypted export (scrypt, 128 MiB), P-256",
    make: () => icpCliEncrypted(PASSWORD, { curve: 'prime256v1' }),
    keyKind: 'prime256v1',
    format: 'encrypted PKCS#8 prime256v1',
    password: PASSWORD
  },
  {
    name: "icp-cli's encrypted export (scrypt, 128 MiB), Ed25519 PKCS#8 v2",
    make: () => icpCliEncrypted(PASSWORD, { curve: 'ed25519' }),
    keyKind: 'ed25519',
    format: 'encrypted PKCS#8 Ed25519',
    password: PASSWORD
  }
]

/** How people put a multi-line PEM into a secret, and the suffix `format` then carries. */
const WRAPPINGS: [string, (pem: string) => string, string][] = [
  ['as written', pem => pem, ''],
  ['base64-encoded on one line', pem => Buffer.from(pem).toString('base64'), ', base64-encoded'],
  ['base64-encoded in 76 columns', pem => wrapAt76(Buffer.from(pem).toString('base64')), ', base64-encoded'],
  [
    'base64-encoded, indented under a YAML block scalar',
    pem => indent(wrapAt76(Buffer.from(pem).toString('base64')), '    '),
    ', base64-encoded'
  ],
  ['with literal \\n escapes (.env)', pem => JSON.stringify(pem).slice(1, -1), ', \\n-escaped'],
  ['as a quoted JSON string', pem => JSON.stringify(pem), ', \\n-escaped'],
  ['indented under a YAML block scalar', pem => indent(pem, '          '), ''],
  ['with its newlines turned into spaces', pem => pem.replace(/\s+/g, ' '), ''],
  ['with blank lines around it', pem => `\n\n  ${pem}\n\n`, '']
]

const fixtures = new Map<string, PemFixture>()

beforeAll(async () => {
  const made = await Promise.all(SHAPES.map(async shape => [shape.name, await shape.make()] as const))
  for (const [name, fixture] of made) fixtures.set(name, fixture)
}, 180_000)

// The runner's add-mask commands go to stdout; they are checked in masking.test.ts, not printed here.
beforeEach(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})

afterEach(() => {
  jest.restoreAllMocks()
})

describe.each(SHAPES)('$name', ({ name, keyKind, format, password }) => {
  it.each(WRAPPINGS)('%s signs as the principal icp-cli derives', (_wrapping, wrap, suffix) => {
    const fixture = fixtures.get(name)!
    const loaded = loadIdentity(wrap(fixture.pem), password)
    expect(loaded.principal.toText()).toBe(fixture.principal)
    expect(loaded.identity.getPrincipal().toText()).toBe(fixture.principal)
    expect(loaded.keyKind).toBe(keyKind)
    expect(loaded.format).toBe(`${format}${suffix}`)
  })
})

it('a base64-encoded PEM that was base64-encoded again still loads', () => {
  const fixture = fixtures.get('icp-cli Ed25519 PKCS#8 v2')!
  const twice = Buffer.from(Buffer.from(fixture.pem).toString('base64')).toString('base64')
  const loaded = loadIdentity(twice)
  expect(loaded.principal.toText()).toBe(fixture.principal)
  expect(loaded.format).toBe('PKCS#8 v2 Ed25519 (icp-cli), base64-encoded, base64-encoded')
})

it('a password given for a PEM that is not encrypted is not needed and does no harm', () => {
  const fixture = fixtures.get('icp-cli secp256k1 PKCS#8')!
  expect(loadIdentity(fixture.pem, PASSWORD).principal.toText()).toBe(fixture.principal)
})

it.each([
  'icp-cli Ed25519 PKCS#8 v2',
  'dfx SEC1 secp256k1 (CRLF)',
  'icp-cli P-256 PKCS#8 (--seed-curve prime256v1)'
])('the %s identity signs what OpenSSL verifies with its public key', async name => {
  const { identity } = loadIdentity(fixtures.get(name)!.pem)
  const message = new TextEncoder().encode('canister snapshot')
  const signature = await identity.sign(message)
  const publicKey = createPublicKey({
    key: Buffer.from(identity.getPublicKey().toDer()),
    format: 'der',
    type: 'spki'
  })
  // The IC's secp256k1 and P-256 signatures are ECDSA over SHA-256 as 64 bytes r‖s (interface spec,
  // "Signatures").
  const ecdsa = publicKey.asymmetricKeyType === 'ec'
  const key = ecdsa ? { key: publicKey, dsaEncoding: 'ieee-p1363' as const } : publicKey
  expect(verify(ecdsa ? 'sha256' : null, message, key, signature)).toBe(true)
})

function wrapAt76(text: string): string {
  return text.match(/.{1,76}/g)!.join('\n') + '\n'
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map(line => (line.trim() === '' ? line : prefix + line))
    .join('\n')
}
