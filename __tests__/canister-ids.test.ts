// Resolution of the `canister` input against the id files icp-cli and dfx keep in a repository. The icp-cli
// layout is written by the real icp-cli 1.5.0 binary (`icp canister link` never contacts a network); the dfx
// layouts are built by hand in the shape dfx-core's canister_id_store.rs reads and writes.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Principal } from '@icp-sdk/core/principal'
import { resolveCanister, resolveCanisters, type ResolveOptions } from '../src/canister-ids.js'
import { InputError } from '../src/errors.js'
import { IcpCli } from './harness/icp-cli.js'

const LEDGER = 'ryjl3-tyaaa-aaaaa-aaaba-cai'
const CMC = 'rkp4c-7iaaa-aaaaa-aaaca-cai'
const LOCAL_BACKEND = 'bkyz2-fmaaa-aaaaa-qaaaq-cai'
const OTHER = 'rrkah-fqaaa-aaaaa-aaaaq-cai'
/** Self-authenticating: the principal of a user's key, never a canister. */
const USER = Principal.selfAuthenticating(new Uint8Array(32).fill(7)).toText()
const LOCAL_URL = 'http://127.0.0.1:4943'
const IC_FILES = '.icp/data/mappings/ic.ids.json, canister_ids.json'
const LOCAL_FILES =
  '.icp/data/mappings/local.ids.json, .icp/cache/mappings/local.ids.json, canister_ids.json, ' +
  '.dfx/local/canister_ids.json'
const EXPECTED_PRINCIPAL = `expected a canister principal like '${LEDGER}'`
const EXPECTED_NAME = `${EXPECTED_PRINCIPAL} or a name from those files`
/** How a failed lookup of 'backend' starts, once the files are read. */
const BACKEND_LOOKUP = `Input 'canister': cannot look up 'backend':`

const workspaces: string[] = []

/** A workspace holding `files`: strings are written as they are, anything else as JSON. */
async function workspaceWith(files: Record<string, unknown> = {}): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'canister-ids-'))
  workspaces.push(root)
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true })
    await writeFile(
      join(root, path),
      typeof content === 'string' ? content : JSON.stringify(content, null, 2)
    )
  }
  return root
}

function onIc(workspace: string): ResolveOptions {
  return { workspace, network: 'ic' }
}

function onLocal(workspace: string): ResolveOptions {
  return { workspace, network: LOCAL_URL, environment: 'local' }
}

/** Each failure is one InputError line, compared in full. */
async function expectInputError(
  pending: Promise<unknown>,
  message: string,
  input = 'canister'
): Promise<void> {
  const error = await pending.then(
    () => undefined,
    (thrown: unknown) => thrown
  )
  expect(error).toBeInstanceOf(InputError)
  expect((error as InputError).input).toBe(input)
  expect((error as InputError).message).toBe(message)
  expect(message).not.toContain('\n')
}

afterAll(async () => {
  await Promise.all(workspaces.map(root => rm(root, { recursive: true, force: true })))
})

describe('principals', () => {
  it('pass through without reading any file', async () => {
    const workspace = await workspaceWith({ 'canister_ids.json': '{ not json' })
    const resolved = await resolveCanister(` ${LEDGER}\n`, onIc(workspace))
    expect(resolved).toEqual({ principal: Principal.fromText(LEDGER) })
  })

  it('pass through on a URL network without an environment', async () => {
    const resolved = await resolveCanister(LOCAL_BACKEND, {
      workspace: await workspaceWith(),
      network: LOCAL_URL
    })
    expect(resolved.principal.toText()).toBe(LOCAL_BACKEND)
  })

  it.each([
    [USER, 'looks like a user principal, not a canister id'],
    ['2vxsx-fae', 'is the anonymous principal, not a canister id'],
    ['aaaaa-aa', 'is the management canister, which has no snapshots'],
    ['vzudz-qibai-bqiay', 'is a derived principal, not a canister id'],
    ['67nqd-vqbai-bqi7y', 'is a reserved principal, not a canister id'],
    ['j265l-xybai-bqici', 'has an unknown principal class (0x09), not a canister id']
  ])('reject %s, which is not a canister id', async (text, why) => {
    await expectInputError(
      resolveCanister(text, onIc(await workspaceWith())),
      `Input 'canister': '${text}' ${why}; ${EXPECTED_PRINCIPAL}`
    )
  })
})

/** Two canisters (never built here) and an environment of our own on mainnet, besides the implicit ones. */
const ICP_YAML = `canisters:
  - name: backend
    build:
      steps:
        - type: script
          command: 'true'
  - name: frontend
    build:
      steps:
        - type: script
          command: 'true'
environments:
  - name: staging
    network: ic
    canisters: [backend]
`

describe('icp-cli layout written by the real icp-cli 1.5.0', () => {
  let cli: IcpCli
  let workspace: string

  beforeAll(async () => {
    cli = await IcpCli.createOffline()
    workspace = join(cli.root, 'work') // the driver's working directory, so icp finds this icp.yaml
    await writeFile(join(workspace, 'icp.yaml'), ICP_YAML)
    await cli.runOk(['canister', 'link', 'backend', LEDGER, '-e', 'ic'])
    await cli.runOk(['canister', 'link', 'frontend', CMC, '-e', 'ic'])
    await cli.runOk(['canister', 'link', 'backend', OTHER, '-e', 'staging'])
    await cli.runOk(['canister', 'link', 'backend', LOCAL_BACKEND]) // the default environment is 'local'
  })

  afterAll(async () => {
    await cli.cleanup()
  })

  it('writes the documented paths and flat shape', async () => {
    const read = async (path: string): Promise<unknown> =>
      JSON.parse(await readFile(join(workspace, path), 'utf8'))
    expect(await read('.icp/data/mappings/ic.ids.json')).toEqual({ backend: LEDGER, frontend: CMC })
    expect(await read('.icp/data/mappings/staging.ids.json')).toEqual({ backend: OTHER })
    expect(await read('.icp/cache/mappings/local.ids.json')).toEqual({ backend: LOCAL_BACKEND })
  })

  it('resolves names for the ic environment from .icp/data', async () => {
    const resolved = await resolveCanisters('backend, frontend', onIc(workspace))
    expect(resolved).toEqual([
      { principal: Principal.fromText(LEDGER), name: 'backend', source: '.icp/data/mappings/ic.ids.json' },
      { principal: Principal.fromText(CMC), name: 'frontend', source: '.icp/data/mappings/ic.ids.json' }
    ])
  })

  it('resolves a named environment on the ic network', async () => {
    const resolved = await resolveCanister('backend', { workspace, network: 'ic', environment: 'staging' })
    expect(resolved).toMatchObject({ name: 'backend', source: '.icp/data/mappings/staging.ids.json' })
    expect(resolved.principal.toText()).toBe(OTHER)
  })

  it('resolves the local environment from .icp/cache for a URL network', async () => {
    const resolved = await resolveCanister('backend', onLocal(workspace))
    expect(resolved).toMatchObject({ name: 'backend', source: '.icp/cache/mappings/local.ids.json' })
    expect(resolved.principal.toText()).toBe(LOCAL_BACKEND)
  })

  it('does not find a canister that was only linked in another environment', async () => {
    await expectInputError(
      resolveCanister('frontend', onLocal(workspace)),
      `Input 'canister': 'frontend' is neither a principal nor a canister name found in ${LOCAL_FILES} ` +
        `(searched for icp-cli environment / dfx network 'local'); ${EXPECTED_NAME}`
    )
  })
})

describe('dfx layouts', () => {
  it('resolves the ic network from canister_ids.json at the root', async () => {
    const workspace = await workspaceWith({
      'canister_ids.json': { backend: { ic: LEDGER, staging: OTHER }, frontend: { ic: CMC } }
    })
    const resolved = await resolveCanister('backend', onIc(workspace))
    expect(resolved).toEqual({
      principal: Principal.fromText(LEDGER),
      name: 'backend',
      source: 'canister_ids.json'
    })
  })

  it('resolves a local URL network from .dfx/local/canister_ids.json with environment local', async () => {
    const workspace = await workspaceWith({
      'canister_ids.json': { backend: { ic: LEDGER } },
      '.dfx/local/canister_ids.json': { backend: { local: LOCAL_BACKEND } }
    })
    const resolved = await resolveCanister('backend', onLocal(workspace))
    expect(resolved).toMatchObject({ name: 'backend', source: '.dfx/local/canister_ids.json' })
    expect(resolved.principal.toText()).toBe(LOCAL_BACKEND)
  })

  it('falls back to the __default network as dfx does', async () => {
    const workspace = await workspaceWith({ 'canister_ids.json': { backend: { __default: OTHER } } })
    const resolved = await resolveCanister('backend', onIc(workspace))
    expect(resolved.principal.toText()).toBe(OTHER)
  })

  it('prefers the network entry over __default', async () => {
    const workspace = await workspaceWith({
      'canister_ids.json': { backend: { __default: OTHER, ic: LEDGER } }
    })
    const resolved = await resolveCanister('backend', onIc(workspace))
    expect(resolved.principal.toText()).toBe(LEDGER)
  })
})

describe('both tools', () => {
  it('names the icp-cli file as the source when both record the same id', async () => {
    const workspace = await workspaceWith({
      'canister_ids.json': { backend: { ic: LEDGER } },
      '.icp/data/mappings/ic.ids.json': { backend: LEDGER }
    })
    const resolved = await resolveCanister('backend', onIc(workspace))
    expect(resolved.source).toBe('.icp/data/mappings/ic.ids.json')
  })

  it('rejects a name the files record with different ids, naming each file', async () => {
    const workspace = await workspaceWith({
      'canister_ids.json': { backend: { ic: OTHER } },
      '.icp/data/mappings/ic.ids.json': { backend: LEDGER }
    })
    await expectInputError(
      resolveCanister('backend', onIc(workspace)),
      `${BACKEND_LOOKUP} the files disagree: .icp/data/mappings/ic.ids.json has ${LEDGER}, ` +
        `canister_ids.json has ${OTHER}; remove the stale entry or give the principal instead`
    )
  })

  it('rejects a clash between the icp-cli data and cache stores', async () => {
    const workspace = await workspaceWith({
      '.icp/data/mappings/local.ids.json': { backend: OTHER },
      '.icp/cache/mappings/local.ids.json': { backend: LOCAL_BACKEND }
    })
    await expectInputError(
      resolveCanister('backend', onLocal(workspace)),
      `${BACKEND_LOOKUP} the files disagree: .icp/data/mappings/local.ids.json has ${OTHER}, ` +
        `.icp/cache/mappings/local.ids.json has ${LOCAL_BACKEND}; ` +
        `remove the stale entry or give the principal instead`
    )
  })
})

describe('lists', () => {
  const ids = { 'canister_ids.json': { backend: { ic: LEDGER }, frontend: { ic: CMC } } }

  it('splits on commas and newlines, ignoring blank entries', async () => {
    const resolved = await resolveCanisters(
      `backend,\n\n ${OTHER} ,, \r\nfrontend\n`,
      onIc(await workspaceWith(ids))
    )
    expect(resolved.map(canister => canister.principal.toText())).toEqual([LEDGER, OTHER, CMC])
    expect(resolved.map(canister => canister.name)).toEqual(['backend', undefined, 'frontend'])
  })

  it('removes duplicates keeping the first, also a name given again as its principal', async () => {
    const resolved = await resolveCanisters(
      `frontend\nbackend\n${LEDGER}\nfrontend`,
      onIc(await workspaceWith(ids))
    )
    expect(resolved).toEqual([
      { principal: Principal.fromText(CMC), name: 'frontend', source: 'canister_ids.json' },
      { principal: Principal.fromText(LEDGER), name: 'backend', source: 'canister_ids.json' }
    ])
  })

  it('gives an empty list for a blank input', async () => {
    expect(await resolveCanisters(' \n , ', onIc(await workspaceWith()))).toEqual([])
  })

  it('reports the first bad reference', async () => {
    await expectInputError(
      resolveCanisters(`backend, 2vxsx-fae, nope`, onIc(await workspaceWith(ids))),
      `Input 'canister': '2vxsx-fae' is the anonymous principal, not a canister id; ${EXPECTED_PRINCIPAL}`
    )
  })
})

describe('names that cannot be resolved', () => {
  it('lists the files searched for ic', async () => {
    const workspace = await workspaceWith({ 'canister_ids.json': { frontend: { ic: CMC } } })
    await expectInputError(
      resolveCanister('backend', onIc(workspace)),
      `Input 'canister': 'backend' is neither a principal nor a canister name found in ${IC_FILES} ` +
        `(searched for network 'ic'); ${EXPECTED_NAME}`
    )
  })

  it('says when none of the files exists', async () => {
    await expectInputError(
      resolveCanister('backend', onLocal(await workspaceWith())),
      `Input 'canister': 'backend' is neither a principal nor a canister name found in ${LOCAL_FILES} ` +
        `(searched for icp-cli environment / dfx network 'local'; none of these files exists); ` +
        `${EXPECTED_NAME}`
    )
  })

  it('does not take a dfx entry for another network', async () => {
    const workspace = await workspaceWith({ 'canister_ids.json': { backend: { staging: OTHER } } })
    await expect(resolveCanister('backend', onIc(workspace))).rejects.toThrow(
      /'backend' is neither a principal/
    )
  })

  it('does not find inherited object keys', async () => {
    const workspace = await workspaceWith({ '.icp/data/mappings/ic.ids.json': {} })
    await expect(resolveCanister('constructor', onIc(workspace))).rejects.toThrow(/'constructor' is neither/)
  })

  it('points at a mistyped principal', async () => {
    await expectInputError(
      resolveCanister('ryjl3-tyaaa-aaaaa-aaaba-caj', onIc(await workspaceWith())),
      `Input 'canister': 'ryjl3-tyaaa-aaaaa-aaaba-caj' is neither a valid principal ` +
        `(its checksum does not match: a character is mistyped, missing or extra) ` +
        `nor a canister name found in ${IC_FILES} ` +
        `(searched for network 'ic'; none of these files exists); ${EXPECTED_NAME}`
    )
  })

  it('points at an uppercase principal', async () => {
    await expectInputError(
      resolveCanister(LEDGER.toUpperCase(), onIc(await workspaceWith())),
      `Input 'canister': '${LEDGER.toUpperCase()}' is neither a valid principal ` +
        `(principals are lowercase: '${LEDGER}') nor a canister name found in ${IC_FILES} ` +
        `(searched for network 'ic'; none of these files exists); ${EXPECTED_NAME}`
    )
  })

  it('needs an environment on a URL network', async () => {
    await expectInputError(
      resolveCanister('backend', { workspace: await workspaceWith(), network: LOCAL_URL }),
      `Input 'canister': 'backend' is not a principal, and canister names are looked up only ` +
        `for network 'ic' or with an environment (network is '${LOCAL_URL}'); ${EXPECTED_PRINCIPAL}`
    )
  })

  it('rejects an environment that would lead out of the id directories', async () => {
    const options = { workspace: await workspaceWith(), network: LOCAL_URL, environment: '../../etc' }
    await expectInputError(
      resolveCanister('backend', options),
      `Input 'environment': '../../etc' is not an environment or network name`,
      'environment'
    )
  })

  it('rejects an empty reference', async () => {
    await expectInputError(
      resolveCanister('  ', onIc(await workspaceWith())),
      `Input 'canister': is empty; ${EXPECTED_PRINCIPAL} or a name`
    )
  })
})

describe('broken id files', () => {
  it('names a file that is not valid JSON', async () => {
    const text = '{\n  "backend": "ryjl3-tyaaa-aaaaa-aaaba-cai",\n}\n'
    const reason = (() => {
      try {
        JSON.parse(text)
      } catch (error) {
        return (error as Error).message.replace(/\s*\n\s*/g, ' ')
      }
    })()
    const workspace = await workspaceWith({
      '.icp/data/mappings/ic.ids.json': text,
      'canister_ids.json': { backend: { ic: LEDGER } }
    })
    await expectInputError(
      resolveCanister('backend', onIc(workspace)),
      `${BACKEND_LOOKUP} .icp/data/mappings/ic.ids.json is not valid JSON (${reason})`
    )
  })

  it('accepts a byte-order mark', async () => {
    const workspace = await workspaceWith({ 'canister_ids.json': `\uFEFF{"backend": {"ic": "${LEDGER}"}}` })
    expect((await resolveCanister('backend', onIc(workspace))).principal.toText()).toBe(LEDGER)
  })

  it('names a file that is not an object of canister names', async () => {
    const workspace = await workspaceWith({ 'canister_ids.json': [LEDGER] })
    await expectInputError(
      resolveCanister('backend', onIc(workspace)),
      `${BACKEND_LOOKUP} canister_ids.json is not a JSON object of canister names`
    )
  })

  it('names a file whose entry is not a principal', async () => {
    const workspace = await workspaceWith({ '.icp/data/mappings/ic.ids.json': { backend: 'not-an-id' } })
    await expectInputError(
      resolveCanister('backend', onIc(workspace)),
      `${BACKEND_LOOKUP} .icp/data/mappings/ic.ids.json records it as "not-an-id", which is not a principal`
    )
  })

  it('names a dfx file whose entry is not an object of networks', async () => {
    const workspace = await workspaceWith({ 'canister_ids.json': { backend: 42 } })
    await expectInputError(
      resolveCanister('backend', onIc(workspace)),
      `${BACKEND_LOOKUP} canister_ids.json records it as 42, which is not a principal`
    )
  })

  it('names a file that records a user principal', async () => {
    const workspace = await workspaceWith({ '.icp/data/mappings/ic.ids.json': { backend: USER } })
    await expectInputError(
      resolveCanister('backend', onIc(workspace)),
      `${BACKEND_LOOKUP} .icp/data/mappings/ic.ids.json records it as '${USER}', ` +
        `which looks like a user principal, not a canister id`
    )
  })

  it('ignores broken entries for other names', async () => {
    const workspace = await workspaceWith({
      'canister_ids.json': { backend: { ic: LEDGER }, other: { ic: 'x' } }
    })
    expect((await resolveCanister('backend', onIc(workspace))).principal.toText()).toBe(LEDGER)
  })
})
