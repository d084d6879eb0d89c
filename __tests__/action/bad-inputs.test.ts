// Every bad input ends the step with one line that names the input and what was expected: exit code 1, no
// stack trace, the canister as it was found, and no byte of the key anywhere in what the step wrote.
import { createPrivateKey } from 'node:crypto'
import { IDL } from '@icp-sdk/core/candid'
import type { IcManagementCanister } from '@icp-sdk/canisters/ic-management'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1'
import { Principal } from '@icp-sdk/core/principal'
import { agentFor, managementFor } from '../harness/agent.js'
import { dfxSecp256k1Sec1, encryptedPkcs8, type PemFixture } from '../harness/pem.js'
import { Job, type StepResult } from '../harness/runner.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'

let replica: Replica
let identity: PemFixture
let encrypted: PemFixture
let job: Job
let canister: Principal
let strangersCanister: Principal
let snapshotOfOther: string
let ic: IcManagementCanister
const stranger = Ed25519KeyIdentity.generate()

beforeAll(async () => {
  replica = await startReplica()
  identity = await dfxSecp256k1Sec1()
  encrypted = await encryptedPkcs8('correct horse', { curve: 'secp256k1' })
  job = await Job.create()
  const controller = Principal.fromText(identity.principal)
  canister = await replica.seedCanister(
    'counter',
    [controller],
    new Uint8Array(IDL.encode([IDL.Nat64], [1n]))
  )
  strangersCanister = await replica.seedCanister('counter', [stranger.getPrincipal()])
  ic = managementFor(await agentFor(replica, Secp256k1KeyIdentity.fromPem(identity.pem)))
  const other = await replica.seedCanister('counter', [controller])
  snapshotOfOther = Buffer.from((await ic.takeCanisterSnapshot({ canisterId: other })).id).toString('hex')
})

const table: string[] = []

afterAll(async () => {
  // `npm run test:faults` prints what each bad input was answered with, beside the fault table.
  if (process.env.FAULTS === 'full' && table.length > 0) {
    process.stdout.write(
      `\nBad inputs: ${table.length} cases, each exit code 1 with one line\n\n| case | the step's one line |\n|---|---|\n${table.join('\n')}\n\n`
    )
  }
  await job?.cleanup()
  await replica?.stop()
})

/** Everything derived from the key that must never be printed: each PEM line, the DER, the raw key. */
function keyMaterial(pem: string, password?: string): string[] {
  const body = pem.split(/\r?\n/).filter(line => line && !line.startsWith('-----'))
  const key = createPrivateKey(password ? { key: pem, passphrase: password } : pem)
  const d = Buffer.from(key.export({ format: 'jwk' }).d as string, 'base64url')
  const der = key.export({ format: 'der', type: 'pkcs8' })
  return [
    ...body,
    body.join(''),
    d.toString('hex'),
    d.toString('base64'),
    der.toString('base64'),
    der.toString('hex')
  ]
}

async function run(inputs: Record<string, string>): Promise<StepResult> {
  return job.main({
    inputs: {
      identity: identity.pem,
      network: replica.url,
      'root-key': replica.rootKeyHex,
      canister: canister.toText(),
      ...inputs
    },
    env: { CANISTER_SNAPSHOT_RETRY_SCALE: '0.01' }
  })
}

const cases: Array<[string, () => Record<string, string>, string | RegExp]> = [
  [
    'no mode',
    () => ({ mode: '' }),
    "Input 'mode': is required; expected one of create, restore, list, delete, download-artifact, upload-artifact, guard-upgrade"
  ],
  [
    'an unknown mode',
    () => ({ mode: 'backup' }),
    "Input 'mode': 'backup' is not a mode; expected one of create, restore, list, delete, download-artifact, upload-artifact, guard-upgrade"
  ],
  [
    'a deploy command outside guard-upgrade',
    () => ({ mode: 'create', deploy: 'icp deploy' }),
    "Input 'deploy': applies only to mode 'guard-upgrade'"
  ],
  [
    'a health check without a deploy',
    () => ({ mode: 'guard-upgrade', 'health-method': 'health' }),
    /^Input 'health-method': needs 'deploy': /
  ],
  [
    'keep-snapshot false without a deploy',
    () => ({ mode: 'guard-upgrade', 'keep-snapshot': 'false' }),
    "Input 'keep-snapshot': 'false' needs 'deploy': without it the snapshot must stay for the post step's rollback"
  ],
  [
    'health arguments without a method',
    () => ({ mode: 'guard-upgrade', deploy: 'true', 'health-args': '(1)' }),
    "Input 'health-args': needs 'health-method': the method to call"
  ],
  [
    'health arguments that are not Candid',
    () => ({ mode: 'guard-upgrade', deploy: 'true', 'health-method': 'health', 'health-args': '(42' }),
    /^Input 'health-args': '\(42' is not Candid text \(.*\); expected e\.g\. '\("ok"\)'$/
  ],
  [
    'an expected reply that is not Candid',
    () => ({ mode: 'guard-upgrade', deploy: 'true', 'health-method': 'health', 'health-expect': '("ok"' }),
    /^Input 'health-expect': '\("ok"' is not Candid text/
  ],
  [
    'a method name with a space',
    () => ({ mode: 'guard-upgrade', deploy: 'true', 'health-method': 'get status' }),
    "Input 'health-method': 'get status' is not a method name; expected a name like 'health'"
  ],
  [
    'a module hash that is too short',
    () => ({ mode: 'guard-upgrade', deploy: 'true', 'expected-module-hash': '0xabc' }),
    "Input 'expected-module-hash': '0xabc' is not a module hash; expected 64 hex characters (SHA-256), as 'icp canister status' prints it"
  ],
  [
    'both a module hash and a wasm',
    () => ({
      mode: 'guard-upgrade',
      deploy: 'true',
      'expected-module-hash': 'ab'.repeat(32),
      wasm: 'x.wasm'
    }),
    "Input 'wasm': cannot be combined with 'expected-module-hash'; give one of them"
  ],
  [
    'health retries out of range',
    () => ({ mode: 'guard-upgrade', deploy: 'true', 'health-retries': '101' }),
    "Input 'health-retries': '101' is not a whole number from 0 to 100"
  ],
  [
    'no identity',
    () => ({ mode: 'create', identity: '' }),
    "Input 'identity': is required: the PEM of a controller's identity, from a secret"
  ],
  [
    'an identity that is not a PEM',
    () => ({ mode: 'create', identity: 'hunter2' }),
    /^Input 'identity': .*expected/
  ],
  [
    'a certificate as identity',
    () => ({
      mode: 'create',
      identity: '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----'
    }),
    /^Input 'identity': .*CERTIFICATE/
  ],
  [
    'a truncated PEM',
    () => ({ mode: 'create', identity: identity.pem.slice(0, Math.floor(identity.pem.length / 2)) }),
    /^Input 'identity'/
  ],
  [
    'an encrypted PEM without password',
    () => ({ mode: 'create', identity: encrypted.pem }),
    /^Input 'identity-password': /
  ],
  [
    'an encrypted PEM with a wrong password',
    () => ({ mode: 'create', identity: encrypted.pem, 'identity-password': 'wrong' }),
    /^Input 'identity-password': /
  ],
  [
    'no canister',
    () => ({ mode: 'create', canister: '' }),
    "Input 'canister': is required: a canister principal or a name from the canister id files"
  ],
  ['a malformed principal', () => ({ mode: 'create', canister: 'abc-def' }), /^Input 'canister': 'abc-def'/],
  [
    'an unknown canister name',
    () => ({ mode: 'create', canister: 'backend' }),
    /^Input 'canister': 'backend'/
  ],
  [
    'a user principal as canister',
    () => ({ mode: 'create', canister: Ed25519KeyIdentity.generate().getPrincipal().toText() }),
    /^Input 'canister': .*user principal/
  ],
  [
    'two canisters to restore',
    () => ({
      mode: 'restore',
      canister: `${canister.toText()}, ${strangersCanister.toText()}`,
      'snapshot-id': 'latest'
    }),
    /^Input 'canister': names 2 canisters; mode 'restore' works on one at a time$/
  ],
  [
    'a network that is not a URL',
    () => ({ mode: 'list', network: 'localhost:4943' }),
    /^Input 'network': 'localhost:4943' is not an http\(s\) URL|^Input 'network': 'localhost:4943' is neither/
  ],
  [
    'a network that is not http',
    () => ({ mode: 'list', network: 'ftp://127.0.0.1' }),
    "Input 'network': 'ftp://127.0.0.1' is not an http(s) URL; expected 'ic' or a URL like http://127.0.0.1:4943"
  ],
  [
    'a root key that is not hex DER',
    () => ({ mode: 'list', 'root-key': 'abcd' }),
    /^Input 'root-key': is not a DER-encoded BLS root key/
  ],
  [
    'a root key with mainnet',
    () => ({ mode: 'list', network: 'ic', 'root-key': replica.rootKeyHex }),
    "Input 'root-key': applies only to a URL network; mainnet ('ic') uses its built-in root key"
  ],
  [
    'a snapshot id with 0x',
    () => ({ mode: 'restore', 'snapshot-id': '0x0000000000000001' }),
    "Input 'snapshot-id': '0x0000000000000001' starts with 0x; give the id as plain hex, as icp-cli prints it"
  ],
  [
    'a snapshot id that is not hex',
    () => ({ mode: 'restore', 'snapshot-id': 'yesterday' }),
    "Input 'snapshot-id': 'yesterday' is not a snapshot id; expected hex as 'icp canister snapshot list' prints it"
  ],
  [
    'restore without a snapshot id',
    () => ({ mode: 'restore' }),
    "Input 'snapshot-id': is required for mode 'restore': a snapshot id, or 'latest'"
  ],
  [
    'an unknown snapshot id',
    () => ({
      mode: 'restore',
      'snapshot-id': '00000000000000ff' + Buffer.from(canister.toUint8Array()).toString('hex')
    }),
    /^Input 'snapshot-id': .* has no snapshot /
  ],
  [
    'a stop timeout that is not a number',
    () => ({ mode: 'create', 'stop-timeout': 'soon' }),
    "Input 'stop-timeout': 'soon' is not a whole number from 1 to 3600"
  ],
  [
    'a stop timeout of zero',
    () => ({ mode: 'create', 'stop-timeout': '0' }),
    "Input 'stop-timeout': '0' is not a whole number from 1 to 3600"
  ],
  [
    'an unknown on-limit',
    () => ({ mode: 'create', 'on-limit': 'maybe' }),
    "Input 'on-limit': 'maybe' is not accepted; expected one of fail, replace-oldest"
  ],
  [
    'keep-last out of range',
    () => ({ mode: 'delete', 'keep-last': '11' }),
    "Input 'keep-last': '11' is not a whole number from 0 to 10"
  ],
  [
    'delete with both id and keep-last',
    () => ({ mode: 'delete', 'snapshot-id': 'latest', 'keep-last': '1' }),
    "Input 'keep-last': cannot be combined with 'snapshot-id'; give one of them"
  ],
  [
    'delete with neither',
    () => ({ mode: 'delete' }),
    "Input 'snapshot-id': or 'keep-last' is required for mode 'delete'"
  ],
  [
    'dry-run that is not a boolean',
    () => ({ mode: 'create', 'dry-run': 'yes' }),
    "Input 'dry-run': 'yes' is not a boolean; expected true or false"
  ],
  [
    'a replace id that does not exist',
    () => ({ mode: 'create', replace: snapshotOfOther }),
    /^Input 'replace': .* has no snapshot /
  ],
  [
    'an artifact name GitHub rejects',
    () => ({ mode: 'download-artifact', 'snapshot-id': 'latest', 'artifact-name': 'snap:shot' }),
    `Input 'artifact-name': 'snap:shot' contains ':', which GitHub does not allow in artifact names; avoid " : < > | * ? \\ / and line breaks`
  ],
  [
    'a path outside the workspace',
    () => ({ mode: 'download-artifact', 'snapshot-id': 'latest', path: '/etc/snapshots' }),
    "Input 'path': '/etc/snapshots' is outside the workspace and RUNNER_TEMP; expected a directory inside one of them to write the snapshot to"
  ],
  [
    'a path that climbs out of the workspace',
    () => ({ mode: 'download-artifact', 'snapshot-id': 'latest', path: '../../elsewhere' }),
    "Input 'path': '../../elsewhere' is outside the workspace and RUNNER_TEMP; expected a directory inside one of them to write the snapshot to"
  ],
  [
    "'new' outside download-artifact",
    () => ({ mode: 'restore', 'snapshot-id': 'new' }),
    "Input 'snapshot-id': 'new' applies only to mode 'download-artifact'; use mode 'create' to take a snapshot"
  ],
  [
    'upload-artifact without a source',
    () => ({ mode: 'upload-artifact' }),
    "Input 'artifact-name': or 'path' is required for mode 'upload-artifact': where the snapshot comes from"
  ],
  [
    'a run id without a token',
    () => ({ mode: 'upload-artifact', 'artifact-name': 'x', 'run-id': '12', repository: 'octo/repo' }),
    "Input 'github-token': is required with 'run-id': a token with actions:read on the repository, such as ${{ github.token }}"
  ],
  [
    'a run id that is not a number',
    () => ({ mode: 'upload-artifact', 'artifact-name': 'x', 'run-id': 'last' }),
    "Input 'run-id': 'last' is not a whole number from 1 to 9007199254740991"
  ],
  [
    'a passphrase that is too short',
    () => ({ mode: 'download-artifact', 'snapshot-id': 'latest', 'encrypt-with': 'hunter2' }),
    "Input 'encrypt-with': is 7 characters long; expected a passphrase of at least 16, from a secret"
  ],
  [
    'a passphrase with the cache',
    () => ({
      mode: 'download-artifact',
      'snapshot-id': 'latest',
      'encrypt-with': 'correct horse battery staple',
      cache: 'true'
    }),
    "Input 'encrypt-with': cannot be combined with 'cache': the cache would keep the snapshot unencrypted"
  ],
  [
    'a passphrase in a mode without artifacts',
    () => ({ mode: 'create', 'encrypt-with': 'correct horse battery staple' }),
    "Input 'encrypt-with': applies only to modes 'download-artifact' and 'upload-artifact'"
  ],
  [
    'a concurrency out of range',
    () => ({ mode: 'download-artifact', 'snapshot-id': 'latest', concurrency: '0' }),
    "Input 'concurrency': '0' is not a whole number from 1 to 64"
  ],
  [
    'a compression level that is neither auto nor 0 to 9',
    () => ({ mode: 'download-artifact', 'snapshot-id': 'latest', 'compression-level': '10' }),
    "Input 'compression-level': '10' is not accepted; expected auto or a whole number from 0 to 9"
  ],
  [
    'an identity that does not control the canister',
    () => ({ mode: 'create', canister: strangersCanister.toText() }),
    /^The identity \S+ is not a controller of \S+; its controllers are \S+\./
  ]
]

it.each(cases)('%s', async (name, given, expected) => {
  const callsBefore = replica.requests.filter(r => r.endpoint === 'call').length
  const result = await run(given())

  expect(result.code).toBe(1)
  expect(result.errors).toHaveLength(1)
  table.push(`| ${name} | ${result.errors[0].replace(/\|/g, '\\|')} |`)
  if (typeof expected === 'string') expect(result.errors[0]).toBe(expected)
  else expect(result.errors[0]).toMatch(expected)
  expect(result.stdout + result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
  // Nothing changed: no call but a read reached the IC, and the canister still runs.
  const reads = [
    'canister_status',
    'list_canister_snapshots',
    'read_canister_snapshot_metadata',
    'read_canister_snapshot_data'
  ]
  const writes = replica.requests
    .filter(r => r.endpoint === 'call')
    .slice(callsBefore)
    .filter(r => !reads.includes(r.methodName ?? ''))
  expect(writes).toEqual([])
  const { status } = await ic.canisterStatus({ canisterId: canister })
  expect('running' in status).toBe(true)
  const written = [
    result.log,
    result.stderr,
    result.summary,
    JSON.stringify(result.outputs),
    JSON.stringify(result.state)
  ].join('\n')
  for (const secret of [...keyMaterial(identity.pem), ...keyMaterial(encrypted.pem, 'correct horse')]) {
    expect(written).not.toContain(secret)
  }
})
