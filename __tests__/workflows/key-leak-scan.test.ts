// The scan every job of the suite goes through (key-leaks.ts, runner.ts): it must find each form a key
// could leak in, in step output and in files, and nothing in output that holds no key.
import { createPrivateKey } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { findKeyMaterial, registerKey } from '../harness/key-leaks.js'
import { dfxSecp256k1Sec1, opensslEd25519Pkcs8 } from '../harness/pem.js'
import { Job } from '../harness/runner.js'

it('finds every form of a registered key, and nothing in text without one', async () => {
  const { pem } = await opensslEd25519Pkcs8()
  registerKey(pem)
  const key = createPrivateKey(pem)
  const raw = Buffer.from(key.export({ format: 'jwk' }).d as string, 'base64url')
  const der = key.export({ format: 'der', type: 'pkcs8' })
  const bodyLine = pem.split('\n')[1]
  for (const leak of [
    `log: ${bodyLine}`,
    `hex ${raw.toString('hex')}`,
    `b64 ${raw.toString('base64')}`,
    `der ${der.toString('base64')}`,
    Buffer.concat([Buffer.from('binary\0'), raw, Buffer.from('\0tail')])
  ]) {
    expect(findKeyMaterial(leak)).toBeDefined()
  }
  expect(findKeyMaterial('Identity 2vxsx-fae (PKCS#8 Ed25519) on http://127.0.0.1:4943')).toBeUndefined()
})

it('fails the cleanup of a job that left a key in its workspace', async () => {
  const { pem } = await dfxSecp256k1Sec1()
  const job = await Job.create()
  await writeFile(join(job.workspace, 'leaked.txt'), `oops\n${pem}`)
  await expect(job.cleanup()).rejects.toThrow(/^Key material leaked: .* is in .*leaked\.txt$/)
})
