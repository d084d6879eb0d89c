// Every form of the key is registered with the runner's log masker before anything could print it: the
// `::add-mask::<value>` lines @actions/core's setSecret writes to stdout. The principal is printed on purpose
// and the public key is not secret, so neither is masked.
import { jest } from '@jest/globals'
import {
  dfxSecp256k1Sec1,
  encryptedPkcs8,
  icpCliEd25519,
  icpCliP256,
  icpCliSecp256k1,
  opensslEd25519Pkcs8,
  type PemFixture
} from '../harness/pem.js'
import { loadIdentity } from '../../src/identity/index.js'
import { p384Sec1 } from './foreign-keys.js'
import { keyMaterialOf, namedSecrets } from './key-material.js'

const PASSWORD = 'correct horse battery staple'

interface Fixtures {
  icpEd25519: PemFixture
  icpSecp256k1: PemFixture
  opensslEd25519: PemFixture
  dfx: PemFixture
  encrypted: PemFixture
  p384: string
  icpP256: PemFixture
}

let fixtures: Fixtures
let stdout: string[]

beforeAll(async () => {
  const [icpEd25519, icpSecp256k1, opensslEd25519, dfx, encrypted, p384, icpP256] = await Promise.all([
    icpCliEd25519(),
    icpCliSecp256k1(),
    opensslEd25519Pkcs8(),
    dfxSecp256k1Sec1({ crlf: true, withEcParameters: true }),
    encryptedPkcs8(PASSWORD, { curve: 'secp256k1' }),
    p384Sec1(),
    icpCliP256()
  ])
  fixtures = { icpEd25519, icpSecp256k1, opensslEd25519, dfx, encrypted, p384, icpP256 }
}, 180_000)

beforeEach(() => {
  stdout = []
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(chunk.toString())
    return true
  })
})

afterEach(() => {
  jest.restoreAllMocks()
})

/** The values setSecret registered, unescaped as the runner reads them (core's command escaping). */
function masked(): Set<string> {
  const lines = stdout.join('').split(/\r?\n/)
  const values = lines
    .filter(line => line.startsWith('::add-mask::'))
    .map(line => line.slice('::add-mask::'.length))
  return new Set(values.map(value => value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')))
}

/** Names of the secret forms that were not masked: a failure names the form and never prints the key. */
function unmasked(secrets: Map<string, string>): string[] {
  const masks = masked()
  return [...secrets].filter(([, secret]) => !masks.has(secret)).map(([name]) => name)
}

describe.each([
  ['an icp-cli Ed25519 export', () => fixtures.icpEd25519, undefined],
  ['an icp-cli secp256k1 export', () => fixtures.icpSecp256k1, undefined],
  ['an icp-cli P-256 export', () => fixtures.icpP256, undefined],
  ['an OpenSSL Ed25519 key', () => fixtures.opensslEd25519, undefined],
  ['a dfx key with CRLF after EC PARAMETERS', () => fixtures.dfx, undefined],
  ['an encrypted key', () => fixtures.encrypted, PASSWORD]
])('%s', (_story, fixture: () => PemFixture, password: string | undefined) => {
  it('has its private key, every PEM line and its DER masked, but not its principal or public key', () => {
    const { pem } = fixture()
    const loaded = loadIdentity(pem, password)
    const material = keyMaterialOf(pem, password)
    expect(material.privateKeyHex?.length).toBe(64)
    expect(unmasked(namedSecrets(pem, material))).toEqual([])

    const masks = masked()
    const principal = loaded.principal.toText()
    expect(principal).toBe(fixture().principal)
    expect(masks.has(principal)).toBe(false)
    expect([...masks].some(mask => mask.length >= 8 && principal.includes(mask))).toBe(false)
    const publicKeyDer = Buffer.from(loaded.identity.getPublicKey().toDer())
    expect(masks.has(publicKeyDer.toString('hex'))).toBe(false)
    expect(masks.has(publicKeyDer.toString('base64'))).toBe(false)
  })
})

it('a base64-encoded PEM is masked as given and line by line once decoded', () => {
  const { pem } = fixtures.icpEd25519
  const encoded = Buffer.from(pem).toString('base64')
  loadIdentity(encoded)
  expect(unmasked(new Map([['the base64 input', encoded]]))).toEqual([])
  expect(unmasked(namedSecrets(pem, keyMaterialOf(pem)))).toEqual([])
})

it('a PEM with literal \\n escapes is masked whole, as one log line would show it, and line by line', () => {
  const { pem } = fixtures.dfx
  const escaped = JSON.stringify(pem).slice(1, -1)
  loadIdentity(escaped)
  expect(unmasked(new Map([['the escaped input', escaped]]))).toEqual([])
  expect(unmasked(namedSecrets(pem, keyMaterialOf(pem)))).toEqual([])
})

it('an indented PEM is masked line by line without its indentation', () => {
  const { pem } = fixtures.icpSecp256k1
  loadIdentity(pem.replace(/^/gm, '      '))
  expect(unmasked(namedSecrets(pem, keyMaterialOf(pem)))).toEqual([])
})

it('the identity-password is masked too', () => {
  loadIdentity(fixtures.encrypted.pem, PASSWORD)
  expect(masked().has(PASSWORD)).toBe(true)
})

it('a key that is refused (P-384) was masked before it was refused', () => {
  expect(() => loadIdentity(fixtures.p384)).toThrow(/secp384r1/)
  expect(unmasked(namedSecrets(fixtures.p384, keyMaterialOf(fixtures.p384)))).toEqual([])
})
