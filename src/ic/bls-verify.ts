// Certificate signatures checked with mcl (Wasm) instead of agent-js's pure-JS noble: a BLS check is one hash
// to G1 and one pairing product with the key's G2 side precomputed. mcl does both, its hash to G1 in the
// IETF hash-to-curve mode (RFC 9380's SSWU, with the IC's domain separation tag), which gives the very point
// noble's hashToCurve gives (__tests__/ic/bls-verify.test.ts) in a tenth of the time. Every read or upload
// of a 2 MB slice carries a certificate, so this was much of a transfer's CPU (`npm run bench -- --profile`).
// A signature that checked out is remembered, since on mainnet every certificate repeats the same subnet
// delegation, signed by the root key.
import { createHash } from 'node:crypto'
import * as mcl from 'mcl-wasm'

// The IC's BLS signature scheme: signatures in G1, keys in G2 (interface spec, "Certification").
const DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_'
const REMEMBERED = 256
// The generator of G2, compressed (the zkcrypto encoding; noble's G2.ProjectivePoint.BASE).
export const G2_GENERATOR = Buffer.from(
  '93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e' +
    '024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8',
  'hex'
)

// What of mcl's Emscripten module is used here: it is exported untyped.
interface WasmModule {
  HEAP8: Int8Array
  _malloc(size: number): number
  _free(pointer: number): void
  _mclBnG1_setDst(pointer: number, length: number): number
}

let ready: Promise<mcl.PrecomputedG2> | undefined
const keys = new Map<string, mcl.PrecomputedG2>()
const verified = new Set<string>()

async function setUp(): Promise<mcl.PrecomputedG2> {
  await mcl.init(mcl.BLS12_381)
  // The zkcrypto (ZCash) point encoding the IC uses, with subgroup checks on every point read.
  mcl.setETHserialization(true)
  mcl.verifyOrderG1(true)
  mcl.verifyOrderG2(true)
  mcl.setMapToMode(mcl.IRTF)
  setHashToG1Dst(DST)
  const generator = new mcl.G2()
  generator.deserialize(G2_GENERATOR)
  return new mcl.PrecomputedG2(mcl.neg(generator))
}

// mcl-wasm exports no setter for the tag, so its C function is called on a copy in Wasm memory. Its module
// is a getter on the CommonJS exports, which Node's ESM loader leaves on `default` only; ncc's bundle has it
// on the namespace.
function setHashToG1Dst(dst: string): void {
  const exported = mcl as unknown as { mod?: WasmModule; default?: { mod?: WasmModule } }
  const wasm = exported.mod ?? exported.default?.mod
  if (!wasm) throw new Error('mcl-wasm does not export its Wasm module')
  const bytes = Buffer.from(dst, 'ascii')
  const pointer = wasm._malloc(bytes.length)
  try {
    wasm.HEAP8.set(bytes, pointer)
    if (wasm._mclBnG1_setDst(pointer, bytes.length) !== 0) throw new Error('mcl refused the BLS tag')
  } finally {
    wasm._free(pointer)
  }
}

function hashToG1(message: Uint8Array): mcl.G1 {
  return mcl.hashAndMapToG1(message)
}

/** The message's hash to G1 as blsVerify computes it, compressed: for tests against another implementation. */
export async function hashToG1Bytes(message: Uint8Array): Promise<Uint8Array> {
  await (ready ??= setUp())
  return hashToG1(message).serialize()
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
    const hashed = hashToG1(message)
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
