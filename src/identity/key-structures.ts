// The two containers an IC identity file holds its key in, read just far enough to tell which algorithm and
// curve it is and, for Ed25519, where the seed and the stored public key are.
//   PKCS#8 / OneAsymmetricKey: RFC 5958 §2 (v2 adds the public key); Ed25519 inside it: RFC 8410 §7.
//   SEC1 ECPrivateKey: RFC 5915 §3; id-ecPublicKey and its namedCurve parameter: RFC 5480 §2.1.1.
import {
  DerError,
  Tag,
  contextTag,
  expectTag,
  readBitStringBytes,
  readElements,
  readObjectIdentifier,
  readSequence,
  readSmallInteger,
  type DerElement
} from './der.js'

/** Algorithm OIDs, named as node:crypto's `asymmetricKeyType` names them. */
const ALGORITHMS: Record<string, string> = {
  '1.3.101.112': 'ed25519', // RFC 8410
  '1.2.840.10045.2.1': 'ec', // id-ecPublicKey, RFC 5480
  '1.2.840.113549.1.1.1': 'rsa', // rsaEncryption, RFC 8017
  '1.2.840.113549.1.1.10': 'rsa-pss', // RFC 8017
  '1.2.840.10040.4.1': 'dsa', // RFC 3279
  '1.3.101.110': 'x25519',
  '1.3.101.111': 'x448',
  '1.3.101.113': 'ed448'
}

/** Named-curve OIDs, named as OpenSSL names them. secp256k1 is SEC 2 §2.4.1 (1.3.132.0.10). */
const CURVES: Record<string, string> = {
  '1.3.132.0.10': 'secp256k1',
  '1.2.840.10045.3.1.7': 'prime256v1',
  '1.3.132.0.34': 'secp384r1',
  '1.3.132.0.35': 'secp521r1'
}

export interface KeyStructure {
  /** 'ed25519', 'ec', 'rsa', … or the OID when it is none of the known ones. */
  algorithm: string
  /** For 'ec': 'secp256k1', 'prime256v1', … or the OID; undefined when the key names no curve. */
  curve?: string
  /** PKCS#8 only: 0 (v1) or 1 (v2). */
  pkcs8Version?: number
  /** The private key proper: the Ed25519 seed or the EC scalar, as stored (not yet length-checked). */
  privateKey: Uint8Array
  /** The public key stored beside it, if any (PKCS#8 v2 Ed25519 holds one, so does SEC1). */
  publicKey?: Uint8Array
}

/** PrivateKeyInfo / OneAsymmetricKey (`BEGIN PRIVATE KEY`, and what an ENCRYPTED PRIVATE KEY decrypts to). */
export function readPkcs8(der: Uint8Array): KeyStructure {
  const [versionField, algorithmField, privateKeyField, ...optional] = readSequence(der)
  const pkcs8Version = readSmallInteger(versionField, 'PKCS#8 version')
  if (pkcs8Version > 1) throw new DerError('unknown PKCS#8 version')
  const [algorithmOid, parameters] = readElements(
    expectTag(algorithmField, Tag.Sequence, 'AlgorithmIdentifier')
  )
  const algorithm = nameOf(ALGORITHMS, readObjectIdentifier(algorithmOid, 'algorithm'))
  const keyOctets = expectTag(privateKeyField, Tag.OctetString, 'privateKey')
  let publicKey: Uint8Array | undefined
  for (const field of optional) {
    // attributes [0] IMPLICIT SET (constructed) are skipped; publicKey [1] IMPLICIT BIT STRING is kept.
    if (field.tag === contextTag(1, false)) publicKey = readBitStringBytes(field.contents, 'publicKey')
    else if (field.tag !== contextTag(0, true)) throw new DerError('unexpected field in PKCS#8')
  }
  if (algorithm === 'ed25519') {
    // RFC 8410 §7: privateKey holds CurvePrivateKey ::= OCTET STRING, the 32-byte seed.
    const [seed, ...rest] = readElements(keyOctets)
    if (rest.length > 0) throw new DerError('unexpected data after the Ed25519 seed')
    return { algorithm, pkcs8Version, privateKey: expectTag(seed, Tag.OctetString, 'seed'), publicKey }
  }
  if (algorithm === 'ec') {
    // RFC 5915 §3 / RFC 5480: the curve is the AlgorithmIdentifier's parameter; privateKey wraps SEC1.
    const inner = readSec1(keyOctets)
    const curve = parameters ? namedCurve(parameters) : inner.curve
    return { ...inner, algorithm, curve, pkcs8Version }
  }
  return { algorithm, pkcs8Version, privateKey: keyOctets, publicKey }
}

/** ECPrivateKey (`BEGIN EC PRIVATE KEY`, as dfx writes it). */
export function readSec1(der: Uint8Array): KeyStructure {
  const [versionField, privateKeyField, ...optional] = readSequence(der)
  // ecPrivkeyVer1 is the only version RFC 5915 defines.
  if (readSmallInteger(versionField, 'SEC1 version') !== 1) throw new DerError('unknown SEC1 version')
  const privateKey = expectTag(privateKeyField, Tag.OctetString, 'privateKey')
  let curve: string | undefined
  let publicKey: Uint8Array | undefined
  for (const field of optional) {
    // parameters [0] EXPLICIT ECParameters, publicKey [1] EXPLICIT BIT STRING
    const [inner, ...rest] = readElements(field.contents)
    if (rest.length > 0) throw new DerError('unexpected data in SEC1')
    if (field.tag === contextTag(0, true)) curve = namedCurve(inner)
    else if (field.tag === contextTag(1, true)) {
      publicKey = readBitStringBytes(expectTag(inner, Tag.BitString, 'publicKey'), 'publicKey')
    } else throw new DerError('unexpected field in SEC1')
  }
  return { algorithm: 'ec', curve, privateKey, publicKey }
}

/** ECParameters ::= CHOICE { namedCurve OID, … }; explicit curve parameters (a SEQUENCE) name no curve. */
function namedCurve(parameters: DerElement | undefined): string | undefined {
  if (parameters?.tag !== Tag.ObjectIdentifier) return undefined
  return nameOf(CURVES, readObjectIdentifier(parameters, 'namedCurve'))
}

function nameOf(names: Record<string, string>, oid: string): string {
  return names[oid] ?? oid
}
