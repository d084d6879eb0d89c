// `npm run demo`: every mode of the built action, run from dist/ as the runner runs it, against the local
// replica and the local GitHub artifact/cache backend; prints each step's job summary. guard-upgrade deploys
// with the real icp-cli: one good upgrade, one rolled back in the step, and one rolled back by the post step.
// Two restore drills: a healthy one into an empty scratch canister, and one whose health check fails.
import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { IDL } from '@icp-sdk/core/candid'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1'
import { Principal } from '@icp-sdk/core/principal'
import { agentFor, counterFor, managementFor } from '../__tests__/harness/agent.js'
import { compileCanister, withReleaseTag } from '../__tests__/harness/canisters/compile.js'
import { startGitHubBackend } from '../__tests__/harness/github/index.js'
import { ICP_BIN, IcpCli } from '../__tests__/harness/icp-cli.js'
import { dfxSecp256k1Sec1 } from '../__tests__/harness/pem.js'
import { startReplica } from '../__tests__/harness/replica/replica.js'
import { Job, type StepResult } from '../__tests__/harness/runner.js'

/** The job summary is HTML; shown here as plain text rows. */
function summaryAsText(html: string): string {
  return html
    .replace(/<\/(h2|h3)>/g, '\n')
    .replace(/<h2>/g, '\n== ')
    .replace(/<h3>/g, '\n-- ')
    .replace(/<\/t[hd]>/g, ' | ')
    .replace(/<\/tr>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

function show(title: string, result: StepResult): StepResult {
  process.stdout.write(`\n########## ${title} (exit ${result.code})\n${summaryAsText(result.summary)}\n`)
  if (result.code !== 0) process.stdout.write(`errors: ${result.errors.join(' | ')}\n`)
  return result
}

async function main(): Promise<void> {
  const replica = await startReplica()
  const github = await startGitHubBackend()
  const identity = await dfxSecp256k1Sec1()
  const controller = Principal.fromText(identity.principal)
  const nat64 = (n: bigint) => new Uint8Array(IDL.encode([IDL.Nat64], [n]))
  const backend = await replica.seedCanister('counter', [controller], nat64(42n))
  const staging = await replica.seedCanister('counter', [controller], nat64(0n))
  const user = await agentFor(replica, Ed25519KeyIdentity.generate())
  const ic = managementFor(await agentFor(replica, Secp256k1KeyIdentity.fromPem(identity.pem)))
  const jobs: Job[] = []
  let icp: IcpCli | undefined
  const job = async () => {
    const created = await Job.create()
    jobs.push(created)
    return created
  }
  const base = { identity: identity.pem, network: replica.url, 'root-key': replica.rootKeyHex }
  const env = (runId: number) => ({ ...github.envFor({ runId }), CANISTER_SNAPSHOT_RETRY_SCALE: '0.05' })
  try {
    process.stdout.write(
      `replica ${replica.url}; canisters backend=${backend.toText()} staging=${staging.toText()}\n`
    )
    const first = await job()
    const created = show(
      'create',
      await first.main({ inputs: { ...base, mode: 'create', canister: backend.toText() }, env: env(1) })
    )
    show(
      'list',
      await first.main({ inputs: { ...base, mode: 'list', canister: backend.toText() }, env: env(1) })
    )
    const downloaded = show(
      'download-artifact',
      await first.main({
        inputs: {
          ...base,
          mode: 'download-artifact',
          canister: backend.toText(),
          'snapshot-id': created.outputs['snapshot-id'],
          cache: 'true'
        },
        env: env(1)
      })
    )
    const artifactName =
      downloaded.outputs['artifact-name'] ?? `snapshot-${backend.toText()}-${created.outputs['snapshot-id']}`
    const second = await job()
    show(
      'upload-artifact (restore into another canister, another job)',
      await second.main({
        inputs: {
          ...base,
          mode: 'upload-artifact',
          canister: staging.toText(),
          'artifact-name': artifactName,
          'source-canister': backend.toText(),
          restore: 'true'
        },
        env: env(1)
      })
    )
    process.stdout.write(
      `staging's counter now reads ${await counterFor(user, staging).get()} (backend's was 42)\n`
    )
    await counterFor(user, backend).set(7n)
    show(
      'restore',
      await first.main({
        inputs: { ...base, mode: 'restore', canister: backend.toText(), 'snapshot-id': 'latest' },
        env: env(1)
      })
    )
    process.stdout.write(
      `backend's counter reads ${await counterFor(user, backend).get()} again after the restore\n`
    )

    // Restore drills: a restore is done when the canister answers its health check.
    const scratch = await replica.seedCanister('counter', [controller], nat64(0n))
    await ic.uninstallCode({ canisterId: scratch })
    show(
      'upload-artifact: healthy restore drill into an empty scratch canister, snapshot deleted after',
      await second.main({
        inputs: {
          ...base,
          mode: 'upload-artifact',
          canister: scratch.toText(),
          'artifact-name': artifactName,
          'source-canister': backend.toText(),
          restore: 'true',
          'health-method': 'health',
          'health-expect': '("ok")',
          'delete-after-restore': 'true'
        },
        env: env(1)
      })
    )
    process.stdout.write(
      `scratch's counter reads ${await counterFor(user, scratch).get()}; it holds ${(await ic.listCanisterSnapshots({ canisterId: scratch })).length} snapshots\n`
    )
    await counterFor(user, backend).set(8n)
    const drill = show(
      'restore: a drill whose health check fails, rolled back to the safety snapshot',
      await first.main({
        inputs: {
          ...base,
          mode: 'restore',
          canister: backend.toText(),
          'snapshot-id': created.outputs['snapshot-id'],
          'health-method': 'health',
          'health-expect': '("unhealthy")',
          'health-retries': '1',
          'health-delay': '0'
        },
        env: env(1)
      })
    )
    process.stdout.write(
      `outputs: rolled-back=${drill.outputs['rolled-back']} failed-check=${drill.outputs['failed-check']}; backend's counter reads ${await counterFor(user, backend).get()} (8 before the drill)\n`
    )
    show(
      'delete',
      await first.main({
        inputs: { ...base, mode: 'delete', canister: backend.toText(), 'keep-last': '0' },
        env: env(1)
      })
    )

    // guard-upgrade: the deploy is a shell command running the real icp-cli as the controller.
    const app = await replica.seedCanister('counter', [controller], nat64(7n))
    const counter = counterFor(user, app)
    const deployJob = await job()
    icp = await IcpCli.create({ url: replica.url, rootKeyHex: replica.rootKeyHex })
    const pemFile = join(icp.root, 'secrets', 'controller.pem')
    await writeFile(pemFile, identity.pem, { mode: 0o600 })
    await icp.importIdentity('controller', pemFile)
    const good = withReleaseTag(await compileCanister('counter'), '2')
    await writeFile(join(deployJob.workspace, 'release2.wasm'), good)
    await writeFile(join(deployJob.workspace, 'broken.wasm'), await compileCanister('broken_counter'))
    const goodHash = createHash('sha256').update(good).digest('hex')
    const target = ['--network', replica.url, '--root-key', replica.rootKeyHex, '--identity', 'controller']
    const icpCommand = (args: string) => `"$ICP" ${args} $ICP_TARGET`
    const upgrade = (wasm: string) =>
      icpCommand(`canister install ${app.toText()} --wasm ${wasm} --mode upgrade`)
    const guardStep = (inputs: Record<string, string>) => ({
      inputs: { ...base, mode: 'guard-upgrade', canister: app.toText(), ...inputs },
      env: {
        ...env(1),
        ...(icp?.env as Record<string, string>),
        ICP: ICP_BIN,
        ICP_TARGET: target.join(' ')
      }
    })
    const report = async (when: string) => {
      const status = await ic.canisterStatus({ canisterId: app })
      const hash = Buffer.from(status.module_hash[0] ?? []).toString('hex')
      process.stdout.write(
        `${when}: app's counter reads ${await counter.get()}, module ${hash.slice(0, 12)}… ` +
          `(${hash === goodHash ? 'the good release 2' : 'NOT the good release'})\n`
      )
    }
    process.stdout.write(`\nguard-upgrade on app=${app.toText()} (counter 7)\n`)
    show(
      'guard-upgrade: good upgrade to release 2',
      await deployJob.main(
        guardStep({
          deploy: upgrade('release2.wasm'),
          'health-method': 'health',
          'health-expect': '("ok")',
          wasm: 'release2.wasm'
        })
      )
    )
    await report('after the good upgrade')
    const broken = show(
      'guard-upgrade: broken upgrade (sets the counter to 99, then its health() traps)',
      await deployJob.main(
        guardStep({
          deploy: `${icpCommand(`canister call ${app.toText()} set '(99 : nat64)'`)} && ${upgrade('broken.wasm')}`,
          'health-method': 'health',
          'health-retries': '1',
          'health-delay': '1'
        })
      )
    )
    // `npm run screenshot` renders this step's summary for the README.
    if (process.env.DEMO_SUMMARY_HTML) await writeFile(process.env.DEMO_SUMMARY_HTML, broken.summary)
    process.stdout.write(
      `outputs: rolled-back=${broken.outputs['rolled-back']} failed-check=${broken.outputs['failed-check']} ` +
        `module-hash-after=${(broken.outputs['module-hash-after'] ?? '').slice(0, 12)}…\n`
    )
    await report('after the rolled-back upgrade')

    // Job-level guard: no deploy input; a later step of the job breaks the canister and the job fails.
    const guarded = show('guard-upgrade: job-level guard (no deploy)', await deployJob.main(guardStep({})))
    await counter.set(50n)
    const brokenWasm = join(deployJob.workspace, 'broken.wasm')
    await icp.runOk([
      'canister',
      'install',
      app.toText(),
      '--wasm',
      brokenWasm,
      '--mode',
      'upgrade',
      ...target
    ])
    await report('after a later step set 50 and upgraded to the broken module')
    const post = await deployJob.post({ ...guardStep({}), state: guarded.state, jobStatus: 'failure' })
    if (post) show('guard-upgrade: post step of the failed job', post)
    else process.stdout.write("the post step was skipped by action.yml's post-if\n")
    await report('after the post step')
  } finally {
    await icp?.cleanup()
    for (const j of jobs) await j.cleanup()
    await github.stop()
    await replica.stop()
  }
}

main().catch(error => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
