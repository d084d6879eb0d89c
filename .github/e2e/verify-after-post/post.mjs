// After guard-upgrade's post step: judges the rollback and uploads the verdict. A verdict that cannot be
// uploaded fails the later job as a failing one would: it finds no artifact.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { canisterStatus, commandMessage, input, normalisedHash } from './icp.mjs'

function judge(canister, expected) {
  const record = input('deploy-record')
  if (!existsSync(record)) {
    return {
      pass: false,
      detail: `${record} is missing: the job never deployed, so no rollback was exercised`
    }
  }
  const deployed = normalisedHash(readFileSync(record, 'utf8'))
  if (!deployed || deployed === expected) {
    return { pass: false, detail: `the job deployed '${deployed}', not another module than ${expected}` }
  }
  let status
  try {
    status = canisterStatus()
  } catch (error) {
    return {
      pass: false,
      detail: `icp canister status failed: ${error instanceof Error ? error.message : error}`
    }
  }
  const running = normalisedHash(status.module_hash)
  if (running !== expected) {
    return {
      pass: false,
      detail: `${canister} runs ${running || 'no module'} after the post steps, expected the pre-deploy module ${expected} (the job deployed ${deployed})`
    }
  }
  if (status.status !== 'Running') {
    return { pass: false, detail: `${canister} runs ${expected} again but is ${status.status}` }
  }
  return {
    pass: true,
    detail: `${canister} runs the pre-deploy module ${expected} again and is running; the job had deployed ${deployed}`
  }
}

const canister = input('canister')
const expected = normalisedHash(input('expected-module-hash'))
const verdict = { ...judge(canister, expected), canister, expectedModuleHash: expected }
const line = `${verdict.pass ? 'PASS' : 'FAIL'}: ${verdict.detail}`
console.log(line)
if (process.env.GITHUB_STEP_SUMMARY) {
  appendFileSync(
    process.env.GITHUB_STEP_SUMMARY,
    `### Job-level guard\n\n${verdict.pass ? '✅' : '❌'} ${line}\n`
  )
}

const dir = join(process.env.RUNNER_TEMP || '.', 'job-level-guard-verdict')
mkdirSync(dir, { recursive: true })
const file = join(dir, 'verdict.json')
writeFileSync(file, `${JSON.stringify(verdict, null, 2)}\n`)
// From the repository's node_modules (npm ci ran in this job): the client the action itself bundles.
try {
  const { DefaultArtifactClient } = await import('@actions/artifact')
  const { id } = await new DefaultArtifactClient().uploadArtifact(input('artifact-name'), [file], dir, {
    retentionDays: 1
  })
  console.log(`Uploaded the verdict as artifact ${id} (${input('artifact-name')}).`)
} catch (error) {
  console.log(
    `::error::${commandMessage(`Could not upload the verdict: ${error instanceof Error ? error.message : error}`)}`
  )
  process.exitCode = 1
}
if (!verdict.pass) {
  console.log(`::error::${commandMessage(line)}`)
  process.exitCode = 1
}
