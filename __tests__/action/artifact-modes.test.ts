// download-artifact and upload-artifact, run from dist/ as the runner runs them, against the replica and the
// local GitHub backend (Azurite + the results service stand-in).
import { createHash } from 'node:crypto'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ActorSubclass } from '@icp-sdk/core/agent'
import { IDL } from '@icp-sdk/core/candid'
import type { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1'
import { Principal } from '@icp-sdk/core/principal'
import { agentFor, counterFor, growAndFill, managementFor, type Counter } from '../harness/agent.js'
import { startGitHubBackend, type GitHubBackend } from '../harness/github/index.js'
import { zipEntries } from '../harness/github/zip-entries.js'
import { dfxSecp256k1Sec1, type PemFixture } from '../harness/pem.js'
import { Job, type StepResult } from '../harness/runner.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'

let replica: Replica
let github: GitHubBackend
let identity: PemFixture
let ic: IcManagementCanister
let controller: Principal
const jobs: Job[] = []

beforeAll(async () => {
  replica = await startReplica({ syncCallTimeoutMs: 500 })
  github = await startGitHubBackend()
  identity = await dfxSecp256k1Sec1()
  const controllerIdentity = Secp256k1KeyIdentity.fromPem(identity.pem)
  controller = controllerIdentity.getPrincipal()
  ic = managementFor(await agentFor(replica, controllerIdentity))
})

afterAll(async () => {
  for (const job of jobs) await job.cleanup()
  await github?.stop()
  await replica?.stop()
})

afterEach(() => {
  replica.controls.clearFaults()
  github.controls.clear()
})

async function newJob(): Promise<Job> {
  const job = await Job.create()
  jobs.push(job)
  return job
}

const nat64 = (n: bigint) => new Uint8Array(IDL.encode([IDL.Nat64], [n]))

async function newCounter(initial = 0n): Promise<{ id: Principal; counter: ActorSubclass<Counter> }> {
  const id = await replica.seedCanister('counter', [controller], nat64(initial))
  return { id, counter: counterFor(await agentFor(replica, Ed25519KeyIdentity.generate()), id) }
}

function step(
  job: Job,
  runId: number,
  inputs: Record<string, string>,
  extra: { killWhen?: RegExp } = {}
): Promise<StepResult> {
  return job.main({
    inputs: { identity: identity.pem, network: replica.url, 'root-key': replica.rootKeyHex, ...inputs },
    env: { ...github.envFor({ runId }), CANISTER_SNAPSHOT_RETRY_SCALE: '0.01' },
    ...extra
  })
}

function expectSuccess(result: StepResult): void {
  if (result.code !== 0) throw new Error(`the step failed: ${result.errors.join(' | ') || result.stderr}`)
}

async function takeSnapshot(canisterId: Principal): Promise<string> {
  return Buffer.from((await ic.takeCanisterSnapshot({ canisterId })).id).toString('hex')
}

const reads = () => replica.requests.filter(r => r.methodName === 'read_canister_snapshot_data').length
const uploads = () =>
  replica.requests.filter(r => r.methodName?.startsWith('upload_canister_snapshot')).length

/** SHA256SUMS without manifest.json's line: the manifest names the run, which differs between runs. */
async function sums(dir: string): Promise<string> {
  const text = await readFile(join(dir, 'SHA256SUMS'), 'utf8')
  return text
    .split('\n')
    .filter(line => !line.endsWith('manifest.json'))
    .join('\n')
}

describe('download-artifact then upload-artifact', () => {
  it('keeps a new snapshot as an artifact in one job and restores it into another canister in a second job', async () => {
    const source = await newCounter(42n)
    const target = await newCounter(0n)
    const first = await newJob()
    const downloaded = await step(first, 101, {
      mode: 'download-artifact',
      canister: source.id.toText(),
      'snapshot-id': 'new'
    })
    expectSuccess(downloaded)
    const snapshotId = downloaded.outputs['snapshot-id']
    const [artifact] = github.artifacts({ runId: 101 })
    expect(artifact.name).toBe(`snapshot-${source.id.toText()}-${snapshotId}`)
    expect(downloaded.outputs['artifact-id']).toBe(String(artifact.id))
    expect(`sha256:${downloaded.outputs['artifact-digest']}`).toBe(artifact.digest)
    const files = (await readdir(downloaded.outputs.path, { recursive: true })).sort()
    expect(files).toEqual(
      expect.arrayContaining([
        'SHA256SUMS',
        'manifest.json',
        'metadata.json',
        'stable_memory.bin',
        'wasm_memory.bin',
        'wasm_module.bin'
      ])
    )
    expect(files.some(f => f.startsWith('.'))).toBe(false)
    expect(downloaded.summary).toContain('Snapshot kept as an artifact')
    expect(await source.counter.get()).toBe(42n)
    // compression-level auto: a counter's memory is mostly zero pages, so the zip deflates.
    expect(downloaded.log).toMatch(/Zip compression: level 1 \(auto: deflate kept \d+ % of the bytes/)
    const entries = zipEntries(await github.artifactBlob(artifact.id))
    const memory = entries.find(e => e.name === 'wasm_memory.bin')
    expect(memory?.method).toBe(8)
    expect(memory!.compressedSize).toBeLessThan(memory!.size / 10)

    const second = await newJob()
    const uploaded = await step(second, 101, {
      mode: 'upload-artifact',
      canister: target.id.toText(),
      'artifact-name': artifact.name,
      'source-canister': source.id.toText(),
      restore: 'true'
    })
    expectSuccess(uploaded)
    expect(uploaded.outputs.restored).toBe('true')
    expect(await target.counter.get()).toBe(42n)
    expect(await target.counter.get_stable()).toBe(42n)
    expect(uploaded.summary).toContain('state transferred to another canister')
    const snapshots = await ic.listCanisterSnapshots({ canisterId: target.id })
    expect(snapshots.map(s => Buffer.from(s.id).toString('hex'))).toContain(uploaded.outputs['snapshot-id'])
  })

  it('stores memory that does not compress (compression-level auto), and the stored artifact restores', async () => {
    const source = await newCounter(7n)
    const target = await newCounter(0n)
    // xorshift output through both memories: what a full heap, or compressed data, looks like to zlib.
    await growAndFill(await agentFor(replica, Secp256k1KeyIdentity.fromPem(identity.pem)), source.id, {
      stablePages: 48,
      heapPages: 48,
      seed: 0xc0ffeen
    })
    const downloaded = await step(await newJob(), 105, {
      mode: 'download-artifact',
      canister: source.id.toText(),
      'snapshot-id': 'new'
    })
    expectSuccess(downloaded)
    expect(downloaded.log).toMatch(
      /Zip compression: none, the files are stored \(auto: deflate kept (9\d|1\d\d) % /
    )
    const [artifact] = github.artifacts({ runId: 105 })
    const entries = zipEntries(await github.artifactBlob(artifact.id))
    expect(entries.map(e => e.name)).toEqual(expect.arrayContaining(['wasm_memory.bin', 'stable_memory.bin']))
    for (const entry of entries) {
      expect(entry.method).toBe(0)
      expect(entry.compressedSize).toBe(entry.size)
    }

    const uploaded = await step(await newJob(), 105, {
      mode: 'upload-artifact',
      canister: target.id.toText(),
      'artifact-name': artifact.name,
      'source-canister': source.id.toText(),
      restore: 'true'
    })
    expectSuccess(uploaded)
    expect(await target.counter.get()).toBe(7n)

    // A level that is given is used as it is, whatever the sample would say.
    const given = await step(await newJob(), 106, {
      mode: 'download-artifact',
      canister: source.id.toText(),
      'snapshot-id': downloaded.outputs['snapshot-id'],
      'compression-level': '6'
    })
    expectSuccess(given)
    expect(given.log).toContain('Zip compression: level 6 (compression-level)')
    const [kept] = github.artifacts({ runId: 106 })
    expect(zipEntries(await github.artifactBlob(kept.id)).every(e => e.method === 8)).toBe(true)
  })

  it('encrypts the artifact with encrypt-with, and restores it only with the same passphrase', async () => {
    const source = await newCounter(31n)
    const target = await newCounter(0n)
    const passphrase = 'correct horse battery staple 31'
    const first = await newJob()
    const downloaded = await step(first, 111, {
      mode: 'download-artifact',
      canister: source.id.toText(),
      'snapshot-id': 'new',
      'artifact-name': 'encrypted',
      'compression-level': '0',
      'encrypt-with': passphrase
    })
    expectSuccess(downloaded)
    expect(downloaded.masks).toContain(passphrase)
    // Stored (compression 0) but encrypted: none of the snapshot's plaintext is in the artifact.
    const [artifact] = github.artifacts({ runId: 111 })
    const zip = await github.artifactBlob(artifact.id)
    expect(zip.includes(Buffer.from('snapshot.tar.age'))).toBe(true)
    expect(zip.includes(Buffer.from('metadata.json'))).toBe(false)
    for (const file of ['wasm_memory.bin', 'metadata.json', 'SHA256SUMS']) {
      const plain = await readFile(join(downloaded.outputs.path, file))
      expect(zip.includes(plain.subarray(0, 64))).toBe(false)
    }

    const uploadsBefore = uploads()
    const inputs = {
      mode: 'upload-artifact',
      canister: target.id.toText(),
      'artifact-name': 'encrypted',
      'source-canister': source.id.toText(),
      restore: 'true'
    }
    const missing = await step(await newJob(), 111, inputs)
    expect(missing.code).toBe(1)
    expect(missing.errors).toEqual(["Input 'encrypt-with': is required: artifact 'encrypted' is encrypted"])
    const wrong = await step(await newJob(), 111, {
      ...inputs,
      'encrypt-with': 'a wrong passphrase, long enough'
    })
    expect(wrong.code).toBe(1)
    expect(wrong.errors).toEqual([
      "Input 'encrypt-with': does not decrypt artifact 'encrypted': a wrong passphrase, or the artifact was changed"
    ])
    expect(wrong.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    expect(uploads()).toBe(uploadsBefore)

    const uploaded = await step(await newJob(), 111, { ...inputs, 'encrypt-with': passphrase })
    expectSuccess(uploaded)
    expect(uploaded.stdout).toContain("Decrypted artifact 'encrypted': 6 files from snapshot.tar.age")
    expect(await target.counter.get()).toBe(31n)
  })

  it('restores an artifact kept by an earlier run (workflow_dispatch rollback)', async () => {
    const { id, counter } = await newCounter(5n)
    const earlier = await step(await newJob(), 201, {
      mode: 'download-artifact',
      canister: id.toText(),
      'snapshot-id': 'new',
      'artifact-name': 'before-release'
    })
    expectSuccess(earlier)
    await counter.set(99n)

    const rollback = await step(await newJob(), 202, {
      mode: 'upload-artifact',
      canister: id.toText(),
      'artifact-name': 'before-release',
      'run-id': '201',
      'github-token': 'ghs_token_for_tests',
      restore: 'true'
    })
    expectSuccess(rollback)
    expect(await counter.get()).toBe(5n)
    expect(
      github.requests.some(r => r.service === 'rest' && r.path.includes('/actions/runs/201/artifacts'))
    ).toBe(true)
  })

  it('serves a second download of the same snapshot from the cache, with no IC reads', async () => {
    const { id } = await newCounter(3n)
    const snapshotId = await takeSnapshot(id)
    const inputs = {
      mode: 'download-artifact',
      canister: id.toText(),
      'snapshot-id': snapshotId,
      cache: 'true',
      path: 'snapshots/backend'
    }
    const cold = await step(await newJob(), 301, { ...inputs, 'artifact-name': 'cold' })
    expectSuccess(cold)
    expect(github.cacheEntries().map(e => e.key)).toContain(`canister-snapshot-${id.toText()}-${snapshotId}`)

    const readsBefore = reads()
    const warm = await step(await newJob(), 302, { ...inputs, 'artifact-name': 'warm' })
    expectSuccess(warm)
    // One read: the module, which a hit must match before it is trusted; no memory is read.
    expect(reads()).toBe(readsBefore + 1)
    expect(warm.summary).toContain('no memory read from the IC')
    expect(await sums(warm.outputs.path)).toBe(await sums(cold.outputs.path))
  })

  it('refuses an artifact changed in storage before anything is uploaded', async () => {
    const { id } = await newCounter(8n)
    const kept = await step(await newJob(), 401, {
      mode: 'download-artifact',
      canister: id.toText(),
      'snapshot-id': 'new',
      'artifact-name': 'tampered'
    })
    expectSuccess(kept)
    // Another valid zip in its place: the digest recorded at upload no longer matches what is served.
    const other = await step(await newJob(), 401, {
      mode: 'download-artifact',
      canister: (await newCounter(1n)).id.toText(),
      'snapshot-id': 'new',
      'artifact-name': 'other'
    })
    expectSuccess(other)
    const [artifact] = github.artifacts({ runId: 401, name: 'tampered' })
    const [replacement] = github.artifacts({ runId: 401, name: 'other' })
    await github.replaceArtifactBlob(artifact.id, await github.artifactBlob(replacement.id))

    const uploadsBefore = uploads()
    const refused = await step(await newJob(), 401, {
      mode: 'upload-artifact',
      canister: id.toText(),
      'artifact-name': 'tampered',
      restore: 'true'
    })
    expect(refused.code).toBe(1)
    expect(refused.errors).toHaveLength(1)
    expect(refused.errors[0]).toMatch(/tampered|digest|damaged/)
    expect(uploads()).toBe(uploadsBefore)
  })

  it('refuses a local snapshot directory with an altered file, naming it, before anything is uploaded', async () => {
    const { id } = await newCounter(9n)
    const job = await newJob()
    const kept = await step(job, 501, {
      mode: 'download-artifact',
      canister: id.toText(),
      'snapshot-id': 'new',
      path: 'snap'
    })
    expectSuccess(kept)
    const memory = join(kept.outputs.path, 'stable_memory.bin')
    const bytes = await readFile(memory)
    bytes[10] ^= 0x01
    await writeFile(memory, bytes)

    const uploadsBefore = uploads()
    const refused = await step(job, 501, { mode: 'upload-artifact', canister: id.toText(), path: 'snap' })
    expect(refused.code).toBe(1)
    expect(refused.errors).toHaveLength(1)
    expect(refused.errors[0]).toContain('stable_memory.bin')
    expect(uploads()).toBe(uploadsBefore)
  })

  it('resumes a download killed part-way and ends with byte-identical files', async () => {
    const { id } = await newCounter(1n)
    // 10 MiB of stable memory that does not compress: several slices, so a kill lands part-way.
    const call = (methodName: string, arg: bigint) =>
      replica.state.update({
        sender: controller,
        canisterId: id,
        effectiveCanisterId: id,
        methodName,
        arg: nat64(arg)
      })
    await call('grow_stable', 160n)
    await call('fill', 7n)
    const snapshotId = await takeSnapshot(id)
    const inputs = {
      mode: 'download-artifact',
      canister: id.toText(),
      'snapshot-id': snapshotId,
      path: 'resumable',
      concurrency: '2'
    }

    const job = await newJob()
    // Slow reads, so that progress is saved (at most once a second, with a flush of the files first) well
    // before the kill past 60 %, even on a loaded machine: at 400 ms a CI run once killed before any save.
    replica.controls.delayMethod('read_canister_snapshot_data', 800)
    const killed = await step(
      job,
      601,
      { ...inputs, 'artifact-name': 'killed' },
      { killWhen: /Downloaded .*\(([6-9]\d) %\)/ }
    )
    expect(killed.signal).toBe('SIGKILL')
    replica.controls.delayMethod('read_canister_snapshot_data', 0)
    const readsBefore = reads()
    const resumed = await step(job, 601, { ...inputs, 'artifact-name': 'resumed' })
    expectSuccess(resumed)
    const resumedReads = reads() - readsBefore

    const fresh = await step(await newJob(), 602, { ...inputs, 'artifact-name': 'fresh' })
    expectSuccess(fresh)
    expect(await sums(resumed.outputs.path)).toBe(await sums(fresh.outputs.path))
    const freshReads = reads() - readsBefore - resumedReads
    expect(resumedReads).toBeLessThan(freshReads)
    const digest = createHash('sha256')
      .update(await readFile(join(resumed.outputs.path, 'stable_memory.bin')))
      .digest('hex')
    expect(await sums(resumed.outputs.path)).toContain(digest)
  })
})
