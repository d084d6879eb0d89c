// Certificate signatures checked with mcl's pairing (Wasm) instead of agent-js's pure-JS one: a BLS check is
// one hash to G1 (noble, as agent-js does it) and one pairing product with the key's G2 side precomputed,
// about a fifth of the CPU. Every read or upload of a 2 MB slice carries a certificate, so this is most of
// a transfer's CPU (`npm run bench -- --profile`). A signature that checked out is remembered, since on
// mainnet every certificate repeats the same subnet delegation, signed by the root key.
import { createHash } from 'node:crypto'
import { bls12_381 } from '@noble/curves/bls12-381'
import * as mcl from 'mcl-wasm'

// The IC's BLS signature scheme: signatures in G1, keys in G2 (interface spec, "Certification").
const DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_'
const REMEMBERED = 256

let ready: Promise<mcl.PrecomputedG2> | undefined
const keys = new Map<string, mcl.PrecomputedG2>()
const verified = new Set<string>()

async function setUp(): Promise<mcl.PrecomputedG2> {
  await mcl.init(mcl.BLS12_381)
  // The zkcrypto (ZCash) point encoding the IC uses, with subgroup checks on every point read.
  mcl.setETHserialization(true)
  mcl.verifyOrderG1(true)
  mcl.verifyOrderG2(true)
  const generator = new mcl.G2()
  generator.deserialize(bls12_381.G2.ProjectivePoint.BASE.toRawBytes(true))
  return new mcl.PrecomputedG2(mcl.neg(generator))
}

// The point hashToCurve returns is typed without its encoding; the projective point has it.
function hashToG1(message: Uint8Array): Uint8Array {
  const point = bls12_381.G1.hashToCurve(message, { DST }).toAffine()
  return bls12_381.G1.ProjectivePoint.fromAffine(point).toRawBytes(true)
}

function precomputedKey(publicKey: Uint8Array): mcl.PrecomputedG2 {
  const hex = Buffer.from(publicKey).toString('hex')
  let key = keys.get(hex)
  if (!key) {
    const point = new mcl.G2()
    point.deserialize(publicKey)
    key = new mcl.PrecomputedG2(point)
    keys.set(hex, key)
  }
  return key
}

/** agent-js's VerifyFunc: true when `signature` is the BLS signature of `message` under `publicKey`. */
export async function blsVerify(
  publicKey: Uint8Array,
  signature: Uint8Array,
  message: Uint8Array
): Promise<boolean> {
  const negatedGenerator = await (ready ??= setUp())
  const id = createHash('sha256').update(publicKey).update(signature).update(message).digest('hex')
  if (verified.has(id)) return true
  let valid: boolean
  try {
    const sig = new mcl.G1()
    sig.deserialize(signature)
    const hashed = new mcl.G1()
    hashed.deserialize(hashToG1(message))
    // e(sig, -g2) · e(H(m), pk) = 1  ⇔  e(sig, g2) = e(H(m), pk)
    const product = mcl.precomputedMillerLoop2(sig, negatedGenerator, hashed, precomputedKey(publicKey))
    valid = !sig.isZero() && mcl.finalExp(product).isOne()
  } catch {
    // A point that does not decode, is off the curve or outside the subgroup.
    valid = false
  }
  if (valid) {
    if (verified.size >= REMEMBERED) verified.clear()
    verified.add(id)
  }
  return valid
}
