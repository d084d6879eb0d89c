// The action's BLS check (mcl's pairing) must agree with agent-js's own (noble) on every input: signatures
// the replica makes, and every way a signature, message or key can be wrong.
import { blsVerify as nobleVerify } from '@icp-sdk/core/agent'
import { bls12_381 } from '@noble/curves/bls12-381'
import { blsVerify } from '../../src/ic/bls-verify.js'

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
