// The CPU cost of one certificate signature check: agent-js's own (noble's pure-JS pairing) against the
// action's (noble's hash to G1, mcl's pairing in Wasm), on distinct messages so that no result is reused.
import { blsVerify as agentVerify } from '@icp-sdk/core/agent'
import { bls12_381 } from '@noble/curves/bls12-381'
import { blsVerify as actionVerify } from '../src/ic/bls-verify.js'

const DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_'

export async function blsCost(checks = 20): Promise<{ agentMs: number; actionMs: number }> {
  const secret = 0x1234567890abcdefn
  const publicKey = bls12_381.G2.ProjectivePoint.BASE.multiply(secret).toRawBytes(true)
  const signed = Array.from({ length: checks }, (_, i) => {
    const message = new TextEncoder().encode(`\x0Dic-state-root bench ${i}`)
    const point = bls12_381.G1.hashToCurve(message, { DST }).toAffine()
    const signature = bls12_381.G1.ProjectivePoint.fromAffine(point).multiply(secret).toRawBytes(true)
    return { message, signature }
  })
  // One check each first: mcl compiles its Wasm on first use.
  await actionVerify(publicKey, signed[0].signature, new TextEncoder().encode('warm-up'))
  type Verify = (pk: Uint8Array, sig: Uint8Array, msg: Uint8Array) => boolean | Promise<boolean>
  const time = async (verify: Verify) => {
    const started = performance.now()
    for (const { message, signature } of signed) {
      if (!(await verify(publicKey, signature, message)))
        throw new Error('a valid signature failed to verify')
    }
    return (performance.now() - started) / checks
  }
  return { agentMs: await time(agentVerify), actionMs: await time(actionVerify) }
}
