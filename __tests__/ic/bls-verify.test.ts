// The action's BLS check (mcl's hash to G1 and pairing) must agree with agent-js's own (noble) on every
// input: signatures the replica makes, and every way a signature, message or key can be wrong.
import { blsVerify as nobleVerify } from '@icp-sdk/core/agent'
import { bls12_381 } from '@noble/curves/bls12-381'
import { blsVerify, G2_GENERATOR, hashToG1Bytes } from '../../src/ic/bls-verify.js'

const DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_'

function keyPair(seed: number): { secret: bigint; publicKey: Uint8Array } {
  const secret = BigInt(seed) * 0x9e3779b97f4a7c15n + 12345n
  return { secret, publicKey: bls12_381.G2.ProjectivePoint.BASE.multiply(secret).toRawBytes(true) }
}

function sign(secret: bigint, message: Uint8Array): Uint8Array {
  return bls12_381.G1.ProjectivePoint.fromAffine(bls12_381.G1.hashToCurve(message, { DST }).toAffine())
    .multiply(secret)
    .toRawBytes(true)
}

const message = (text: string) => new TextEncoder().encode(text)

async function bothSay(publicKey: Uint8Array, signature: Uint8Array, msg: Uint8Array): Promise<boolean> {
  const ours = await blsVerify(publicKey, signature, msg)
  const agents = await nobleVerify(publicKey, signature, msg)
  expect(ours).toBe(agents)
  return ours
}

it('accepts valid signatures under several keys and messages', async () => {
  for (let i = 1; i <= 4; i++) {
    const { secret, publicKey } = keyPair(i)
    const msg = message(`\x0Dic-state-root${'x'.repeat(i * 7)}`)
    expect(await bothSay(publicKey, sign(secret, msg), msg)).toBe(true)
  }
})

it('refuses a signature over another message, under another key, or with a bit flipped', async () => {
  const { secret, publicKey } = keyPair(7)
  const msg = message('certified tree root')
  const signature = sign(secret, msg)
  expect(await bothSay(publicKey, signature, message('another root'))).toBe(false)
  expect(await bothSay(keyPair(8).publicKey, signature, msg)).toBe(false)
  for (const index of [0, 5, 47]) {
    const flipped = new Uint8Array(signature)
    flipped[index] ^= 0x04
    expect(await blsVerify(publicKey, flipped, msg)).toBe(false)
  }
})

it('refuses points that do not decode: wrong lengths, the point at infinity, garbage', async () => {
  const { secret, publicKey } = keyPair(9)
  const msg = message('m')
  const signature = sign(secret, msg)
  expect(await blsVerify(publicKey, signature.subarray(0, 47), msg)).toBe(false)
  expect(await blsVerify(publicKey.subarray(0, 95), signature, msg)).toBe(false)
  const infinity = new Uint8Array(48)
  infinity[0] = 0xc0
  expect(await blsVerify(publicKey, infinity, msg)).toBe(false)
  expect(await blsVerify(publicKey, new Uint8Array(48).fill(0xab), msg)).toBe(false)
})

it('remembers only signatures that checked out', async () => {
  const { secret, publicKey } = keyPair(11)
  const msg = message('delegation')
  const signature = sign(secret, msg)
  expect(await blsVerify(publicKey, signature, msg)).toBe(true)
  expect(await blsVerify(publicKey, signature, msg)).toBe(true)
  expect(await blsVerify(publicKey, signature, message('delegation!'))).toBe(false)
})

it("hashes to the same G1 point as noble's RFC 9380 hashToCurve, under the IC's tag", async () => {
  expect(Buffer.from(G2_GENERATOR)).toEqual(Buffer.from(bls12_381.G2.ProjectivePoint.BASE.toRawBytes(true)))
  for (const length of [0, 1, 13, 32, 45, 63, 64, 65, 127, 128, 255, 256, 1000]) {
    const msg = new Uint8Array(length).map((_, i) => (i * 131 + length) & 0xff)
    const noble = bls12_381.G1.ProjectivePoint.fromAffine(bls12_381.G1.hashToCurve(msg, { DST }).toAffine())
    expect(Buffer.from(await hashToG1Bytes(msg)).toString('hex')).toBe(
      Buffer.from(noble.toRawBytes(true)).toString('hex')
    )
  }
})
