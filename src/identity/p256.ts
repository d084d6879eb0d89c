// P-256 (prime256v1) identities from the 32-byte private scalar, as icp-cli makes them
// (`icp identity import --from-seed-file --seed-curve prime256v1`) and the IC accepts them (interface spec,
// "Signatures": ECDSA on curve P-256 with SHA-256, the signature as the 32-byte big-endian r and s; the public
// key as DER SubjectPublicKeyInfo with id-ecPublicKey and the prime256v1 OID, RFC 5480).
// @icp-sdk/core's ECDSAKeyIdentity holds WebCrypto keys: it is built asynchronously from a CryptoKeyPair, and
// a KeyObject becomes one only from Node 22.10 (`toCryptoKey`). OpenSSL through node:crypto signs the same
// way, synchronously, on every Node the action supports.
import { createECDH, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto'
import { SignIdentity, type DerEncodedPublicKey, type PublicKey, type Signature } from '@icp-sdk/core/agent'
import { identityProblem } from './problems.js'

const SCALAR_LENGTH = 32

export class P256KeyIdentity extends SignIdentity {
  private readonly publicKey: PublicKey

  private constructor(private readonly privateKey: KeyObject) {
    super()
    const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' })
    const derKey = new Uint8Array(spki) as DerEncodedPublicKey
    this.publicKey = { derKey, toDer: () => derKey }
  }

  /** Throws an InputError for a scalar that is not 32 bytes, or is 0 or not below the group order. */
  static fromSecretKey(scalar: Uint8Array): P256KeyIdentity {
    if (scalar.length !== SCALAR_LENGTH) {
      throw identityProblem(
        `found a prime256v1 (P-256) key whose private key is ${scalar.length} bytes, not ${SCALAR_LENGTH}`
      )
    }
    let point: Buffer
    try {
      const ecdh = createECDH('prime256v1')
      ecdh.setPrivateKey(scalar)
      point = ecdh.getPublicKey()
    } catch {
      throw identityProblem('found a prime256v1 (P-256) key whose private key is out of range (corrupted?)')
    }
    // The uncompressed point (SEC 1 §2.3.3): 0x04, x, y.
    const coordinate = (from: number) => point.subarray(from, from + SCALAR_LENGTH).toString('base64url')
    const d = Buffer.from(scalar).toString('base64url')
    const jwk = { kty: 'EC', crv: 'P-256', d, x: coordinate(1), y: coordinate(1 + SCALAR_LENGTH) }
    return new P256KeyIdentity(createPrivateKey({ key: jwk, format: 'jwk' }))
  }

  getPublicKey(): PublicKey {
    return this.publicKey
  }

  async sign(blob: Uint8Array): Promise<Signature> {
    const signature = sign('sha256', blob, { key: this.privateKey, dsaEncoding: 'ieee-p1363' })
    return new Uint8Array(signature) as Signature
  }
}
