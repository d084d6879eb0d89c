// guard-upgrade run from dist/ as the runner runs it, against the replica. The deploy is the real icp-cli
// upgrading the WAT counter, to a new release (good) or to broken_counter (its `health` traps); the canister
// is observed through the real client as its controller.
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ActorSubclass } from '@icp-sdk/core/agent'
import type { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import { IDL } from '@icp-sdk/core/candid'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1'
import type { Principal } from '@icp-sdk/core/principal'
import { agentFor, counterFor, managementFor, type Counter } from '../harness/agent.js'
import { compileCanister, withReleaseTag } from '../harness/canisters/compile.js'
import { ICP_BIN, IcpCli } from '../harness/icp-cli.js'
import { dfxSecp256k1Sec1, type PemFixture } from '../harness/pem.js'
import { Job, type JobStatus, type StepResult, stateValue } from '../harness/runner.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'

let replica: Replica
let identity: PemFixture
let job: Job
let ic: IcManagementCanister
let controller: Principal
let icp: IcpCli
const modules: Record<'counter' | 'release2' | 'release3' | 'broken', Uint8Array> = {} as never

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const hex = (bytes: Uint8Array | number[]) => Buffer.from(bytes).toString('hex')

beforeAll(async () => {
  replica = await startReplica({ syncCallTimeoutMs: 500 })
  identity = await dfxSecp256k1Sec1()
  const controllerIdentity = Secp256k1KeyIdentity.fromPem(identity.pem)
  controller = controllerIdentity.getPrincipal()
  ic = managementFor(await agentFor(replica, controllerIdentity))
  job = await Job.create()
  icp = await IcpCli.create({ url: replica.url, rootKeyHex: replica.rootKeyHex })
  const pemFile = join(icp.root, 'secrets', 'controller.pem')
  await writeFile(pemFile, identity.pem, { mode: 0o600 })
  await icp.importIdentity('controller', pemFile)
  modules.counter = await compileCanister('counter')
  modules.release2 = withReleaseTag(modules.counter, '2')
  modules.release3 = withReleaseTag(modules.counter, '3')
  modules.broken = await compileCanister('broken_counter')
  for (const [name, bytes] of Object.entries(modules))
    await writeFile(join(job.workspace, `${name}.wasm`), bytes)
})

afterAll(async () => {
  await icp?.cleanup()
  await job?.cleanup()
  await replica?.stop()
})

async function newCounter(initial: bigint): Promise<{ id: Principal; counter: ActorSubclass<Counter> }> {
  const id = await replica.seedCanister(
    'counter',
    [controller],
    new Uint8Array(IDL.encode([IDL.Nat64], [initial]))
  )
  return { id, counter: counterFor(await agentFor(replica, Ed25519KeyIdentity.generate()), id) }
}

/** Shell text for a deploy step: icp-cli, as a workflow would run it, against the replica. */
const icpCommand = (args: string) => `"$ICP" ${args} $ICP_TARGET`
const upgrade = (id: Principal, module: keyof typeof modules) =>
  icpCommand(`canister install ${id.toText()} --wasm ${module}.wasm --mode upgrade`)
const setCounter = (id: Principal, value: number) =>
  icpCommand(`canister call ${id.toText()} set '(${value} : nat64)'`)

function stepOptions(inputs: Record<string, string>) {
  return {
    inputs: {
      identity: identity.pem,
      network: replica.url,
      'root-key': replica.rootKeyHex,
      'health-delay': '0',
      ...inputs
    },
    env: {
      ...(icp.env as Record<string, string>),
      ICP: ICP_BIN,
      ICP_TARGET: `--network ${replica.url} --root-key ${replica.rootKeyHex} --identity controller`,
      CANISTER_SNAPSHOT_RETRY_SCALE: '0.01'
    }
  }
}

function guard(inputs: Record<string, string>, extra: { cancelWhen?: RegExp } = {}): Promise<StepResult> {
  return job.main({ ...stepOptions({ mode: 'guard-upgrade', ...inputs }), ...extra })
}

function post(main: StepResult, inputs: Record<string, string>, jobStatus: JobStatus) {
  return job.post({ ...stepOptions({ mode: 'guard-upgrade', ...inputs }), state: main.state, jobStatus })
}

async function moduleHash(id: Principal): Promise<string> {
  return hex((await ic.canisterStatus({ canisterId: id })).module_hash[0] as Uint8Array)
}

async function runState(id: Principal): Promise<string> {
  return Object.keys((await ic.canisterStatus({ canisterId: id })).status)[0]
}

async function snapshotIds(id: Principal): Promise<string[]> {
  return (await ic.listCanisterSnapshots({ canisterId: id })).map(s => hex(s.id))
}

function expectSuccess(result: StepResult): void {
  if (result.code !== 0) throw new Error(`the step failed: ${result.errors.join(' | ') || result.stderr}`)
}

describe('in-step guard', () => {
  it('keeps a good upgrade that passes every check', async () => {
    const { id, counter } = await newCounter(7n)
    const result = await guard({
      canister: id.toText(),
      deploy: upgrade(id, 'release2'),
      'health-method': 'health',
      'health-expect': '("ok")',
      wasm: 'release2.wasm',
      'health-command': `${icpCommand(`canister call ${id.toText()} get '()'`)} | grep -F '(7 : nat64)'`
    })
    expectSuccess(result)
    expect(await moduleHash(id)).toBe(sha256(modules.release2))
    expect(await counter.get()).toBe(7n)
    expect(await runState(id)).toBe('running')
    const snapshots = await snapshotIds(id)
    expect(snapshots).toHaveLength(1)
    expect(JSON.parse(result.outputs['snapshot-ids'])).toEqual({ [id.toText()]: snapshots[0] })
    expect(result.outputs['module-hash-before']).toBe(sha256(modules.counter))
    expect(result.outputs['module-hash-after']).toBe(sha256(modules.release2))
    expect(result.outputs['rolled-back']).toBe('false')
    expect(result.outputs['failed-check']).toBe('')
    // The guard is settled: a later failure of the job must not undo this deploy.
    expect(stateValue(result.state['guarded-canisters'])).toBe('')
    expect(result.summary).toMatch(
      /Timeline[\s\S]*Snapshot of[\s\S]*Deploy[\s\S]*Module hash of[\s\S]*health\(\) on[\s\S]*Command/
    )
    expect(result.summary).toContain('replied ("ok")')
    expect(result.summary).toContain('Canisters after the deploy')
  })

  it('rolls back an upgrade whose health method traps, and the counter holds its pre-deploy value', async () => {
    const { id, counter } = await newCounter(7n)
    const result = await guard({
      canister: id.toText(),
      deploy: `${setCounter(id, 99)} && ${upgrade(id, 'broken')}`,
      'health-method': 'health',
      'health-retries': '1'
    })
    expect(result.code).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(
      /^The deploy failed the health-method check \(health\(\) on \S+\): rejected \(IC0503\): Canister called `ic0.trap` with message: 'health check failed'\. Rolled back: \S+ runs [0-9a-f]{12}… again from snapshot [0-9a-f]+\.$/
    )
    expect(result.stdout).toContain('(attempt 1 of 2); trying again in 0 s')
    expect(await moduleHash(id)).toBe(sha256(modules.counter))
    expect(await counter.get()).toBe(7n)
    expect(await runState(id)).toBe('running')
    expect(result.outputs['rolled-back']).toBe('true')
    expect(result.outputs['failed-check']).toBe('health-method')
    expect(result.outputs['module-hash-after']).toBe(sha256(modules.broken))
    expect(stateValue(result.state['guarded-canisters'])).toBe('')
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    expect(result.summary).toContain('Canisters after the rollback')
    // The rollback settled everything: the post step has nothing left to do.
    const cleanup = await post(result, { canister: id.toText() }, 'failure')
    expect(cleanup?.code).toBe(0)
    expect(cleanup?.stdout).toContain('no guard in force')
  })

  it('rolls back when the health reply differs from health-expect', async () => {
    const { id, counter } = await newCounter(5n)
    const result = await guard({
      canister: id.toText(),
      deploy: `${setCounter(id, 6)} && ${upgrade(id, 'release2')}`,
      'health-method': 'get',
      'health-expect': '(5 : nat64)',
      'health-retries': '0'
    })
    expect(result.code).toBe(1)
    expect(result.errors[0]).toContain('replied (6 : nat64), expected (5 : nat64)')
    expect(result.outputs['failed-check']).toBe('health-method')
    expect(await counter.get()).toBe(5n)
    expect(await moduleHash(id)).toBe(sha256(modules.counter))
  })

  it('rolls back when the module hash differs from the expected one', async () => {
    const { id } = await newCounter(1n)
    const result = await guard({
      canister: id.toText(),
      deploy: upgrade(id, 'release2'),
      'expected-module-hash': `0x${sha256(modules.release3)}`,
      'health-retries': '0'
    })
    expect(result.code).toBe(1)
    expect(result.errors[0]).toContain(
      `runs ${sha256(modules.release2)}, expected ${sha256(modules.release3)} from 'expected-module-hash'`
    )
    expect(result.outputs['failed-check']).toBe('module-hash')
    expect(await moduleHash(id)).toBe(sha256(modules.counter))
  })

  it('rolls back when the deploy exits non-zero, even after it changed the state', async () => {
    const { id, counter } = await newCounter(7n)
    const result = await guard({ canister: id.toText(), deploy: `${setCounter(id, 99)} && exit 3` })
    expect(result.code).toBe(1)
    expect(result.errors[0]).toMatch(/^The deploy command exited with 3\. Rolled back: /)
    expect(result.outputs['failed-check']).toBe('deploy')
    expect(await counter.get()).toBe(7n)
    expect(result.summary).toMatch(/Deploy[^\n]*❌ failed/)
  })

  it('rolls back both canisters of a group when only one breaks', async () => {
    const a = await newCounter(10n)
    const b = await newCounter(20n)
    const result = await guard({
      canister: `${a.id.toText()}, ${b.id.toText()}`,
      deploy: [
        setCounter(a.id, 11),
        setCounter(b.id, 21),
        upgrade(a.id, 'release2'),
        upgrade(b.id, 'broken')
      ].join(' && '),
      'health-method': 'health',
      'health-retries': '0'
    })
    expect(result.code).toBe(1)
    expect(result.errors[0]).toContain(`health() on ${b.id.toText()}`)
    for (const [{ id, counter }, value] of [
      [a, 10n],
      [b, 20n]
    ] as const) {
      expect(await moduleHash(id)).toBe(sha256(modules.counter))
      expect(await counter.get()).toBe(value)
      expect(await runState(id)).toBe('running')
    }
    expect(Object.keys(JSON.parse(result.outputs['snapshot-ids']))).toEqual([a.id.toText(), b.id.toText()])
    expect(JSON.parse(result.outputs['module-hash-after'])).toEqual({
      [a.id.toText()]: sha256(modules.release2),
      [b.id.toText()]: sha256(modules.broken)
    })
  })

  it('says exactly what is left when the rollback itself fails, and the post step finishes it', async () => {
    const { id, counter } = await newCounter(7n)
    // Every load_canister_snapshot fails, through all retries, until the faults are cleared.
    replica.controls.failNext(1000, '5xx', ['call'], 'load_canister_snapshot')
    const result = await guard({
      canister: id.toText(),
      deploy: `${setCounter(id, 99)} && ${upgrade(id, 'broken')}`,
      'health-method': 'health',
      'health-retries': '0'
    })
    replica.controls.clearFaults()
    expect(result.code).toBe(1)
    expect(result.errors).toHaveLength(1)
    const snapshotId = result.outputs['snapshot-id']
    const on = `-n ${replica.url} --root-key fetch`
    expect(result.errors[0]).toMatch(
      new RegExp(
        `^The deploy failed the health-method check .*\\. ROLLBACK INCOMPLETE: ${id.toText()} is running and runs module ${sha256(modules.broken).slice(0, 12)}… \\(.*503.*\\); restore it by hand, as a controller, with 'icp canister stop ${id.toText()} ${on}', 'icp canister snapshot restore ${id.toText()} ${snapshotId} ${on}' and 'icp canister start ${id.toText()} ${on}'\\.$`
      )
    )
    expect(result.outputs['rolled-back']).toBe('false')
    expect(await runState(id)).toBe('running')
    expect(JSON.parse(stateValue(result.state['guarded-canisters'])).canisters).toEqual([
      expect.objectContaining({ id: id.toText(), snapshotId })
    ])

    const cleanup = await post(result, { canister: id.toText() }, 'failure')
    expect(cleanup?.code).toBe(0)
    expect(await moduleHash(id)).toBe(sha256(modules.counter))
    expect(await counter.get()).toBe(7n)
  })

  it('deletes the guard snapshot after a good deploy when keep-snapshot is false', async () => {
    const { id } = await newCounter(1n)
    const result = await guard({
      canister: id.toText(),
      deploy: upgrade(id, 'release2'),
      'keep-snapshot': 'false'
    })
    expectSuccess(result)
    expect(await snapshotIds(id)).toEqual([])
    expect(result.summary).toContain('deleted (keep-snapshot: false)')
  })

  it('replaces the oldest snapshot at the limit rather than blocking the deploy', async () => {
    const { id } = await newCounter(1n)
    for (let i = 0; i < 10; i++) await ic.takeCanisterSnapshot({ canisterId: id })
    const before = await snapshotIds(id)
    const result = await guard({ canister: id.toText(), deploy: upgrade(id, 'release2') })
    expectSuccess(result)
    const after = await snapshotIds(id)
    expect(after).toHaveLength(10)
    expect(after).not.toContain(before[0])
    expect(after).toContain(result.outputs['snapshot-id'])
  })

  it('is cancelled during the deploy: the deploy is stopped and the post step rolls back', async () => {
    const { id, counter } = await newCounter(7n)
    const pidFile = join(job.workspace, `deploy-${id.toText()}.pid`)
    const result = await guard(
      {
        canister: id.toText(),
        deploy: `echo $$ > ${pidFile} && ${setCounter(id, 99)} && ${upgrade(id, 'broken')} && echo upgraded && sleep 60`
      },
      { cancelWhen: /^upgraded$/m }
    )
    expect(result.code === 130 || result.signal === 'SIGINT').toBe(true)
    expect(result.warnings.join('\n')).toContain('Cancelled (SIGINT) during the deploy')
    expect(JSON.parse(stateValue(result.state['guarded-canisters'])).scope).toBe('deploy')
    expect(await moduleHash(id)).toBe(sha256(modules.broken))

    const cleanup = await post(result, { canister: id.toText() }, 'cancelled')
    if (!cleanup) throw new Error('post-if skipped the post step of a cancelled job')
    expect(cleanup.code).toBe(0)
    expect(cleanup.stdout).toContain('the step was cancelled or ended during its deploy')
    expect(await moduleHash(id)).toBe(sha256(modules.counter))
    expect(await counter.get()).toBe(7n)
    expect(await runState(id)).toBe('running')
    expect(cleanup.summary).toContain('Rolled back')
    // The deploy's whole process group (bash and its sleep) ended with the step, so nothing of it can go on
    // after the rollback.
    const deployGroup = Number(await readFile(pidFile, 'utf8'))
    expect(() => process.kill(-deployGroup, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }))
  })
})

describe('job-level guard', () => {
  it('snapshots, and after a failing later step the post step restores every guarded canister', async () => {
    const { id, counter } = await newCounter(7n)
    const main = await guard({ canister: id.toText() })
    expectSuccess(main)
    const record = JSON.parse(stateValue(main.state['guarded-canisters']))
    expect(record).toMatchObject({
      scope: 'job',
      canisters: [{ id: id.toText(), moduleHash: sha256(modules.counter) }]
    })
    expect(main.summary).toContain('Guard in force for the rest of the job')

    // The job's own deploy step: state changes, then a broken release goes out, then a check fails.
    await counter.set(50n)
    await laterDeployStep(id, 'broken')
    const cleanup = await post(main, { canister: id.toText() }, 'failure')
    if (!cleanup) throw new Error('post-if skipped the post step of a failed job')
    expect(cleanup.code).toBe(0)
    expect(cleanup.stdout).toContain('a later step of the job failed or the job was cancelled')
    expect(await moduleHash(id)).toBe(sha256(modules.counter))
    expect(await counter.get()).toBe(7n)
    expect(await runState(id)).toBe('running')
    expect(cleanup.summary).toMatch(/Rollback of[\s\S]*Canisters after the rollback/)
  })

  it('leaves the deploy and the snapshot alone after a successful job', async () => {
    const { id, counter } = await newCounter(7n)
    const main = await guard({ canister: id.toText() })
    expectSuccess(main)
    await laterDeployStep(id, 'release2')
    expect(await post(main, { canister: id.toText() }, 'success')).toBeUndefined()
    expect(await moduleHash(id)).toBe(sha256(modules.release2))
    expect(await counter.get()).toBe(7n)
    expect(await snapshotIds(id)).toEqual([main.outputs['snapshot-id']])
  })
})

/** A deploy step of the job itself, after a job-level guard: icp-cli upgrades the canister. */
async function laterDeployStep(id: Principal, module: keyof typeof modules): Promise<void> {
  const target = ['--network', replica.url, '--root-key', replica.rootKeyHex, '--identity', 'controller']
  const wasm = join(job.workspace, `${module}.wasm`)
  await icp.runOk(['canister', 'install', id.toText(), '--wasm', wasm, '--mode', 'upgrade', ...target])
}
