// Attacks on the snapshot directory an upload reads and on the cache a download trusts, run from dist/
// against the replica and the GitHub stand-in. Each case shows the attack does no harm and the line the user
// gets.
import { cp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type * as ArtifactModule from '@actions/artifact'
import type * as CacheModule from '@actions/cache'
import type { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import type { Principal } from '@icp-sdk/core/principal'
import { type GitHubBackend } from '../harness/github/index.js'
import { captureStepLog, inStep } from '../harness/github/step-env.js'
import { type PemFixture } from '../harness/pem.js'
import { Job, type StepResult } from '../harness/runner.js'
import { hex, startActionWorld, type ActionWorld } from '../harness/action-world.js'
import { type Replica } from '../harness/replica/replica.js'

let world: ActionWorld
let replica: Replica
let github: GitHubBackend
let identity: PemFixture
let ic: IcManagementCanister
let artifacts: typeof ArtifactModule
let cache: typeof CacheModule
const RUN = 1401

beforeAll(async () => {
  world = await startActionWorld()
  ;({ replica, github, identity, ic } = world)
  // @actions/github fixes its API base URL when first imported.
  artifacts = await inStep(github.envFor({ runId: RUN }), () => import('@actions/artifact'))
  cache = await import('@actions/cache')
})

afterAll(async () => {
  await world?.stop()
})

afterEach(() => replica.controls.clearFaults())

const newJob = (): Promise<Job> => world.newJob()

const newCounter = (initial: bigint) => world.newCounter(initial)

function step(job: Job, inputs: Record<string, string>): Promise<StepResult> {
  return job.main({
    inputs: { identity: identity.pem, network: replica.url, 'root-key': replica.rootKeyHex, ...inputs },
    env: { ...github.envFor({ runId: RUN }), CANISTER_SNAPSHOT_RETRY_SCALE: '0.01' }
  })
}

function expectSuccess(result: StepResult): void {
  if (result.code !== 0) throw new Error(`the step failed: ${result.errors.join(' | ') || result.stderr}`)
}

function expectRefused(result: StepResult, pattern: RegExp): void {
  expect(result.code).toBe(1)
  expect(result.errors).toHaveLength(1)
  expect(result.errors[0]).toMatch(pattern)
}

/** A snapshot directory of the canister's current state in the job's workspace, as download-artifact writes it. */
async function snapshotDir(
  job: Job,
  id: Principal,
  path: string
): Promise<{ dir: string; snapshotId: string }> {
  const result = await step(job, {
    mode: 'download-artifact',
    canister: id.toText(),
    'snapshot-id': 'new',
    path
  })
  expectSuccess(result)
  return { dir: result.outputs.path, snapshotId: result.outputs['snapshot-id'] }
}

async function storeArtifact(name: string, dir: string): Promise<void> {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter(entry => entry.isFile())
    .map(entry => join(entry.parentPath, entry.name))
  const log = captureStepLog()
  try {
    await inStep(github.envFor({ runId: RUN }), () =>
      new artifacts.DefaultArtifactClient().uploadArtifact(name, files, dir)
    )
  } finally {
    log.release()
  }
}

const calls = (id: Principal, method: string) =>
  replica.requests.filter(r => r.methodName === method && r.effectiveCanisterId === id.toText()).length

describe('transfer state never travels in a snapshot directory', () => {
  it('an artifact whose .upload_progress.json names an old snapshot of the target cannot make restore load it', async () => {
    const { id, counter } = await newCounter(1n)
    const old = hex((await ic.takeCanisterSnapshot({ canisterId: id })).id)
    await counter.inc()
    const { dir } = await snapshotDir(await newJob(), id, 'attack')
    const metadata = JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8'))
    const progress = {
      snapshot_id: old,
      metadata_uploaded: true,
      wasm_module_offset: metadata.wasm_module_size,
      wasm_memory_offset: metadata.wasm_memory_size,
      stable_memory_offset: metadata.stable_memory_size,
      wasm_chunks_uploaded: []
    }
    await writeFile(join(dir, '.upload_progress.json'), JSON.stringify(progress))
    await storeArtifact('with-progress', dir)
    await counter.inc()

    const result = await step(await newJob(), {
      mode: 'upload-artifact',
      canister: id.toText(),
      'artifact-name': 'with-progress',
      restore: 'true'
    })
    expectRefused(result, /\.upload_progress\.json is not listed in SHA256SUMS/)
    expect(calls(id, 'load_canister_snapshot')).toBe(0)
    expect(calls(id, 'upload_canister_snapshot_metadata')).toBe(0)
    expect(await counter.get()).toBe(3n)
  })

  it('a file not listed in SHA256SUMS, in an artifact, is refused by name', async () => {
    const { id, counter } = await newCounter(4n)
    const { dir } = await snapshotDir(await newJob(), id, 'extra')
    await writeFile(join(dir, 'notes.txt'), 'anything')
    await storeArtifact('with-extra', dir)
    const result = await step(await newJob(), {
      mode: 'upload-artifact',
      canister: id.toText(),
      'artifact-name': 'with-extra'
    })
    expectRefused(result, /notes\.txt is not listed in SHA256SUMS/)
    expect(calls(id, 'upload_canister_snapshot_metadata')).toBe(0)
    expect(await counter.get()).toBe(4n)
  })

  it('a local path resumes only into an uploaded snapshot with its metadata, never into a taken one', async () => {
    const { id, counter } = await newCounter(5n)
    const job = await newJob()
    const { dir, snapshotId: taken } = await snapshotDir(job, id, 'local')
    await counter.inc()
    const metadata = JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8'))
    const forged = JSON.stringify({
      snapshot_id: taken,
      metadata_uploaded: true,
      wasm_module_offset: metadata.wasm_module_size,
      wasm_memory_offset: metadata.wasm_memory_size,
      stable_memory_offset: metadata.stable_memory_size,
      wasm_chunks_uploaded: []
    })
    // Beside the directory, where the action keeps it, and inside it, where icp-cli does: neither is trusted.
    await writeFile(`${dir}.upload_progress.json`, forged)
    await writeFile(join(dir, '.upload_progress.json'), forged)
    const result = await step(job, {
      mode: 'upload-artifact',
      canister: id.toText(),
      path: 'local',
      restore: 'true'
    })
    expectSuccess(result)
    expect(result.log).toContain(`which was taken from the canister, not uploaded; starting a new upload`)
    expect(result.outputs['snapshot-id']).not.toBe(taken)
    expect(calls(id, 'upload_canister_snapshot_data')).toBeGreaterThan(0)
    expect(await counter.get()).toBe(5n)
  })
})

describe('what a directory may hold', () => {
  it('a symlink in a local path is refused before anything is uploaded', async () => {
    const { id } = await newCounter(6n)
    const job = await newJob()
    const { dir } = await snapshotDir(job, id, 'linked')
    const memory = join(dir, 'stable_memory.bin')
    await cp(memory, join(job.workspace, 'elsewhere.bin'))
    await rm(memory)
    await symlink(join(job.workspace, 'elsewhere.bin'), memory)
    const result = await step(job, { mode: 'upload-artifact', canister: id.toText(), path: 'linked' })
    expectRefused(result, /stable_memory\.bin is a symbolic link; only regular files are read/)
    expect(calls(id, 'upload_canister_snapshot_metadata')).toBe(0)
  })

  it('an oversized metadata.json is refused before it is read', async () => {
    const { id } = await newCounter(7n)
    const job = await newJob()
    await mkdir(join(job.workspace, 'huge'), { recursive: true })
    await writeFile(join(job.workspace, 'huge', 'metadata.json'), Buffer.alloc(2 * 1024 * 1024, 0x20))
    const result = await step(job, { mode: 'upload-artifact', canister: id.toText(), path: 'huge' })
    expectRefused(result, /metadata\.json has 2097152 bytes; a file of this kind has at most 1048576/)
  })
})

describe('replace', () => {
  it('below the limit, keeps the old snapshot until the new one is complete, and an upload that fails keeps it', async () => {
    const { id, counter } = await newCounter(8n)
    const old = hex((await ic.takeCanisterSnapshot({ canisterId: id })).id)
    await storeArtifact('replacement', (await snapshotDir(await newJob(), id, 'replacement')).dir)
    const listed = async () => (await ic.listCanisterSnapshots({ canisterId: id })).map(s => hex(s.id))
    const before = await listed()
    // Every data upload fails, past the retries.
    replica.controls.failNext(1_000, '5xx', ['call'], 'upload_canister_snapshot_data')
    const failed = await step(await newJob(), {
      mode: 'upload-artifact',
      canister: id.toText(),
      'artifact-name': 'replacement',
      replace: old
    })
    expect(failed.code).toBe(1)
    expect(failed.errors[0]).toMatch(
      new RegExp(`half-uploaded snapshot [0-9a-f]+ was deleted; ${old} is kept`)
    )
    expect(await listed()).toEqual(before)
    replica.controls.clearFaults()

    const done = await step(await newJob(), {
      mode: 'upload-artifact',
      canister: id.toText(),
      'artifact-name': 'replacement',
      replace: old
    })
    expectSuccess(done)
    const after = await listed()
    expect(after).not.toContain(old)
    expect(after).toContain(done.outputs['snapshot-id'])
    expect(done.log).toContain(
      `Deleted ${old}, which the new snapshot ${done.outputs['snapshot-id']} replaces`
    )
    expect(await counter.get()).toBe(8n)
  })
})

describe('the cache', () => {
  it('a poisoned entry under the predictable key is caught against the IC, and the snapshot is read from the IC', async () => {
    const { id, counter } = await newCounter(9n)
    const oldState = await snapshotDir(await newJob(), id, 'old-state')
    await counter.inc()
    const snapshotId = hex((await ic.takeCanisterSnapshot({ canisterId: id })).id)

    // The attacker's job saves the old state under the key the victim's download of the new snapshot uses.
    const victim = await newJob()
    const dir = join(victim.runnerTemp, 'canister-snapshots', `${id.toText()}-${snapshotId}`)
    await cp(oldState.dir, dir, { recursive: true })
    const log = captureStepLog()
    try {
      const env = {
        ...github.envFor({ runId: RUN }),
        GITHUB_WORKSPACE: victim.workspace,
        RUNNER_TEMP: victim.runnerTemp
      }
      expect(
        await inStep(env, () => cache.saveCache([dir], `canister-snapshot-${id.toText()}-${snapshotId}`))
      ).not.toBe(-1)
    } finally {
      log.release()
    }
    await rm(dir, { recursive: true, force: true })

    const result = await step(victim, {
      mode: 'download-artifact',
      canister: id.toText(),
      'snapshot-id': snapshotId,
      cache: 'true'
    })
    expectSuccess(result)
    expect(result.warnings.join('\n')).toMatch(
      new RegExp(
        `is not snapshot ${snapshotId} as the IC has it \\(its metadata\\.json is not what the IC reports`
      )
    )
    expect(result.log).toContain(`Download of snapshot ${snapshotId}`)
    const metadata = await readFile(join(result.outputs.path, 'metadata.json'), 'utf8')
    expect(metadata).not.toBe(await readFile(join(oldState.dir, 'metadata.json'), 'utf8'))
  })
})
