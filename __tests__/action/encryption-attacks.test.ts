// `encrypt-with` from dist/, against the replica and the local GitHub backend: an encrypted artifact is one age
// file of a tar archive, and every way of changing it, or of handing in something else, stops before the
// first byte reaches the IC, with one line. Crafted artifacts are uploaded in this process with the real
// @actions/artifact client, as a fork's run could.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type * as ArtifactModule from '@actions/artifact'
import type { ActorSubclass } from '@icp-sdk/core/agent'
import { IDL } from '@icp-sdk/core/candid'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1'
import type { Principal } from '@icp-sdk/core/principal'
import { Encrypter } from 'age-encryption'
import * as tar from 'tar-stream'
import { agentFor, counterFor, type Counter } from '../harness/agent.js'
import { startGitHubBackend, type GitHubBackend } from '../harness/github/index.js'
import { captureStepLog, inStep } from '../harness/github/step-env.js'
import { readTree, writeTree, type Tree } from '../harness/github/trees.js'
import { dfxSecp256k1Sec1, type PemFixture } from '../harness/pem.js'
import { Job, type StepResult } from '../harness/runner.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'

const RUN = 7101
const PASSPHRASE = 'correct horse battery staple 7101'
const SOURCE_VALUE = 31n
const TARGET_VALUE = 5n
const ATTACKER_VALUE = 666n

let replica: Replica
let github: GitHubBackend
let identity: PemFixture
let controller: Principal
let artifacts: typeof ArtifactModule
let log: ReturnType<typeof captureStepLog>
let work: string
const jobs: Job[] = []

let target: { id: Principal; counter: ActorSubclass<Counter> }
/** The genuine encrypted artifact's one file, and the snapshot directory it was made from. */
let sealed: Buffer
let sourceDir: string
let sourceId: string

const nat64 = (n: bigint) => new Uint8Array(IDL.encode([IDL.Nat64], [n]))

async function newCounter(initial: bigint): Promise<{ id: Principal; counter: ActorSubclass<Counter> }> {
  const id = await replica.seedCanister('counter', [controller], nat64(initial))
  return { id, counter: counterFor(await agentFor(replica, Ed25519KeyIdentity.generate()), id) }
}

async function newJob(): Promise<Job> {
  const job = await Job.create()
  jobs.push(job)
  return job
}

function step(job: Job, inputs: Record<string, string>): Promise<StepResult> {
  return job.main({
    inputs: { identity: identity.pem, network: replica.url, 'root-key': replica.rootKeyHex, ...inputs },
    env: { ...github.envFor({ runId: RUN }), CANISTER_SNAPSHOT_RETRY_SCALE: '0.01' }
  })
}

function expectSuccess(result: StepResult): void {
  if (result.code !== 0) throw new Error(`the step failed: ${result.errors.join(' | ') || result.stderr}`)
}

const metadataUploads = () =>
  replica.requests.filter(r => r.methodName === 'upload_canister_snapshot_metadata').length

/** upload-artifact of `name` into the target with `restore: true`. */
async function restoreInto(
  name: string,
  passphrase: string | undefined = PASSPHRASE
): Promise<{ result: StepResult; job: Job; ms: number }> {
  const job = await newJob()
  const started = Date.now()
  const result = await step(job, {
    mode: 'upload-artifact',
    canister: target.id.toText(),
    'artifact-name': name,
    'source-canister': sourceId,
    restore: 'true',
    ...(passphrase ? { 'encrypt-with': passphrase } : {})
  })
  return { result, job, ms: Date.now() - started }
}

/** The attack is inert: one line, no stack trace, no runner command beyond the error, nothing sent to the IC. */
async function expectRefused(name: string, line: string | RegExp, passphrase?: string): Promise<StepResult> {
  const before = metadataUploads()
  const { result } = await restoreInto(name, passphrase)
  expect(result.code).toBe(1)
  expect(result.errors).toHaveLength(1)
  if (typeof line === 'string') expect(result.errors[0]).toBe(line)
  else expect(result.errors[0]).toMatch(line)
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
  expect(
    result.commands.filter(c => !['add-mask', 'debug', 'group', 'endgroup', 'error'].includes(c.name))
  ).toEqual([])
  expect(metadataUploads()).toBe(before)
  expect(await target.counter.get()).toBe(TARGET_VALUE)
  return result
}

/** Uploads `tree` as artifact `name` of the run, as any step of it (or a fork's) could. */
async function uploadCrafted(name: string, tree: Tree): Promise<void> {
  const root = await mkdtemp(join(work, 'crafted-'))
  const files = await writeTree(root, tree)
  await inStep({ ...github.envFor({ runId: RUN }), GITHUB_WORKSPACE: work }, () =>
    new artifacts.DefaultArtifactClient().uploadArtifact(name, files, root)
  )
}

async function downloadInProcess(name: string): Promise<Tree> {
  const path = await mkdtemp(join(work, 'download-'))
  await inStep({ ...github.envFor({ runId: RUN }), GITHUB_WORKSPACE: work }, async () => {
    const client = new artifacts.DefaultArtifactClient()
    const { artifact } = await client.getArtifact(name)
    await client.downloadArtifact(artifact.id, { path })
  })
  return readTree(path)
}

type CraftedEntry = { header: tar.Headers; body?: Buffer }

/** A tar archive of `entries`, encrypted to PASSPHRASE as this action would (work factor 2^15, within bounds). */
async function sealArchive(entries: CraftedEntry[]): Promise<Buffer> {
  const pack = tar.pack()
  for (const { header, body } of entries) pack.entry(header, body ?? Buffer.alloc(0))
  pack.finalize()
  const chunks: Buffer[] = []
  for await (const chunk of pack) chunks.push(chunk as Buffer)
  const encrypter = new Encrypter()
  encrypter.setPassphrase(PASSPHRASE)
  encrypter.setScryptWorkFactor(15)
  return Buffer.from(await encrypter.encrypt(Buffer.concat(chunks)))
}

const sourceFile = async (name: string): Promise<CraftedEntry> => {
  const body = await readFile(join(sourceDir, name))
  return { header: { name, type: 'file', size: body.length }, body }
}

/** Bytes of the age header, up to and including its MAC line (age-encryption.org/v1: "--- <mac>\n"). */
function headerLength(file: Buffer): number {
  const mac = file.indexOf('\n--- ')
  return file.indexOf('\n', mac + 1) + 1
}

beforeAll(async () => {
  log = captureStepLog()
  replica = await startReplica({ syncCallTimeoutMs: 500 })
  github = await startGitHubBackend()
  identity = await dfxSecp256k1Sec1()
  controller = Secp256k1KeyIdentity.fromPem(identity.pem).getPrincipal()
  work = await mkdtemp(join(tmpdir(), 'encryption-attacks-'))
  // @actions/github fixes its API base URL when first imported.
  artifacts = await inStep(github.envFor({ runId: RUN }), () => import('@actions/artifact'))

  const source = await newCounter(SOURCE_VALUE)
  sourceId = source.id.toText()
  target = await newCounter(TARGET_VALUE)
  const downloaded = await step(await newJob(), {
    mode: 'download-artifact',
    canister: source.id.toText(),
    'snapshot-id': 'new',
    'artifact-name': 'sealed',
    'encrypt-with': PASSPHRASE
  })
  expectSuccess(downloaded)
  sourceDir = downloaded.outputs.path
  const tree = await downloadInProcess('sealed')
  expect(Object.keys(tree)).toEqual(['snapshot.tar.age'])
  sealed = tree['snapshot.tar.age']
}, 120_000)

afterAll(async () => {
  log?.release()
  for (const job of jobs) await job.cleanup()
  await github?.stop()
  await replica?.stop()
  if (work) await rm(work, { recursive: true, force: true })
})

describe('encrypt-with: one age file of a tar archive', () => {
  it('round trip: the artifact holds only snapshot.tar.age, and restores the source state', async () => {
    expect(sealed.subarray(0, 22).toString()).toBe('age-encryption.org/v1\n')
    expect(sealed.subarray(0, headerLength(sealed)).toString()).toMatch(/\n-> scrypt \S{22} 18\n/)
    for (const file of ['wasm_memory.bin', 'metadata.json', 'manifest.json']) {
      const plain = await readFile(join(sourceDir, file))
      expect(sealed.includes(plain.subarray(0, 64))).toBe(false)
    }
    const { result } = await restoreInto('sealed')
    expectSuccess(result)
    expect(result.stdout).toContain("Decrypted artifact 'sealed': 6 files from snapshot.tar.age")
    expect(await target.counter.get()).toBe(SOURCE_VALUE)
    expect(await target.counter.get_stable()).toBe(SOURCE_VALUE)
    // Put the target back for the attacks below.
    await target.counter.set(TARGET_VALUE)
  })

  it('refuses an artifact of the earlier format (ENCRYPTION.json with no files) beside plaintext state', async () => {
    const attacker = await newCounter(ATTACKER_VALUE)
    const plain = await step(await newJob(), {
      mode: 'download-artifact',
      canister: attacker.id.toText(),
      'snapshot-id': 'new',
      'artifact-name': 'attacker-plain'
    })
    expectSuccess(plain)
    const tree = await readTree(plain.outputs.path)
    tree['ENCRYPTION.json'] = Buffer.from(
      JSON.stringify({
        format: 'canister-snapshot-action/aes-256-gcm-scrypt/v1',
        kdf: { name: 'scrypt', N: 2 ** 30, r: 8, p: 1, salt: 'AAAAAAAAAAAAAAAAAAAAAA==' },
        files: []
      })
    )
    await uploadCrafted('old-format', tree)
    const line =
      "The artifact 'old-format' was encrypted by an earlier format of this action (it holds ENCRYPTION.json); download the snapshot again."
    await expectRefused('old-format', line)
    // Without encrypt-with it is refused just the same: it is not a plain artifact either.
    await expectRefused('old-format', line, '')
  })

  it('refuses a plaintext file beside the archive, naming it', async () => {
    await uploadCrafted('beside', {
      'snapshot.tar.age': sealed,
      'metadata.json': await readFile(join(sourceDir, 'metadata.json'))
    })
    await expectRefused(
      'beside',
      "The encrypted artifact 'beside' holds 'metadata.json' beside snapshot.tar.age, and an encrypted artifact holds nothing else; nothing was decrypted."
    )
  })

  it('refuses an archive cut off at a chunk boundary (age marks the last chunk)', async () => {
    const chunk = 64 * 1024 + 16
    const cut = headerLength(sealed) + 16 + chunk
    expect(sealed.length).toBeGreaterThan(cut + chunk)
    await uploadCrafted('truncated', { 'snapshot.tar.age': sealed.subarray(0, cut) })
    await expectRefused(
      'truncated',
      /^The encrypted artifact 'truncated' was changed or cut short after it was encrypted \(.+\); nothing was uploaded\.$/
    )
  })

  it('refuses an archive with one flipped byte in its payload', async () => {
    const flipped = Buffer.from(sealed)
    flipped[Math.floor((headerLength(sealed) + sealed.length) / 2)] ^= 0x01
    await uploadCrafted('flipped', { 'snapshot.tar.age': flipped })
    await expectRefused(
      'flipped',
      /^The encrypted artifact 'flipped' was changed or cut short after it was encrypted \(.+\); nothing was uploaded\.$/
    )
  })

  it('refuses a header that asks for a huge scrypt work factor, before any scrypt work', async () => {
    const header = sealed.subarray(0, headerLength(sealed)).toString()
    // 2^20 is the most age-encryption itself would run: 1 GiB and many seconds of pure-JS scrypt.
    const crafted = header.replace(/(\n-> scrypt \S+) 18\n/, '$1 20\n')
    expect(crafted).not.toBe(header)
    await uploadCrafted('work-factor', {
      'snapshot.tar.age': Buffer.concat([Buffer.from(crafted), sealed.subarray(header.length)])
    })
    const before = Date.now()
    await expectRefused(
      'work-factor',
      "The encrypted artifact 'work-factor' asks for scrypt work factor 2^20; this action writes 2^18 and accepts 2^15 to 2^18: it was not made by this action, so nothing was decrypted."
    )
    // The whole step (node start, artifact download) ends before one scrypt at 2^20 would (about 6 s here).
    expect(Date.now() - before).toBeLessThan(5000)
  })

  it('refuses a symlink in an archive sealed with the right passphrase', async () => {
    await uploadCrafted('symlink', {
      'snapshot.tar.age': await sealArchive([
        await sourceFile('metadata.json'),
        await sourceFile('manifest.json'),
        { header: { name: 'wasm_memory.bin', type: 'symlink', linkname: '/etc/passwd' } }
      ])
    })
    await expectRefused(
      'symlink',
      "The encrypted artifact 'symlink' is not a snapshot of this action: its archive entry 'wasm_memory.bin' is a symlink, not a regular file or a directory; nothing was uploaded."
    )
  })

  it('refuses an entry named ../x in an archive sealed with the right passphrase, and writes nothing outside', async () => {
    await uploadCrafted('dot-dot', {
      'snapshot.tar.age': await sealArchive([
        await sourceFile('metadata.json'),
        await sourceFile('manifest.json'),
        { header: { name: '../x', type: 'file', size: 5 }, body: Buffer.from('owned') }
      ])
    })
    const before = metadataUploads()
    const { result, job } = await restoreInto('dot-dot')
    expect(result.code).toBe(1)
    expect(result.errors).toEqual([
      "The encrypted artifact 'dot-dot' is not a snapshot of this action: its archive entry '../x' is not a file of a snapshot directory; nothing was uploaded."
    ])
    expect(await readdir(job.runnerTemp)).not.toContain('x')
    expect(metadataUploads()).toBe(before)
    expect(await target.counter.get()).toBe(TARGET_VALUE)
  })

  it('refuses an archive sealed with the right passphrase that has no manifest.json', async () => {
    await uploadCrafted('no-manifest', {
      'snapshot.tar.age': await sealArchive([await sourceFile('metadata.json')])
    })
    await expectRefused(
      'no-manifest',
      "The encrypted artifact 'no-manifest' is not a snapshot of this action: its archive holds no manifest.json; nothing was uploaded."
    )
  })

  it('refuses a wrong passphrase with one line naming encrypt-with', async () => {
    await expectRefused(
      'sealed',
      "Input 'encrypt-with': does not decrypt artifact 'sealed': a wrong passphrase, or the artifact was changed",
      'a wrong passphrase, long enough'
    )
  })

  it('keeps the one-line errors for a missing or a superfluous encrypt-with', async () => {
    await expectRefused('sealed', "Input 'encrypt-with': is required: artifact 'sealed' is encrypted", '')
    await expectRefused(
      'attacker-plain',
      "Input 'encrypt-with': is given, but artifact 'attacker-plain' is not encrypted"
    )
  })
})

// The README's recipe: `age -d snapshot.tar.age | tar -x -C dir` with the real CLI (Debian package `age`),
// which reads the passphrase from a terminal; `script` gives it one.
const ageCli = spawnSync('age', ['--version']).status === 0 && spawnSync('script', ['--version']).status === 0
const withAgeCli = ageCli ? it : it.skip
if (!ageCli) console.warn('the age CLI or script(1) is absent: the by-hand decryption test is skipped')

describe('encrypt-with: decrypting by hand', () => {
  withAgeCli('age -d | tar -x gives back the snapshot directory, file for file', async () => {
    const dir = await mkdtemp(join(work, 'by-hand-'))
    await mkdir(join(dir, 'out'))
    const archive = join(dir, 'snapshot.tar.age')
    await writeFile(archive, sealed)
    execFileSync('script', ['-qec', `age -d ${archive} | tar -x -C ${join(dir, 'out')}`, '/dev/null'], {
      input: `${PASSPHRASE}\n`,
      timeout: 30_000,
      stdio: ['pipe', 'ignore', 'inherit']
    })
    const extracted = await readTree(join(dir, 'out'))
    const original = await readTree(sourceDir)
    expect(Object.keys(extracted).sort()).toEqual(Object.keys(original).sort())
    for (const [file, bytes] of Object.entries(original)) expect(extracted[file].equals(bytes)).toBe(true)
    expect((await stat(join(dir, 'out', 'wasm_memory.bin'))).size).toBeGreaterThan(0)
  })
})
