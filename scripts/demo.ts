// `npm run demo`: every mode of the built action, run from dist/ as the runner runs it, against the local
// replica and the local GitHub artifact/cache backend; prints each step's job summary.
import { IDL } from '@dfinity/candid'
import { Ed25519KeyIdentity } from '@dfinity/identity'
import { Principal } from '@dfinity/principal'
import { agentFor, counterFor } from '../__tests__/harness/agent.js'
import { startGitHubBackend } from '../__tests__/harness/github/index.js'
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
  const jobs: Job[] = []
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
    const second = await job()
    show(
      'upload-artifact (restore into another canister, another job)',
      await second.main({
        inputs: {
          ...base,
          mode: 'upload-artifact',
          canister: staging.toText(),
          'artifact-name':
            downloaded.outputs['artifact-name'] ??
            `snapshot-${backend.toText()}-${created.outputs['snapshot-id']}`,
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
    show(
      'delete',
      await first.main({
        inputs: { ...base, mode: 'delete', canister: backend.toText(), 'keep-last': '0' },
        env: env(1)
      })
    )
  } finally {
    for (const j of jobs) await j.cleanup()
    await github.stop()
    await replica.stop()
  }
}

main().catch(error => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
