// Drives the real icp-cli 1.5.0 binary (npm devDependency) from tests, fully isolated from the user's
// machine: every instance gets its own temp HOME / ICP_HOME, plaintext identities, no telemetry, no prompts.
// Facts behind the flags are in ./ICP_CLI_NOTES.md.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export const ICP_BIN: string = process.env.ICP_CLI_BIN ?? resolveBundledBinary()

function resolveBundledBinary(): string {
  const pkg = createRequire(import.meta.url).resolve('@icp-sdk/icp-cli-linux-x64/package.json')
  return join(dirname(pkg), 'bin', 'icp')
}

const DEFAULT_TIMEOUT_MS = 60_000
/** Exit code reported when the driver killed the child, as coreutils `timeout` does. */
export const TIMED_OUT_CODE = 124

export interface IcpNetwork {
  /** e.g. 'http://127.0.0.1:PORT' */
  url: string
  /** 266 hex chars: the 133-byte DER root key; icp refuses `--network <URL>` without `--root-key`. */
  rootKeyHex: string
}

export interface RunResult {
  stdout: string
  stderr: string
  code: number
}

export interface RunOptions {
  /** Appends `--json` (only valid on subcommands that have it). */
  json?: boolean
  timeoutMs?: number
  /** A command icp runs under, e.g. `/usr/bin/time -o FILE` for the benchmark's resource figures. */
  via?: string[]
}

export type CanisterRunState = 'Running' | 'Stopping' | 'Stopped'

/** `icp canister status <id> --json` (Nat fields are decimal strings; module_hash is '0x…' or null). */
export interface CanisterStatus {
  id: string
  status: CanisterRunState
  module_hash: string | null
  memory_size: string
  cycles: string
  settings: { controllers: string[] } & Record<string, unknown>
  [field: string]: unknown
}

/** One entry of `snapshot create --json` / `snapshot list --json`. */
export interface SnapshotInfo {
  /** lowercase hex, no 0x */
  snapshotId: string
  /** nanoseconds since the epoch; exceeds 2^53, hence bigint */
  takenAtTimestamp: bigint
  totalSizeBytes: bigint
}

export class IcpCli {
  /** Name passed as `--identity` to network commands; undefined means icp's default (anonymous). */
  activeIdentity: string | undefined

  private constructor(
    readonly root: string,
    /** The isolated environment every icp command runs with (for shell commands that call icp). */
    readonly env: NodeJS.ProcessEnv,
    private readonly network: IcpNetwork | undefined
  ) {}

  static async create(network: IcpNetwork): Promise<IcpCli> {
    return IcpCli.init(network)
  }

  /** For identity work only (PEM fixtures): network wrappers throw. */
  static async createOffline(): Promise<IcpCli> {
    return IcpCli.init(undefined)
  }

  private static async init(network: IcpNetwork | undefined): Promise<IcpCli> {
    const root = await mkdtemp(join(tmpdir(), 'icp-cli-'))
    await Promise.all(['home', 'icp', 'work', 'secrets'].map(d => mkdir(join(root, d))))
    const cli = new IcpCli(root, isolatedEnv(root), network)
    // The npm build may poll registry.npmjs.org for updates; telemetry is already off via CI/DO_NOT_TRACK.
    await cli.runOk(['settings', 'update-check', 'disabled'])
    return cli
  }

  /** Imports a PEM (any shape icp accepts) as a plaintext identity and makes it the active one. */
  async importIdentity(name: string, pemPath: string, opts: { password?: string } = {}): Promise<string> {
    const args = ['identity', 'import', name, '--from-pem', pemPath, '--storage', 'plaintext']
    // Without a password file icp tries to read the terminal and fails ("not a terminal").
    const passwordFile = opts.password === undefined ? undefined : await this.writeSecret(opts.password)
    try {
      await this.runOk([...args, ...optional('--decryption-password-from-file', passwordFile)])
    } finally {
      if (passwordFile) await rm(passwordFile, { force: true })
    }
    return this.useIdentity(name)
  }

  /**
   * Plain PEM text: secp256k1 as PKCS#8, Ed25519 as PKCS#8 v2 (with the public key); with `encryptWith`, an
   * `ENCRYPTED PRIVATE KEY` (icp wants at least 8 characters).
   */
  async exportIdentity(name: string, opts: { encryptWith?: string } = {}): Promise<string> {
    if (opts.encryptWith === undefined) return this.runOk(['identity', 'export', name])
    const passwordFile = await this.writeSecret(opts.encryptWith)
    try {
      return await this.runOk([
        'identity',
        'export',
        name,
        '--encrypt',
        '--encryption-password-file',
        passwordFile
      ])
    } finally {
      await rm(passwordFile, { force: true })
    }
  }

  /**
   * `icp identity new` only makes secp256k1 keys; an Ed25519 or P-256 one is derived from a fresh seed phrase
   * via `identity import --from-seed-file --seed-curve ed25519|prime256v1` (icp 1.5.0's `--seed-curve`).
   */
  async newIdentity(
    name: string,
    opts: { curve?: 'secp256k1' | 'ed25519' | 'prime256v1' } = {}
  ): Promise<string> {
    const curve = opts.curve ?? 'secp256k1'
    // --output-seed keeps the seed phrase off stdout; the file is removed at once.
    const seedFile = this.secretPath()
    try {
      if (curve === 'secp256k1') {
        await this.runOk(['identity', 'new', name, '--storage', 'plaintext', '--output-seed', seedFile])
      } else {
        const scratch = `seed-scratch-${randomSuffix()}`
        await this.runOk(['identity', 'new', scratch, '--storage', 'plaintext', '--output-seed', seedFile])
        const fromSeed = ['--from-seed-file', seedFile, '--seed-curve', curve, '--storage', 'plaintext']
        await this.runOk(['identity', 'import', name, ...fromSeed])
        await this.runOk(['identity', 'delete', scratch])
      }
    } finally {
      await rm(seedFile, { force: true })
    }
    return this.useIdentity(name)
  }

  async principal(identity = this.activeIdentity): Promise<string> {
    const out = await this.runOk(['identity', 'principal', ...(identity ? ['--identity', identity] : [])])
    return out.trim()
  }

  /** Makes `name` icp's default identity and the one passed to every network command. */
  async useIdentity(name: string): Promise<string> {
    await this.runOk(['identity', 'default', name])
    this.activeIdentity = name
    return this.principal(name)
  }

  /** Runs `icp <args>` with stdin closed; never throws on a non-zero exit; kills the child on timeout. */
  run(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    const argv = opts.json ? [...args, '--json'] : args
    const [bin, ...prefix] = [...(opts.via ?? []), ICP_BIN]
    return runProcess(bin, [...prefix, ...argv], {
      cwd: join(this.root, 'work'),
      env: this.env,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
    })
  }

  /** Like run, but returns stdout and throws with the command line, stdout and stderr on failure. */
  async runOk(args: string[], opts: RunOptions = {}): Promise<string> {
    const result = await this.run(args, opts)
    if (result.code !== 0) throw new IcpCliError(args, result)
    return result.stdout
  }

  // --- network commands: canister given as a raw principal, network given as URL + root key ---

  async canisterStatus(canisterId: string): Promise<CanisterStatus> {
    return JSON.parse(await this.onNetwork(['canister', 'status', canisterId, '--json'])) as CanisterStatus
  }

  async stop(canisterId: string): Promise<void> {
    await this.onNetwork(['canister', 'stop', canisterId])
  }

  async start(canisterId: string): Promise<void> {
    await this.onNetwork(['canister', 'start', canisterId])
  }

  /** Refused by icp unless the canister is Stopped; `replace` deletes that snapshot after taking a new one. */
  async snapshotCreate(canisterId: string, opts: { replace?: string } = {}): Promise<SnapshotInfo> {
    const args = [
      'canister',
      'snapshot',
      'create',
      canisterId,
      '--json',
      ...optional('--replace', opts.replace)
    ]
    return toSnapshotInfo(parseSnapshotJson(await this.onNetwork(args)))
  }

  async snapshotList(canisterId: string): Promise<SnapshotInfo[]> {
    const out = parseSnapshotJson(
      await this.onNetwork(['canister', 'snapshot', 'list', canisterId, '--json'])
    )
    return (out as { snapshots: RawSnapshot[] }).snapshots.map(toSnapshotInfo)
  }

  /** icp creates `dir`; without `resume` it refuses a dir that already holds metadata.json or a blob. */
  async snapshotDownload(
    canisterId: string,
    snapshotId: string,
    dir: string,
    opts: { resume?: boolean; timeoutMs?: number; via?: string[] } = {}
  ): Promise<void> {
    const args = ['canister', 'snapshot', 'download', canisterId, snapshotId, '--output', dir]
    await this.onNetwork(opts.resume ? [...args, '--resume'] : args, opts.timeoutMs, opts.via)
  }

  /** Returns the id of the uploaded snapshot; with `resume` icp takes it from .upload_progress.json. */
  async snapshotUpload(
    canisterId: string,
    dir: string,
    opts: { replace?: string; resume?: boolean; timeoutMs?: number; via?: string[] } = {}
  ): Promise<string> {
    const args = ['canister', 'snapshot', 'upload', canisterId, '--input', dir, '--json']
    args.push(...optional('--replace', opts.replace), ...(opts.resume ? ['--resume'] : []))
    const out = JSON.parse(await this.onNetwork(args, opts.timeoutMs, opts.via)) as { snapshot_id: string }
    return out.snapshot_id
  }

  /** Refused by icp unless the canister is Stopped. */
  async snapshotRestore(canisterId: string, snapshotId: string): Promise<void> {
    await this.onNetwork(['canister', 'snapshot', 'restore', canisterId, snapshotId])
  }

  async snapshotDelete(canisterId: string, snapshotId: string): Promise<void> {
    await this.onNetwork(['canister', 'snapshot', 'delete', canisterId, snapshotId])
  }

  /** The flags that point a canister command at the URL network as the active identity. */
  networkArgs(): string[] {
    if (!this.network) throw new Error('IcpCli was created offline; use IcpCli.create({ url, rootKeyHex })')
    const { url, rootKeyHex } = this.network
    return ['--network', url, '--root-key', rootKeyHex, ...optional('--identity', this.activeIdentity)]
  }

  async cleanup(): Promise<void> {
    await rm(this.root, { recursive: true, force: true })
  }

  private onNetwork(args: string[], timeoutMs?: number, via?: string[]): Promise<string> {
    return this.runOk([...args, ...this.networkArgs()], { timeoutMs, via })
  }

  private secretPath(): string {
    return join(this.root, 'secrets', randomSuffix())
  }

  private async writeSecret(text: string): Promise<string> {
    const path = this.secretPath()
    await writeFile(path, text, { mode: 0o600 })
    return path
  }
}

export class IcpCliError extends Error {
  constructor(
    readonly args: string[],
    readonly result: RunResult
  ) {
    super(
      `icp ${args.join(' ')} exited with ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`
    )
    this.name = 'IcpCliError'
  }
}

/**
 * Only PATH is inherited: ICP_NETWORK, ICP_ENVIRONMENT or ICP_PROJECT_ROOT from the caller's shell would
 * silently change what icp targets. ICP_HOME holds identities, settings and the package cache; HOME and
 * XDG_* are set too so nothing can fall back to the real ~/.config or ~/.local/share.
 */
function isolatedEnv(root: string): NodeJS.ProcessEnv {
  const home = join(root, 'home')
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    ICP_HOME: join(root, 'icp'),
    CI: 'true',
    DO_NOT_TRACK: '1',
    ICP_TELEMETRY_DISABLED: '1',
    NO_COLOR: '1',
    TERM: 'dumb'
  }
}

function runProcess(
  bin: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }
): Promise<RunResult> {
  return new Promise(resolve => {
    const child = spawn(bin, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, opts.timeoutMs)
    child.stdout.on('data', (b: Buffer) => stdout.push(b))
    child.stderr.on('data', (b: Buffer) => stderr.push(b))
    const finish = (code: number, extraErr = ''): void => {
      clearTimeout(timer)
      const err = Buffer.concat(stderr).toString('utf8') + extraErr
      resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: err, code })
    }
    child.on('error', e => finish(127, `\n[icp-cli driver] failed to spawn ${bin}: ${e.message}`))
    child.on('close', (code, signal) => {
      if (timedOut) finish(TIMED_OUT_CODE, `\n[icp-cli driver] killed after ${opts.timeoutMs} ms`)
      else finish(code ?? 128, signal ? `\n[icp-cli driver] killed by ${signal}` : '')
    })
  })
}

interface RawSnapshot {
  snapshot_id: string
  taken_at_timestamp: string
  total_size_bytes: string
}

/** Quotes the u64 fields before JSON.parse so timestamps in ns keep every digit. */
function parseSnapshotJson(text: string): unknown {
  return JSON.parse(text.replace(/"(taken_at_timestamp|total_size_bytes)"\s*:\s*(\d+)/g, '"$1":"$2"'))
}

function toSnapshotInfo(raw: unknown): SnapshotInfo {
  const s = raw as RawSnapshot
  return {
    snapshotId: s.snapshot_id,
    takenAtTimestamp: BigInt(s.taken_at_timestamp),
    totalSizeBytes: BigInt(s.total_size_bytes)
  }
}

function optional(flag: string, value: string | undefined): string[] {
  return value === undefined ? [] : [flag, value]
}

function randomSuffix(): string {
  return randomUUID().slice(0, 8)
}
