// The hand-read DER agrees with OpenSSL on every shape, so the by-hand path (icp-cli's Ed25519 PKCS#8 v2 on
// runtimes whose OpenSSL rejects it, such as Node 20's 3.0) yields the same key and principal as icp-cli.
import { createPrivateKey } from 'node:crypto'
import {
  dfxSecp256k1Sec1,
  icpCliEd25519,
  icpCliP256,
  icpCliSecp256k1,
  opensslEd25519Pkcs8,
  type PemFixture
} from '../harness/pem.js'
import { DerError, readObjectIdentifier, readSequence } from '../../src/identity/der.js'
import { ed25519Identity } from '../../src/identity/ed25519.js'
import { readPkcs8, readSec1 } from '../../src/identity/key-structures.js'
import { P256KeyIdentity } from '../../src/identity/p256.js'
import { secp256k1Identity } from '../../src/identity/secp256k1.js'
import { p384Sec1, rsaPkcs8 } from './foreign-keys.js'

let icpEd25519: PemFixture
let opensslEd25519: PemFixture
let icpSecp256k1: PemFixture
let dfx: PemFixture
let icpP256: PemFixture

beforeAll(async () => {
  ;[icpEd25519, opensslEd25519, icpSecp256k1, dfx, icpP256] = await Promise.all([
    icpCliEd25519(),
    opensslEd25519Pkcs8(),
    icpCliSecp256k1(),
    dfxSecp256k1Sec1({ withEcParameters: true }),
    icpCliP256()
  ])
}, 180_000)

/** The DER of the last block (after an EC PARAMETERS block, the key). */
function derOf(pem: string): Uint8Array {
  const bodies = [...pem.matchAll(/-----BEGIN [^-]+-----([\s\S]*?)-----END/g)].map(([, body]) => body)
  return new Uint8Array(Buffer.from(bodies[bodies.length - 1].replace(/\s+/g, ''), 'base64'))
}

/** What OpenSSL (this runtime's: Node 24 reads PKCS#8 v2) says the private key is, in hex. */
function opensslPrivateKeyHex(pem: string): string {
  const { d } = createPrivateKey(pem).export({ format: 'jwk' })
  return Buffer.from(d!, 'base64url').toString('hex')
}

const hex = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('hex')

it("icp-cli's Ed25519 PKCS#8 v2 gives its seed and stored public key, and the principal icp-cli derives", () => {
  const key = readPkcs8(derOf(icpEd25519.pem))
  expect(key).toMatchObject({ algorithm: 'ed25519', pkcs8Version: 1 })
  expect(hex(key.privateKey)).toBe(opensslPrivateKeyHex(icpEd25519.pem))
  expect(key.publicKey).toHaveLength(32)
  expect(ed25519Identity(key.privateKey, key.publicKey).getPrincipal().toText()).toBe(icpEd25519.principal)
})

it("OpenSSL's Ed25519 PKCS#8 v1 gives its seed and no public key", () => {
  const key = readPkcs8(derOf(opensslEd25519.pem))
  expect(key).toMatchObject({ algorithm: 'ed25519', pkcs8Version: 0, publicKey: undefined })
  expect(hex(key.privateKey)).toBe(opensslPrivateKeyHex(opensslEd25519.pem))
  expect(ed25519Identity(key.privateKey).getPrincipal().toText()).toBe(opensslEd25519.principal)
})

it("icp-cli's secp256k1 PKCS#8 names the curve by OID 1.3.132.0.10 and wraps the SEC1 scalar", () => {
  const key = readPkcs8(derOf(icpSecp256k1.pem))
  expect(key).toMatchObject({ algorithm: 'ec', curve: 'secp256k1', pkcs8Version: 0 })
  expect(hex(key.privateKey)).toBe(opensslPrivateKeyHex(icpSecp256k1.pem))
  expect(secp256k1Identity(key.privateKey).getPrincipal().toText()).toBe(icpSecp256k1.principal)
})

it("dfx's SEC1 names the curve and carries the uncompressed public key", () => {
  const key = readSec1(derOf(dfx.pem))
  expect(key).toMatchObject({ algorithm: 'ec', curve: 'secp256k1' })
  expect(hex(key.privateKey)).toBe(opensslPrivateKeyHex(dfx.pem))
  expect(key.publicKey?.[0]).toBe(0x04)
  expect(key.publicKey).toHaveLength(65)
})

it("icp-cli's P-256 PKCS#8 names the curve by OID 1.2.840.10045.3.1.7 and wraps the SEC1 scalar", () => {
  const key = readPkcs8(derOf(icpP256.pem))
  expect(key).toMatchObject({ algorithm: 'ec', curve: 'prime256v1', pkcs8Version: 0 })
  expect(hex(key.privateKey)).toBe(opensslPrivateKeyHex(icpP256.pem))
  expect(P256KeyIdentity.fromSecretKey(key.privateKey).getPrincipal().toText()).toBe(icpP256.principal)
})

it('other curves and algorithms are named, for the message that refuses them', async () => {
  expect(readSec1(derOf(await p384Sec1()))).toMatchObject({ algorithm: 'ec', curve: 'secp384r1' })
  expect(readPkcs8(derOf(await rsaPkcs8()))).toMatchObject({ algorithm: 'rsa' })
})

it.each([
  ['06052b8104000a', '1.3.132.0.10'], // secp256k1, SEC 2
  ['06032b6570', '1.3.101.112'], // Ed25519, RFC 8410
  ['06072a8648ce3d0201', '1.2.840.10045.2.1'], // id-ecPublicKey, RFC 5480
  ['06082a8648ce3d030107', '1.2.840.10045.3.1.7'] // prime256v1
])('OID %s reads as %s', (encoded, dotted) => {
  const bytes = Buffer.from(`30${(encoded.length / 2).toString(16).padStart(2, '0')}${encoded}`, 'hex')
  expect(readObjectIdentifier(readSequence(new Uint8Array(bytes))[0], 'OID')).toBe(dotted)
})

it.each([
  ['a length past the end', '300a0201'],
  ["BER's indefinite length", '30800201010000'],
  ['bytes after the SEQUENCE', '3003020101ff'],
  ['two SEQUENCEs', '30030201013003020101'],
  ['a header cut short', '30']
])('DER with %s is refused', (_problem, encoded) => {
  expect(() => readSequence(new Uint8Array(Buffer.from(encoded, 'hex')))).toThrow(DerError)
})

it('a cut-off key is refused by the structure readers', () => {
  const der = derOf(icpEd25519.pem)
  expect(() => readPkcs8(der.subarray(0, der.length - 10))).toThrow(DerError)
  expect(() => readSec1(derOf(icpEd25519.pem))).toThrow(DerError)
})
