import * as core from '@actions/core'
import { Inputs, MODES, ON_LIMIT, type Mode, type OnLimit } from '../constants.js'
import { resolveCanisters, type ResolvedCanister } from '../canister-ids.js'
import { InputError } from '../errors.js'
import type { GuardInputs } from '../guard/checks.js'
import type { Network } from '../ic/connect.js'
import { loadIdentity, type ControllerIdentity } from '../identity/index.js'
import { guardInputsGiven, readGuardInputs } from './guard.js'
import { getBoolean, getChoice, getTrimmed, getWholeNumber } from './helpers.js'
import { readTransferInputs, type TransferInputs } from './transfer.js'

export type { TransferInputs } from './transfer.js'

export type ExistingSnapshotRef = { kind: 'id'; id: string } | { kind: 'latest' }
export type SnapshotRef = ExistingSnapshotRef | { kind: 'new' }
export type ReplaceRef = { kind: 'id'; id: string } | { kind: 'oldest' }

export interface ActionInputs {
  mode: Mode
  identity: ControllerIdentity
  network: Network
  canisters: ResolvedCanister[]
  snapshot?: SnapshotRef
  replace?: ReplaceRef
  onLimit: OnLimit
  stopTimeoutSeconds: number
  keepLast?: number
  dryRun: boolean
  /** restore, upload-artifact with restore: keep the state before the load (undefined: not given, so on). */
  safetySnapshot?: boolean
  /** create: uninstall the code in the same call that takes the snapshot (`uninstall-code`). */
  uninstallCode: boolean
  transfer: TransferInputs
  guard: GuardInputs
}

const ROOT_KEY_DER_PREFIX = '308182301d060d2b0601040182dc7c0503010201060c2b0601040182dc7c05030201036100'
const DEFAULT_STOP_TIMEOUT_SECONDS = 300
/** Modes that take a group of canisters; the others work on one at a time. */
const GROUP_MODES: readonly Mode[] = ['create', 'list', 'guard-upgrade']

/** Reads and validates every input before anything changes on the IC. */
export async function readInputs(): Promise<ActionInputs> {
  const mode = readMode()
  const identity = readIdentity()
  const network = readNetwork()
  const canisters = await readCanisters(mode, network)
  const inputs: ActionInputs = {
    mode,
    identity,
    network,
    canisters,
    snapshot: readSnapshotRef(),
    replace: readReplace(),
    // A guard runs before every deploy: at the limit it rotates rather than blocking the release.
    onLimit: getChoice(Inputs.OnLimit, ON_LIMIT, mode === 'guard-upgrade' ? 'replace-oldest' : 'fail'),
    stopTimeoutSeconds: readStopTimeout(),
    keepLast: getWholeNumber(Inputs.KeepLast, { min: 0, max: 10 }),
    dryRun: getBoolean(Inputs.DryRun, false),
    safetySnapshot:
      getTrimmed(Inputs.SafetySnapshot) === '' ? undefined : getBoolean(Inputs.SafetySnapshot, true),
    uninstallCode: getBoolean(Inputs.UninstallCode, false),
    transfer: readTransferInputs(mode),
    guard: readGuardInputs()
  }
  checkCombination(inputs)
  return inputs
}

export function readStopTimeout(): number {
  return getWholeNumber(Inputs.StopTimeout, { min: 1, max: 3600 }, DEFAULT_STOP_TIMEOUT_SECONDS) as number
}

export function readMode(): Mode {
  const value = getTrimmed(Inputs.Mode)
  if (value === '') throw new InputError(Inputs.Mode, `is required; expected one of ${MODES.join(', ')}`)
  if (!(MODES as readonly string[]).includes(value)) {
    throw new InputError(Inputs.Mode, `'${value}' is not a mode; expected one of ${MODES.join(', ')}`)
  }
  return value as Mode
}

export function readIdentity(): ControllerIdentity {
  // core.getInput trims; a PEM's own line structure is kept.
  const pem = getTrimmed(Inputs.Identity)
  if (pem === '') {
    throw new InputError(Inputs.Identity, "is required: the PEM of a controller's identity, from a secret")
  }
  // A password is taken as given: spaces at its ends may be part of it.
  const password = core.getInput(Inputs.IdentityPassword, { trimWhitespace: false })
  return loadIdentity(pem, password === '' ? undefined : password)
}

export function readNetwork(): Network {
  const value = getTrimmed(Inputs.Network) || 'ic'
  const rootKeyHex = getTrimmed(Inputs.RootKey).toLowerCase()
  if (value === 'ic') {
    if (rootKeyHex)
      throw new InputError(
        Inputs.RootKey,
        "applies only to a URL network; mainnet ('ic') uses its built-in root key"
      )
    return { kind: 'ic' }
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(
      Inputs.Network,
      `'${value}' is neither 'ic' nor a URL; expected 'ic' or a URL like http://127.0.0.1:4943`
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(
      Inputs.Network,
      `'${value}' is not an http(s) URL; expected 'ic' or a URL like http://127.0.0.1:4943`
    )
  }
  if (!rootKeyHex) {
    // Every certified reply is checked against the root key; fetched over plain HTTP from another machine,
    // that key is whatever a man in the middle sends, and so is every "certified" reply after it.
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
      throw new InputError(
        Inputs.RootKey,
        `is required for ${url.origin}: a root key fetched over plain HTTP from another host can be forged on the way; pass the network's root key (hex, from /api/v2/status), or use https`
      )
    }
    return { kind: 'url', url: url.origin }
  }
  if (
    !/^[0-9a-f]+$/.test(rootKeyHex) ||
    rootKeyHex.length !== 266 ||
    !rootKeyHex.startsWith(ROOT_KEY_DER_PREFIX)
  ) {
    throw new InputError(
      Inputs.RootKey,
      `is not a DER-encoded BLS root key; expected 266 hex characters starting with ${ROOT_KEY_DER_PREFIX.slice(0, 12)}… (as /api/v2/status reports it)`
    )
  }
  return { kind: 'url', url: url.origin, rootKey: new Uint8Array(Buffer.from(rootKeyHex, 'hex')) }
}

/** 127.0.0.0/8, ::1 and localhost: a fetched root key there never crosses a network. */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
  )
}

export async function readCanisters(mode: Mode, network: Network): Promise<ResolvedCanister[]> {
  const value = getTrimmed(Inputs.Canister)
  if (value === '')
    throw new InputError(
      Inputs.Canister,
      'is required: a canister principal or a name from the canister id files'
    )
  // A URL network is most often the local one, whose ids icp-cli and dfx keep under 'local'.
  const environment = getTrimmed(Inputs.Environment) || (network.kind === 'ic' ? 'ic' : 'local')
  const canisters = await resolveCanisters(value, {
    workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
    network: network.kind === 'ic' ? 'ic' : network.url,
    environment
  })
  if (canisters.length === 0) throw new InputError(Inputs.Canister, 'names no canister')
  if (!GROUP_MODES.includes(mode) && canisters.length > 1) {
    throw new InputError(
      Inputs.Canister,
      `names ${canisters.length} canisters; mode '${mode}' works on one at a time`
    )
  }
  return canisters
}

function hexSnapshotId(name: string, value: string): string {
  const hex = value.toLowerCase()
  if (hex.startsWith('0x'))
    throw new InputError(name, `'${value}' starts with 0x; give the id as plain hex, as icp-cli prints it`)
  if (!/^[0-9a-f]+$/.test(hex) || hex.length % 2 !== 0 || hex.length < 18 || hex.length > 74) {
    throw new InputError(
      name,
      `'${value}' is not a snapshot id; expected hex as 'icp canister snapshot list' prints it`
    )
  }
  return hex
}

function readSnapshotRef(): SnapshotRef | undefined {
  const value = getTrimmed(Inputs.SnapshotId)
  if (value === '') return undefined
  if (value === 'latest') return { kind: 'latest' }
  if (value === 'new') return { kind: 'new' }
  return { kind: 'id', id: hexSnapshotId(Inputs.SnapshotId, value) }
}

function readReplace(): ReplaceRef | undefined {
  const value = getTrimmed(Inputs.Replace)
  if (value === '') return undefined
  if (value === 'oldest') return { kind: 'oldest' }
  return { kind: 'id', id: hexSnapshotId(Inputs.Replace, value) }
}

function checkCombination(inputs: ActionInputs): void {
  checkGuardCombination(inputs)
  checkEncryptionCombination(inputs)
  checkProvenanceCombination(inputs)
  checkSafetySnapshotCombination(inputs)
  checkMigrationCombination(inputs)
  if (inputs.snapshot?.kind === 'new' && inputs.mode !== 'download-artifact') {
    throw new InputError(
      Inputs.SnapshotId,
      `'new' applies only to mode 'download-artifact'; use mode 'create' to take a snapshot`
    )
  }
  if (inputs.mode === 'upload-artifact' && !inputs.transfer.artifactName && !inputs.transfer.path) {
    throw new InputError(
      Inputs.ArtifactName,
      "or 'path' is required for mode 'upload-artifact': where the snapshot comes from"
    )
  }
  if (inputs.mode === 'upload-artifact' && inputs.transfer.artifactName && inputs.transfer.path) {
    throw new InputError(
      Inputs.Path,
      "cannot be combined with 'artifact-name' in mode 'upload-artifact'; give one source"
    )
  }
  if ((inputs.mode === 'restore' || inputs.mode === 'download-artifact') && !inputs.snapshot) {
    const choices =
      inputs.mode === 'restore' ? "a snapshot id, or 'latest'" : "a snapshot id, 'latest', or 'new'"
    throw new InputError(Inputs.SnapshotId, `is required for mode '${inputs.mode}': ${choices}`)
  }
  if (inputs.mode === 'delete' && !inputs.snapshot && inputs.keepLast === undefined) {
    throw new InputError(Inputs.SnapshotId, "or 'keep-last' is required for mode 'delete'")
  }
  if (inputs.mode === 'delete' && inputs.snapshot && inputs.keepLast !== undefined) {
    throw new InputError(Inputs.KeepLast, "cannot be combined with 'snapshot-id'; give one of them")
  }
  if (inputs.replace?.kind === 'id' && inputs.canisters.length > 1) {
    throw new InputError(
      Inputs.Replace,
      "names one snapshot id but 'canister' names several canisters; use 'oldest'"
    )
  }
}

function checkSafetySnapshotCombination({ mode, transfer, safetySnapshot }: ActionInputs): void {
  if (safetySnapshot === undefined) return
  if (mode === 'restore' || (mode === 'upload-artifact' && transfer.restore)) return
  throw new InputError(
    Inputs.SafetySnapshot,
    "applies only to mode 'restore' and to 'upload-artifact' with 'restore: true', which load a snapshot"
  )
}

function checkMigrationCombination({ mode, transfer, uninstallCode }: ActionInputs): void {
  if (uninstallCode && mode !== 'create') {
    throw new InputError(
      Inputs.UninstallCode,
      "applies only to mode 'create', which takes the snapshot the code is uninstalled after"
    )
  }
  if (transfer.deleteAfterRestore && !(mode === 'upload-artifact' && transfer.restore)) {
    throw new InputError(
      Inputs.DeleteAfterRestore,
      "applies only to mode 'upload-artifact' with 'restore: true': the uploaded snapshot goes once it is loaded"
    )
  }
}

function checkProvenanceCombination({ mode, transfer }: ActionInputs): void {
  if (transfer.sourceCanister && mode !== 'upload-artifact') {
    throw new InputError(Inputs.SourceCanister, "applies only to mode 'upload-artifact'")
  }
  if (transfer.allowForkArtifact && !transfer.fromRun) {
    throw new InputError(Inputs.AllowForkArtifact, "applies only with 'run-id': an artifact of another run")
  }
}

function checkEncryptionCombination({ mode, transfer }: ActionInputs): void {
  if (!transfer.encryptWith) return
  if (mode !== 'download-artifact' && mode !== 'upload-artifact') {
    throw new InputError(
      Inputs.EncryptWith,
      "applies only to modes 'download-artifact' and 'upload-artifact'"
    )
  }
  if (transfer.cache) {
    throw new InputError(
      Inputs.EncryptWith,
      "cannot be combined with 'cache': the cache would keep the snapshot unencrypted"
    )
  }
  if (mode === 'upload-artifact' && transfer.path) {
    throw new InputError(Inputs.EncryptWith, "applies to an artifact; a local 'path' is read as it is")
  }
}

function checkGuardCombination({ mode, guard, transfer }: ActionInputs): void {
  const given = guardInputsGiven(guard)
  if (mode !== 'guard-upgrade') {
    // A restore is checked as a deploy is: the same health and module checks, but nothing to deploy.
    const restores = mode === 'restore' || (mode === 'upload-artifact' && transfer.restore)
    const misplaced = given.find(name => !restores || name === Inputs.Deploy)
    if (misplaced) {
      throw new InputError(
        misplaced,
        misplaced === Inputs.Deploy
          ? "applies only to mode 'guard-upgrade'"
          : "applies only to modes 'guard-upgrade' and 'restore', and to 'upload-artifact' with 'restore: true'"
      )
    }
    if (!guard.keepSnapshot) throw new InputError(Inputs.KeepSnapshot, "applies only to mode 'guard-upgrade'")
    return
  }
  if (guard.deploy) return
  // Without a deploy the guard only takes the snapshots; the job's later steps deploy, unchecked.
  const gate = given.find(name => name !== Inputs.Deploy)
  if (gate) {
    throw new InputError(
      gate,
      `needs '${Inputs.Deploy}': health checks run after the deploy the action runs itself; without 'deploy' the post step rolls back if a later step fails`
    )
  }
  if (!guard.keepSnapshot) {
    throw new InputError(
      Inputs.KeepSnapshot,
      `'false' needs '${Inputs.Deploy}': without it the snapshot must stay for the post step's rollback`
    )
  }
}
