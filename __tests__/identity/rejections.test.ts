// Whatever else lands in the `identity` secret is refused with one line that names what was found and lists
// what works, and never quotes the secret: not its text, a line of it, its DER or the key inside.
import { jest } from '@jest/globals'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import {
  encryptedPkcs8,
  icpCliEd25519,
  icpCliEncrypted,
  icpCliSecp256k1,
  opensslEd25519Pkcs8
} from '../harness/pem.js'
import { InputError } from '../../src/errors.js'
import { loadIdentity } from '../../src/identity/index.js'
import { SUPPORTED_SHAPES } from '../../src/identity/problems.js'
import {
  ecParametersOnly,
  legacyEncryptedSec1,
  openSshEd25519,
  openSshPublicKeyLine,
  p384Sec1,
  rsaPkcs8,
  rsaTraditional,
  secp256k1PublicKey,
  selfSignedCertificate
} from './foreign-keys.js'
import { keyMaterialOf, namedSecrets } from './key-material.js'

const PASSWORD = 'correct horse battery staple'

interface BadInput {
  pem: string
  password?: string
  /** The PEM the secret material comes from, when `pem` is a damaged or re-wrapped copy of it. */
  source?: string
}

interface Case {
  story: string
  make: () => Promise<BadInput>
  input: 'identity' | 'identity-password'
  found: string
}

const CASES: Case[] = [
  {
    story: 'an empty value',
    make: async () => ({ pem: '' }),
    input: 'identity',
    found: 'found an empty value'
  },
  {
    story: 'text that is no key at all',
    make: async () => ({ pem: 'please paste the PEM here' }),
    input: 'identity',
    found: "found no PEM '-----BEGIN' line"
  },
  {
    story: 'a public key',
    make: async () => ({ pem: await secp256k1PublicKey() }),
    input: 'identity',
    found: "found a PEM 'PUBLIC KEY' block, not a private key"
  },
  {
    story: 'a certificate',
    make: async () => ({ pem: await selfSignedCertificate() }),
    input: 'identity',
    found: "found a PEM 'CERTIFICATE' block, not a private key"
  },
  {
    story: 'curve parameters without the key',
    make: async () => ({ pem: await ecParametersOnly() }),
    input: 'identity',
    found: "found only a PEM 'EC PARAMETERS' block (curve parameters), no private key"
  },
  {
    story: 'a PKCS#1 RSA key',
    make: async () => ({ pem: await rsaTraditional() }),
    input: 'identity',
    found: "found a PEM 'RSA PRIVATE KEY' block (an RSA key), not a supported key format"
  },
  {
    story: 'a PKCS#8 RSA key from openssl genpkey',
    make: async () => ({ pem: await rsaPkcs8() }),
    input: 'identity',
    found: "found an RSA private key in a PEM 'PRIVATE KEY' block"
  },
  {
    story: 'a P-384 key from openssl ecparam',
    make: async () => ({ pem: await p384Sec1() }),
    input: 'identity',
    found: "found an EC private key on curve secp384r1 (P-384) in a PEM 'EC PRIVATE KEY' block"
  },
  {
    story: 'a P-384 key, base64-encoded',
    make: async () => {
      const pem = await p384Sec1()
      return { pem: Buffer.from(pem).toString('base64'), source: pem }
    },
    input: 'identity',
    found: 'found an EC private key on curve secp384r1 (P-384)'
  },
  {
    story: 'an OpenSSH private key',
    make: async () => ({ pem: await openSshEd25519() }),
    input: 'identity',
    found:
      "found a PEM 'OPENSSH PRIVATE KEY' block (a key in OpenSSH's own format), not a supported key format"
  },
  {
    story: 'an OpenSSH public key line',
    make: async () => ({ pem: await openSshPublicKeyLine() }),
    input: 'identity',
    found: 'found an OpenSSH public key line, not a private key'
  },
  {
    story: 'an agent-js JSON identity',
    make: async () => ({ pem: JSON.stringify(Ed25519KeyIdentity.generate().toJSON()) }),
    input: 'identity',
    found: 'found JSON (an exported agent-js identity?), not a PEM'
  },
  {
    story: 'a PEM cut off before its END line',
    make: async () => {
      const { pem } = await icpCliSecp256k1()
      return { pem: pem.slice(0, pem.indexOf('-----END')), source: pem }
    },
    input: 'identity',
    found: "found a PEM 'PRIVATE KEY' block with no END line (truncated?)"
  },
  {
    story: 'a PEM missing a line of its body',
    make: async () => {
      const { pem } = await icpCliSecp256k1()
      const lines = pem.split('\n')
      return { pem: [...lines.slice(0, 1), ...lines.slice(2)].join('\n'), source: pem }
    },
    input: 'identity',
    found: "found a PEM 'PRIVATE KEY' block that is not a valid PKCS#8 key (truncated or corrupted?)"
  },
  {
    story: 'a PEM whose base64 was damaged',
    make: async () => {
      const { pem } = await opensslEd25519Pkcs8()
      const lines = pem.split('\n')
      lines[1] = `${lines[1].slice(0, 10)}*${lines[1].slice(11)}`
      return { pem: lines.join('\n'), source: pem }
    },
    input: 'identity',
    found: "found a PEM 'PRIVATE KEY' block whose body is not valid base64 (corrupted or truncated?)"
  },
  {
    story: 'base64 of something other than a PEM (the bare DER)',
    make: async () => {
      const { pem } = await icpCliSecp256k1()
      return { pem: pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), source: pem }
    },
    input: 'identity',
    found: 'found base64 text that decodes to binary data, not to a PEM'
  },
  {
    story: 'two private keys in one secret',
    make: async () => ({ pem: (await icpCliSecp256k1()).pem + (await opensslEd25519Pkcs8()).pem }),
    input: 'identity',
    found: "found 2 private key PEM blocks ('PRIVATE KEY'), not one"
  },
  {
    story: 'an icp-cli Ed25519 key whose stored public key does not match its seed',
    make: async () => {
      const { pem } = await icpCliEd25519()
      return { pem: withLastDerByteFlipped(pem), source: pem }
    },
    input: 'identity',
    found: 'found an Ed25519 key whose stored public key does not match its seed (corrupted?)'
  },
  {
    story: 'a key under legacy OpenSSL PEM encryption',
    make: async () => ({ pem: await legacyEncryptedSec1(PASSWORD), password: PASSWORD }),
    input: 'identity',
    found: "found a PEM 'EC PRIVATE KEY' block encrypted the legacy OpenSSL way (Proc-Type header)"
  },
  {
    story: 'an encrypted PEM without identity-password',
    make: async () => ({ pem: (await encryptedPkcs8(PASSWORD)).pem }),
    input: 'identity-password',
    found: "Input 'identity-password': is required: the identity PEM is encrypted"
  },
  {
    story: 'an encrypted PEM with the wrong identity-password',
    make: async () => ({ pem: (await encryptedPkcs8(PASSWORD)).pem, password: 'Tr0ub4dor&3' }),
    input: 'identity-password',
    found: "Input 'identity-password': does not decrypt the identity PEM"
  },
  {
    story: "icp-cli's scrypt-encrypted export with the wrong identity-password",
    make: async () => ({ pem: (await icpCliEncrypted(PASSWORD)).pem, password: 'Tr0ub4dor&3' }),
    input: 'identity-password',
    found: "Input 'identity-password': does not decrypt the identity PEM"
  },
  {
    story: 'an encrypted P-384 key with the right identity-password',
    make: async () => ({ pem: await encryptedP384(), password: PASSWORD }),
    input: 'identity',
    found: "found an EC private key on curve secp384r1 (P-384) in a PEM 'ENCRYPTED PRIVATE KEY' block"
  }
]

const inputs = new Map<string, BadInput>()

beforeAll(async () => {
  const made = await Promise.all(CASES.map(async ({ story, make }) => [story, await make()] as const))
  for (const [story, input] of made) inputs.set(story, input)
}, 180_000)

beforeEach(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})

afterEach(() => {
  jest.restoreAllMocks()
})

it.each(CASES)('$story is refused on $input, naming what was found', ({ story, input, found }) => {
  const bad = inputs.get(story)!
  const error = refusal(() => loadIdentity(bad.pem, bad.password))
  expect(error).toBeInstanceOf(InputError)
  // First, and by name only: a failing expectation below would print the message.
  const leaked: string[] = []
  for (const text of new Set([bad.pem, bad.source ?? bad.pem])) {
    for (const [name, secret] of namedSecrets(text, keyMaterialOf(text, bad.password), 16)) {
      if (error.message.includes(secret)) leaked.push(name)
    }
  }
  if (bad.password && error.message.includes(bad.password)) leaked.push('the password')
  expect(leaked).toEqual([])
  expect((error as InputError).input).toBe(input)
  expect(error.message).not.toMatch(/[\r\n]/)
  expect(error.message).toContain(found)
  if (input === 'identity') {
    expect(error.message.startsWith("Input 'identity': found ")).toBe(true)
    expect(error.message.endsWith(`; ${SUPPORTED_SHAPES}`)).toBe(true)
  }
})

function refusal(load: () => unknown): Error {
  try {
    load()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the identity to be refused')
}

/** The same PEM with the DER's last byte changed: for icp-cli's Ed25519 v2 export, a byte of the public key. */
function withLastDerByteFlipped(pem: string): string {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '')
  const der = Buffer.from(body, 'base64')
  der[der.length - 1] ^= 0x01
  const lines = der.toString('base64').match(/.{1,64}/g)!
  return ['-----BEGIN PRIVATE KEY-----', ...lines, '-----END PRIVATE KEY-----', ''].join('\n')
}

async function encryptedP384(): Promise<string> {
  const { createPrivateKey } = await import('node:crypto')
  const key = createPrivateKey(await p384Sec1())
  return key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSWORD }).toString()
}
