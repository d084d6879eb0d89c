// Attacks on upload-artifact's trust in where a snapshot came from, and on the log and job summary through
// text from outside, each run from dist/ against the replica and the GitHub stand-in. Each case shows the
// attack does no harm (the canister keeps its state, no runner command reaches stdout) and the line the user
// gets.
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type * as ArtifactModule from '@actions/artifact'
import type { Principal } from '@icp-sdk/core/principal'
import { type GitHubBackend } from '../harness/github/index.js'
import { captureStepLog, inStep } from '../harness/github/step-env.js'
import { type PemFixture } from '../harness/pem.js'
import { Job, type StepResult } from '../harness/runner.js'
import { startActionWorld, type ActionWorld } from '../harness/action-world.js'
import { type Replica } from '../harness/replica/replica.js'

let world: ActionWorld
let replica: Replica
let github: GitHubBackend
let identity: PemFixture
let artifacts: typeof ArtifactModule
let work: string

beforeAll(async () => {
  world = await startActionWorld()
  ;({ replica, github, identity } = world)
  work = await mkdtemp(join(tmpdir(), 'attacker-'))
  // @actions/github fixes its API base URL when first imported.
  artifacts = await inStep(github.envFor({ runId: 1 }), () => import('@actions/artifact'))
})

afterAll(async () => {
  await rm(work, { recursive: true, force: true })
  await world?.stop()
})

afterEach(() => {
  replica.controls.clearFaults()
  github.controls.clear()
})

const newJob = (): Promise<Job> => world.newJob()

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex')

const newCounter = (initial: bigint) => world.newCounter(initial)

type RunEnv = { runId: number; event?: string; headRepository?: string }

function step(job: Job, run: number | RunEnv, inputs: Record<string, string>): Promise<StepResult> {
  const runEnv = typeof run === 'number' ? { runId: run } : run
  return job.main({
    inputs: { identity: identity.pem, network: replica.url, 'root-key': replica.rootKeyHex, ...inputs },
    env: { ...github.envFor(runEnv), CANISTER_SNAPSHOT_RETRY_SCALE: '0.01' }
  })
}

/** A snapshot directory of the canister on disk, as download-artifact writes it (and keeps as an artifact). */
async function downloadedDir(job: Job, run: number | RunEnv, id: Principal, name: string): Promise<string> {
  const result = await step(job, run, {
    mode: 'download-artifact',
    canister: id.toText(),
    'snapshot-id': 'new',
    'artifact-name': name,
    path: name
  })
  if (result.code !== 0) throw new Error(`could not prepare a snapshot: ${result.errors.join(' | ')}`)
  return result.outputs.path
}

/** What an attacker's run does: store any files it likes as an artifact of that run. */
async function storeArtifact(run: RunEnv, name: string, dir: string): Promise<void> {
  const names = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter(entry => entry.isFile())
    .map(entry => join(entry.parentPath, entry.name))
  const log = captureStepLog()
  try {
    await inStep({ ...github.envFor(run), GITHUB_WORKSPACE: work }, () =>
      new artifacts.DefaultArtifactClient().uploadArtifact(name, names, dir)
    )
  } finally {
    log.release()
  }
}

/** Rewrites manifest.json as the attacker likes, and SHA256SUMS to match, as anyone can. */
async function forgeManifest(
  dir: string,
  change: (manifest: Record<string, unknown>) => void
): Promise<void> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>
  change(manifest)
  const text = `${JSON.stringify(manifest, null, 2)}\n`
  await writeFile(join(dir, 'manifest.json'), text)
  const sums = (await readFile(join(dir, 'SHA256SUMS'), 'utf8')).replace(
    /^[0-9a-f]{64} {2}manifest\.json$/m,
    `${sha256(text)}  manifest.json`
  )
  await writeFile(join(dir, 'SHA256SUMS'), sums)
}

const uploads = () =>
  replica.requests.filter(r => r.methodName?.startsWith('upload_canister_snapshot')).length
const loads = (id: Principal) =>
  replica.requests.filter(
    r => r.methodName === 'load_canister_snapshot' && r.effectiveCanisterId === id.toText()
  ).length

/** Commands that would steer this step or its post step; the action itself writes them to files only. */
const steering = (result: StepResult) =>
  result.commands.filter(c =>
    ['save-state', 'set-output', 'stop-commands', 'add-path', 'set-env'].includes(c.name)
  )

function expectRefused(result: StepResult, pattern: RegExp): void {
  expect(result.code).toBe(1)
  expect(result.errors).toHaveLength(1)
  expect(result.errors[0]).toMatch(pattern)
  expect(result.stderr).not.toMatch(/\n\s+at /)
}

describe('an artifact cannot steer the action through manifest.json', () => {
  it('a canister field carrying runner commands is refused as not a principal, and no command reaches stdout', async () => {
    const victim = await newCounter(77n)
    const bystander = await newCounter(5n)
    const job = await newJob()
    const dir = await downloadedDir(job, 901, victim.id, 'injected')
    const forged = JSON.stringify({
      scope: 'job',
      canisters: [{ id: bystander.id.toText(), label: 'x', snapshotId: '00', moduleHash: '' }]
    })
    await forgeManifest(dir, manifest => {
      manifest.canister = `${victim.id.toText()}\n::save-state name=guarded-canisters::${forged}\n::set-output name=restored::true`
    })
    await storeArtifact({ runId: 901 }, 'injected-forged', dir)
    await victim.counter.inc()

    const uploadsBefore = uploads()
    const result = await step(await newJob(), 901, {
      mode: 'upload-artifact',
      canister: victim.id.toText(),
      'artifact-name': 'injected-forged',
      restore: 'true'
    })
    expectRefused(result, /manifest\.json is invalid: field 'canister' is "[a-z0-9-]+\\n::save-state/)
    expect(steering(result)).toEqual([])
    expect(result.state['guarded-canisters']).toBeUndefined()
    expect(result.outputs.restored).toBeUndefined()
    expect(uploads()).toBe(uploadsBefore)
    expect(await victim.counter.get()).toBe(78n)
    expect(await bystander.counter.get()).toBe(5n)
  })

  it('an artifact copied from another run is refused as a replay: its manifest names the run that made it', async () => {
    const { id, counter } = await newCounter(10n)
    const job = await newJob()
    const dir = await downloadedDir(job, 911, id, 'nightly')
    await counter.inc()
    // The genuine old artifact, stored again by a later run under the name that run's restore expects.
    await storeArtifact({ runId: 912 }, 'nightly-912', dir)

    const uploadsBefore = uploads()
    const result = await step(await newJob(), 912, {
      mode: 'upload-artifact',
      canister: id.toText(),
      'artifact-name': 'nightly-912',
      restore: 'true'
    })
    expectRefused(result, /fetched from run 912, but its manifest\.json says run 911.*replayed/)
    expect(uploads()).toBe(uploadsBefore)
    expect(await counter.get()).toBe(11n)
  })

  it('a snapshot of another canister is loaded only when source-canister names it', async () => {
    const source = await newCounter(40n)
    const target = await newCounter(3n)
    const job = await newJob()
    await downloadedDir(job, 921, source.id, 'from-source')
    const base = { mode: 'upload-artifact', canister: target.id.toText(), 'artifact-name': 'from-source' }

    const uploadsBefore = uploads()
    const unnamed = await step(await newJob(), 921, { ...base, restore: 'true' })
    expectRefused(
      unnamed,
      new RegExp(`'source-canister': is required to load a snapshot of ${source.id.toText()}`)
    )
    const wrong = await step(await newJob(), 921, {
      ...base,
      restore: 'true',
      'source-canister': target.id.toText()
    })
    expectRefused(wrong, new RegExp(`but the snapshot was taken from ${source.id.toText()}`))
    expect(uploads()).toBe(uploadsBefore)
    expect(loads(target.id)).toBe(0)
    expect(await target.counter.get()).toBe(3n)

    const named = await step(await newJob(), 921, {
      ...base,
      restore: 'true',
      'source-canister': source.id.toText()
    })
    expect(named.code).toBe(0)
    expect(named.log).toMatch(
      new RegExp(`Provenance: snapshot [0-9a-f]+ of ${source.id.toText()}, taken .*; downloaded by run 921`)
    )
    expect(await target.counter.get()).toBe(40n)
  })
})

describe('an artifact of another run', () => {
  it("of a fork's pull request is refused before a byte of it is read, unless allow-fork-artifact says so", async () => {
    const { id, counter } = await newCounter(20n)
    const fork = { runId: 931, event: 'pull_request', headRepository: 'mallory/canisters' }
    // The fork's run writes an artifact (here a genuine snapshot; it could hold anything).
    await downloadedDir(await newJob(), fork, id, 'pr-snapshot')
    await counter.inc()

    const inputs = {
      mode: 'upload-artifact',
      canister: id.toText(),
      'artifact-name': 'pr-snapshot',
      'run-id': '931',
      'github-token': 'ghs_fork_test_token',
      restore: 'true'
    }
    const requestsBefore = github.requests.length
    const refused = await step(await newJob(), 932, inputs)
    expectRefused(refused, /'allow-fork-artifact': run 931 ran code from mallory\/canisters/)
    const after = github.requests.slice(requestsBefore)
    expect(after.some(r => r.service === 'rest' && r.path.endsWith('/actions/runs/931'))).toBe(true)
    expect(after.some(r => r.service === 'blob')).toBe(false)
    expect(await counter.get()).toBe(21n)
    // The token is masked whatever the outcome.
    expect(refused.masks).toContain('ghs_fork_test_token')

    const allowed = await step(await newJob(), 932, { ...inputs, 'allow-fork-artifact': 'true' })
    expect(allowed.code).toBe(0)
    expect(allowed.warnings.join('\n')).toMatch(/ran code from mallory\/canisters/)
    expect(await counter.get()).toBe(20n)
  })

  it('must have a manifest saying what it holds', async () => {
    const { id, counter } = await newCounter(30n)
    const dir = await downloadedDir(await newJob(), 941, id, 'bare')
    // No manifest.json, and a SHA256SUMS that no longer lists it: every file is accounted for, but nothing
    // says which canister or run the snapshot is from.
    await rm(join(dir, 'manifest.json'))
    const sums = await readFile(join(dir, 'SHA256SUMS'), 'utf8')
    await writeFile(join(dir, 'SHA256SUMS'), sums.replace(/^.* {2}manifest\.json\n/m, ''))
    await storeArtifact({ runId: 941 }, 'bare-dir', dir)
    await counter.inc()

    const uploadsBefore = uploads()
    const result = await step(await newJob(), 942, {
      mode: 'upload-artifact',
      canister: id.toText(),
      'artifact-name': 'bare-dir',
      'run-id': '941',
      'github-token': 'ghs_token_for_tests',
      restore: 'true'
    })
    expectRefused(result, /has no manifest\.json; an artifact of another run must say/)
    expect(uploads()).toBe(uploadsBefore)
    expect(await counter.get()).toBe(31n)
  })
})

describe('text from the IC is inert', () => {
  it('a reject message carrying runner commands and HTML reaches neither stdout nor the summary as such', async () => {
    const probe = await replica.seedCanister('probe', [world.controller])
    // probe's `reject` rejects with its argument's bytes: the Candid text below, newlines and all.
    const payload =
      '\\n::save-state name=stopped-canisters::[\\"aaaaa-aa\\"]\\n::set-output name=rolled-back::false\\n<img src=x onerror=alert(1)>[click](https://evil.example)'
    const result = await (
      await newJob()
    ).main({
      inputs: {
        identity: identity.pem,
        network: replica.url,
        'root-key': replica.rootKeyHex,
        mode: 'guard-upgrade',
        canister: probe.toText(),
        deploy: 'true',
        'health-method': 'reject',
        'health-args': `("${payload}")`,
        'health-retries': '0',
        'health-delay': '0'
      },
      env: { CANISTER_SNAPSHOT_RETRY_SCALE: '0.01' }
    })
    expect(result.code).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(/Rolled back: /)
    expect(steering(result)).toEqual([])
    expect(result.outputs['rolled-back']).toBe('true')
    // The log shows the text, escaped, on the line that reports the failed check.
    expect(result.log).toMatch(/\\n::save-state name=stopped-canisters/)
    expect(result.summary).not.toContain('<img')
    expect(result.summary).not.toContain('](https://evil.example)')
    expect(result.summary).toContain('&#60;img')
  })
})

describe('the network', () => {
  it('refuses a root key fetched over plain HTTP from a host that is not loopback', async () => {
    const port = new URL(replica.url).port
    // 0.0.0.0 reaches this machine on Linux, so a broken check would connect to the replica and pass.
    const result = await (
      await newJob()
    ).main({
      inputs: {
        identity: identity.pem,
        network: `http://0.0.0.0:${port}`,
        mode: 'list',
        canister: 'aaaaa-aa'
      }
    })
    expectRefused(
      result,
      /^Input 'root-key': is required for http:\/\/0\.0\.0\.0:\d+: a root key fetched over plain HTTP/
    )
    const pinned = await (
      await newJob()
    ).main({
      inputs: {
        identity: identity.pem,
        network: `http://0.0.0.0:${port}`,
        'root-key': replica.rootKeyHex,
        mode: 'list',
        canister: (await newCounter(1n)).id.toText()
      }
    })
    expect(pinned.code).toBe(0)
  })
})
