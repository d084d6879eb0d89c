// Resolves the `canister` input (principals or names) to canister ids. Where names are recorded:
// - icp-cli 1.5.0: `.icp/data/mappings/<environment>.ids.json` (connected networks, e.g. `ic`; meant to be
//   committed) and `.icp/cache/mappings/<environment>.ids.json` (managed networks, e.g. `local`; gitignored),
//   each a flat `{"<canister>": "<principal>"}`. Environments are named in icp.yaml (`environments: - name:`,
//   `network:`); `local` and `ic` are implicit. Sources: dfinity/icp-cli crates/icp/src/store_id.rs, docs/
//   concepts/environments.md, docs/migration/from-dfx.md; confirmed by `icp canister link` (1.5.0, offline).
// - dfx: `canister_ids.json` next to dfx.json for persistent networks (`ic` always; committed) and
//   `.dfx/<network>/canister_ids.json` for ephemeral ones (e.g. `local`), both `{"<canister>": {"<network>":
//   "<principal>"}}` with a `__default` network as fallback; networks are the keys of dfx.json `networks`
//   (`local`, `ic` implicit). Source: dfinity/sdk src/dfx-core/src/config/model/canister_id_store.rs.
// Only the workspace root is searched: a project kept in a subdirectory is not found.
import type { Principal } from '@icp-sdk/core/principal'
import { InputError } from './errors.js'
import {
  findInIdFiles,
  idFilesFor,
  loadIdFiles,
  type IdFile,
  type LoadedIdFile
} from './canister-ids/id-files.js'
import {
  EXAMPLE_CANISTER_ID,
  parsePrincipal,
  whyNotCanisterId,
  whyNotValidPrincipal
} from './canister-ids/principal.js'

export interface ResolvedCanister {
  principal: Principal
  /** The name the user gave, when it was a name. */
  name?: string
  /**
   * The file (relative to the workspace) whose entry matched, when it was a name.
   * For the log: "backend → <id> (from .icp/…)".
   */
  source?: string
}

export interface ResolveOptions {
  workspace: string // GITHUB_WORKSPACE (absolute)
  /** 'ic' for mainnet, or a network URL for a local/other network */
  network: string
  /**
   * optional: the icp-cli environment / dfx network name to look up for a URL network (e.g. 'local');
   * for 'ic' it is 'ic'
   */
  environment?: string
}

const INPUT = 'canister'

/**
 * One reference: a principal text (validated with Principal.fromText, and checked to be a canister-like id,
 * not a self-authenticating user principal or anonymous) or a name.
 */
export async function resolveCanister(ref: string, options: ResolveOptions): Promise<ResolvedCanister> {
  return new CanisterResolver(options).resolve(ref.trim())
}

/**
 * The input may hold several references, newline or comma separated (blank entries ignored, duplicates
 * removed keeping order).
 * Duplicates are the same canister, however given (a name and its principal count once; the first is kept).
 * A blank input gives an empty list: whether a canister is required is the caller's decision.
 */
export async function resolveCanisters(input: string, options: ResolveOptions): Promise<ResolvedCanister[]> {
  const resolver = new CanisterResolver(options)
  const resolved: ResolvedCanister[] = []
  // One at a time, so the error reported is always the one for the first bad reference.
  for (const ref of splitReferences(input)) resolved.push(await resolver.resolve(ref))
  return uniqueCanisters(resolved)
}

function splitReferences(input: string): string[] {
  return input
    .split(/[\n,]/)
    .map(ref => ref.trim())
    .filter(ref => ref !== '')
}

function uniqueCanisters(canisters: ResolvedCanister[]): ResolvedCanister[] {
  const seen = new Set<string>()
  return canisters.filter(canister => {
    const id = canister.principal.toText()
    if (seen.has(id)) return false
    seen.add(id)
    return true
  })
}

/** Resolves references against one workspace and network, reading the id files once, on the first name. */
class CanisterResolver {
  private loaded: Promise<LoadedIdFile[]> | undefined

  constructor(private readonly options: ResolveOptions) {}

  async resolve(ref: string): Promise<ResolvedCanister> {
    if (ref === '') {
      throw inputError(`is empty; expected a canister principal like '${EXAMPLE_CANISTER_ID}' or a name`)
    }
    const principal = parsePrincipal(ref)
    if (principal) return { principal: checkCanisterId(ref, principal) }
    return this.resolveName(ref)
  }

  private async resolveName(name: string): Promise<ResolvedCanister> {
    const environment = this.lookupEnvironment(name)
    const files = idFilesFor(environment)
    this.loaded ??= loadIdFiles(this.options.workspace, files, name)
    const loaded = await this.loaded
    const match = findInIdFiles(loaded, name)
    if (!match) throw notFoundError(name, environment, files, loaded.length === 0)
    return { principal: match.principal, name, source: match.source }
  }

  /** The icp-cli environment / dfx network whose ids to read; only 'ic' goes without saying. */
  private lookupEnvironment(name: string): string {
    const environment = this.options.environment?.trim() || (this.options.network === 'ic' ? 'ic' : '')
    if (environment === '') throw noEnvironmentError(name, this.options.network)
    // It becomes part of a path: nothing may lead out of the workspace's id directories.
    if (/[/\\]/.test(environment) || /^\.+$/.test(environment)) {
      throw new InputError('environment', `'${environment}' is not an environment or network name`)
    }
    return environment
  }
}

function checkCanisterId(ref: string, principal: Principal): Principal {
  const why = whyNotCanisterId(principal)
  if (why) throw inputError(`'${ref}' ${why}; expected a canister principal like '${EXAMPLE_CANISTER_ID}'`)
  return principal
}

function notFoundError(name: string, environment: string, files: IdFile[], noneExists: boolean): InputError {
  const paths = files.map(file => file.path).join(', ')
  const searched =
    environment === 'ic' ? `network 'ic'` : `icp-cli environment / dfx network '${environment}'`
  const missing = noneExists ? '; none of these files exists' : ''
  return inputError(
    `'${name}' is neither ${principalPhrase(name)} nor a canister name found in ${paths} ` +
      `(searched for ${searched}${missing}); ` +
      `expected a canister principal like '${EXAMPLE_CANISTER_ID}' or a name from those files`
  )
}

function noEnvironmentError(name: string, network: string): InputError {
  return inputError(
    `'${name}' is not ${principalPhrase(name)}, and canister names are looked up only for network 'ic' ` +
      `or with an environment (network is '${network}'); ` +
      `expected a canister principal like '${EXAMPLE_CANISTER_ID}'`
  )
}

/** "a principal", or "a valid principal (why)" when the text looks like a mistyped one. */
function principalPhrase(text: string): string {
  const why = whyNotValidPrincipal(text)
  return why ? `a valid principal (${why})` : 'a principal'
}

function inputError(problem: string): InputError {
  return new InputError(INPUT, problem)
}
