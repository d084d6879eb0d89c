// Attacks through a child process and through the post step's state, run from dist/ as the runner runs it:
// the deploy gets only what a `run:` step gets, and the post step acts only on what the main step recorded
// about its own inputs.
import { createHmac } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import type { Principal } from '@icp-sdk/core/principal'
import { type GitHubBackend } from '../harness/github/index.js'
import { type PemFixture } from '../harness/pem.js'
import { Job, stateValue, type JobStatus, type StepResult } from '../harness/runner.js'
import { hex, startActionWorld, type ActionWorld } from '../harness/action-world.js'
import { type Replica } from '../harness/replica/replica.js'

let world: ActionWorld
let replica: Replica
let github: GitHubBackend
let identity: PemFixture
let ic: IcManagementCanister

beforeAll(async () => {
  world = await startActionWorld()
  ;({ replica, github, identity, ic } = world)
})

afterAll(async () => {
  await world?.stop()
})

const newJob = (): Promise<Job> => world.newJob()

const newCounter = (initial: bigint) => world.newCounter(initial)

// What a node action gets from the runner and a `run:` step does not.
const NODE_ONLY = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/oidc',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-for-tests',
  ACTIONS_RUNTIME_URL: 'http://127.0.0.1:9/runtime'
}

function options(inputs: Record<string, string>) {
  return {
    inputs: { identity: identity.pem, network: replica.url, 'root-key': replica.rootKeyHex, ...inputs },
    env: { ...github.envFor({ runId: 1301 }), ...NODE_ONLY, CANISTER_SNAPSHOT_RETRY_SCALE: '0.01' }
  }
}

function post(job: Job, inputs: Record<string, string>, state: Record<string, string>, jobStatus: JobStatus) {
  return job.post({ ...options(inputs), state, jobStatus })
}

/** The tag the action's main step gives a record (src/state-provider.ts), as only its identity can. */
function tagged(name: string, value: string): string {
  const key = createHmac('sha256', `${identity.pem.trim()}\0`)
    .update('canister-snapshot-action post-step state v1')
    .digest()
  return `${createHmac('sha256', key).update(`${name}\0${value}`).digest('hex')}.${value}`
}

const requestsTo = (id: Principal, methods: string[]) =>
  replica.requests.filter(r => methods.includes(r.methodName ?? '') && r.effectiveCanisterId === id.toText())
    .length
const status = async (id: Principal) => Object.keys((await ic.canisterStatus({ canisterId: id })).status)[0]
const steering = (result: StepResult) =>
  result.commands.filter(c => ['save-state', 'set-output', 'stop-commands'].includes(c.name))

describe('a deploy runs like a run: step', () => {
  it('sees no runtime token, cannot set the step’s outputs or state, and its planted state starts nothing', async () => {
    const guarded = await newCounter(3n)
    // A canister its owner stopped on purpose: nothing may start it.
    const parked = await newCounter(8n)
    await ic.stopCanister(parked.id)
    const planted = JSON.stringify([parked.id.toText()])
    const deploy = [
      'env > "$GITHUB_WORKSPACE/deploy-env.txt"',
      `echo 'module-hash-after=forged' >> "$GITHUB_OUTPUT"`,
      `echo 'stopped-canisters=${planted}' >> "$GITHUB_STATE"`,
      `echo '::save-state name=stopped-canisters::${planted}'`,
      `printf 'progress\\r::set-output name=rolled-back::false\\n'`,
      `echo '::set-output name=module-hash-after::forged' >&2`,
      `echo '::warning::a run: step may still warn'`,
      `echo '##[set-output name=rolled-back;]false'`,
      // The step's real files can be found by listing the runner's command directory.
      `for f in "$RUNNER_TEMP"/_runner_file_commands/set_output_*; do echo 'snapshot-ids={"forged":"1"}' >> "$f"; done`,
      `for f in "$RUNNER_TEMP"/_runner_file_commands/save_state_*; do echo 'stopped-canisters=${planted}' >> "$f"; done`,
      'exit 3'
    ].join('\n')
    const job = await newJob()
    const main = await job.main(options({ mode: 'guard-upgrade', canister: guarded.id.toText(), deploy }))
    expect(main.code).toBe(1)
    expect(main.errors[0]).toMatch(/deploy.*exited with 3.*Rolled back/)

    const seen = await readFile(join(job.workspace, 'deploy-env.txt'), 'utf8')
    for (const name of [
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_RUNTIME_URL',
      'ACTIONS_RESULTS_URL',
      'ACTIONS_CACHE_URL',
      'ACTIONS_CACHE_SERVICE_V2',
      'ACTIONS_ID_TOKEN_REQUEST_URL',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'INPUT_IDENTITY',
      'STATE_'
    ])
      expect(seen).not.toContain(name)
    expect(seen).toContain('GITHUB_ENV=')
    expect(seen).toContain('GITHUB_WORKSPACE=')
    // Its GITHUB_OUTPUT and GITHUB_STATE were scratch files; its printed commands were broken.
    expect(main.outputs['module-hash-after']).not.toBe('forged')
    expect(main.outputs['rolled-back']).toBe('true')
    expect(steering(main)).toEqual([])
    expect(main.warnings).toContain('a run: step may still warn')
    expect(main.outputs['snapshot-ids']).not.toContain('forged')
    expect(main.warnings).toEqual(
      expect.arrayContaining([
        "The command changed this step's set_output file; the change was undone.",
        "The command changed this step's save_state file; the change was undone."
      ])
    )
    expect(stateValue(main.state['stopped-canisters'])).toBe('[]')

    const cleanup = await post(
      job,
      { mode: 'guard-upgrade', canister: guarded.id.toText() },
      main.state,
      'failure'
    )
    expect(cleanup?.code).toBe(0)
    expect(await status(parked.id)).toBe('stopped')
    expect(requestsTo(parked.id, ['start_canister'])).toBe(0)
    expect(await guarded.counter.get()).toBe(3n)
  })
})

describe('the post step acts only on what the main step recorded about its own inputs', () => {
  it('ignores state without the main step’s tag, and starts nothing it names', async () => {
    const own = await newCounter(1n)
    const parked = await newCounter(2n)
    await ic.stopCanister(parked.id)
    const forged = { 'stopped-canisters': JSON.stringify([parked.id.toText()]) }
    const result = await post(
      await newJob(),
      { mode: 'create', canister: own.id.toText() },
      forged,
      'failure'
    )
    expect(result?.code).toBe(0)
    expect(result?.warnings).toEqual([
      'The stopped-canisters state was not written by the main step of this action (its tag does not match the identity input): ignored.'
    ])
    expect(await status(parked.id)).toBe('stopped')
    expect(requestsTo(parked.id, ['start_canister'])).toBe(0)
  })

  it('rolls back only canisters of its canister input, only in guard-upgrade, only with their own snapshots', async () => {
    const own = await newCounter(10n)
    const bystander = await newCounter(20n)
    const ownSnapshot = hex((await ic.takeCanisterSnapshot({ canisterId: own.id })).id)
    const bystanderSnapshot = hex((await ic.takeCanisterSnapshot({ canisterId: bystander.id })).id)
    await own.counter.inc()
    await bystander.counter.inc()
    const record = (id: Principal, snapshotId: string) =>
      JSON.stringify({
        scope: 'job',
        canisters: [{ id: id.toText(), label: 'x', snapshotId, moduleHash: '' }]
      })
    const touched = () =>
      requestsTo(bystander.id, ['stop_canister', 'load_canister_snapshot', 'start_canister'])
    const inputs = { mode: 'guard-upgrade', canister: own.id.toText() }

    const forged = await post(
      await newJob(),
      inputs,
      { 'guarded-canisters': record(bystander.id, bystanderSnapshot) },
      'failure'
    )
    expect(forged?.warnings[0]).toMatch(/^The guarded-canisters state was not written by the main step/)

    const otherCanister = await post(
      await newJob(),
      inputs,
      { 'guarded-canisters': tagged('guarded-canisters', record(bystander.id, bystanderSnapshot)) },
      'failure'
    )
    expect(otherCanister?.warnings).toEqual([
      `The guarded-canisters state for ${bystander.id.toText()} is not a canister of the 'canister' input: ignored.`
    ])

    const otherMode = await post(
      await newJob(),
      { mode: 'create', canister: own.id.toText() },
      { 'guarded-canisters': tagged('guarded-canisters', record(own.id, ownSnapshot)) },
      'failure'
    )
    expect(otherMode?.warnings).toEqual([
      "A guarded-canisters state was found, but mode is 'create', not 'guard-upgrade': ignored."
    ])

    const otherSnapshot = await post(
      await newJob(),
      inputs,
      { 'guarded-canisters': tagged('guarded-canisters', record(own.id, bystanderSnapshot)) },
      'failure'
    )
    expect(otherSnapshot?.warnings).toEqual([
      `The guarded-canisters state for ${own.id.toText()} names ${bystanderSnapshot}, which is not a snapshot id of that canister: ignored.`
    ])

    expect(touched()).toBe(0)
    expect(requestsTo(own.id, ['load_canister_snapshot'])).toBe(0)
    expect(await bystander.counter.get()).toBe(21n)
    expect(await own.counter.get()).toBe(11n)

    // The same record, tagged and about its own canister, is acted on: the checks above were the reason.
    const genuine = await post(
      await newJob(),
      inputs,
      { 'guarded-canisters': tagged('guarded-canisters', record(own.id, ownSnapshot)) },
      'failure'
    )
    expect(genuine?.warnings).toEqual([])
    expect(await own.counter.get()).toBe(10n)
  })
})
