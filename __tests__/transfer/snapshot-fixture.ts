// What the transfer tests share: a replica, a controller identity that drives the action's code through the
// real agent, optionally icp-cli as a second controller, counter canisters grown to a chosen size, and
// helpers to compare snapshot directories.
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { HttpAgent } from '@icp-sdk/core/agent'
import { IDL } from '@icp-sdk/core/candid'
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity'
import { Principal } from '@icp-sdk/core/principal'
import { connect, type IcConnection } from '../../src/ic/connect.js'
import { Management } from '../../src/ic/management.js'
import { downloadSnapshot } from '../../src/transfer/download.js'
import { counterFor, growAndFill } from '../harness/agent.js'
import { IcpCli } from '../harness/icp-cli.js'
import { startReplica, type Replica } from '../harness/replica/replica.js'

export interface TransferFixture {
  replica: Replica
  identity: Ed25519KeyIdentity
  agent: HttpAgent
  connection: IcConnection
  management: Management
  /** Principals that control every canister the fixture seeds. */
  controllers: Principal[]
  icp?: IcpCli
  scratch: string
  /** A fresh directory path under scratch (not created). */
  dir(name: string): string
  cleanup(): Promise<void>
}

/** Fetches made by the connection, counted so a test can see how many calls were in flight at once. */
export interface InFlight {
  now: number
  max: number
  reset(): void
}

export async function startFixture(
  options: { icp?: boolean } = {}
): Promise<TransferFixture & { inFlight: InFlight }> {
  // Retries of transient failures back off for milliseconds instead of seconds. The scale is ignored on
  // GitHub's runner (retry.ts), which CI's jest process runs on: these in-process tests are not its steps.
  process.env.CANISTER_SNAPSHOT_RETRY_SCALE = '0.01'
  delete process.env.RUNNER_ENVIRONMENT
  delete process.env.RUNNER_NAME
  const replica = await startReplica()
  const identity = Ed25519KeyIdentity.generate()
  const inFlight: InFlight = {
    now: 0,
    max: 0,
    reset() {
      this.max = this.now
    }
  }
  const countingFetch: typeof fetch = async (input, init) => {
    inFlight.now++
    inFlight.max = Math.max(inFlight.max, inFlight.now)
    try {
      return await fetch(input, init)
    } finally {
      inFlight.now--
    }
  }
  // The action's own connection (retryTimes 0): its withRetry is the only retry layer the faults meet.
  const connection: IcConnection = await connect(
    { kind: 'url', url: replica.url, rootKey: replica.rootKey },
    identity,
    { fetch: countingFetch }
  )
  const { agent } = connection
  const scratch = await mkdtemp(join(tmpdir(), 'snapshot-transfer-'))
  const controllers = [identity.getPrincipal()]
  let icp: IcpCli | undefined
  if (options.icp) {
    icp = await IcpCli.create({ url: replica.url, rootKeyHex: replica.rootKeyHex })
    controllers.push(Principal.fromText(await icp.newIdentity('operator')))
  }
  let dirs = 0
  return {
    replica,
    identity,
    agent,
    connection,
    management: new Management(connection),
    controllers,
    icp,
    scratch,
    inFlight,
    dir: name => join(scratch, `${++dirs}-${name}`),
    async cleanup() {
      await icp?.cleanup()
      await replica.stop()
      await rm(scratch, { recursive: true, force: true })
    }
  }
}

/**
 * A counter holding `value`, with stable memory and heap grown by the given 64 KiB pages and filled with
 * incompressible bytes, so its snapshot is that big.
 */
export async function seedCounter(
  fixture: TransferFixture,
  value: bigint,
  size: { stablePages?: number; heapPages?: number; seed?: bigint } = {}
): Promise<Principal> {
  const canister = await fixture.replica.seedCanister(
    'counter',
    fixture.controllers,
    new Uint8Array(IDL.encode([IDL.Nat64], [value]))
  )
  await growAndFill(fixture.agent, canister, size)
  return canister
}

export async function counterValue(fixture: TransferFixture, canister: Principal): Promise<bigint> {
  return counterFor(fixture.agent, canister).get()
}

/** Relative path → sha256 of every file under `dir`, except transfer state files. */
export async function treeHashes(
  dir: string,
  only?: (path: string) => boolean
): Promise<Record<string, string>> {
  const result: Record<string, string> = {}
  const walk = async (prefix: string): Promise<void> => {
    for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name
      if (entry.isDirectory()) await walk(path)
      else if (!entry.name.startsWith('.') && (!only || only(path)))
        result[path] = createHash('sha256')
          .update(await readFile(join(dir, path)))
          .digest('hex')
    }
  }
  await walk('')
  return result
}

/** Downloads a snapshot again into a fresh directory and returns the hashes of its memory files. */
export async function memoryHashesOf(
  fixture: TransferFixture,
  canisterId: Principal,
  snapshotId: string,
  dirName: string
): Promise<Record<string, string>> {
  const dir = fixture.dir(dirName)
  await downloadSnapshot({
    connection: fixture.connection,
    canisterId,
    snapshotId,
    dir,
    onProgress: () => undefined
  })
  return treeHashes(dir, isMemoryFile)
}

export const isMemoryFile = (path: string): boolean => path.endsWith('.bin')

/** The files icp-cli writes (what both tools must agree on). */
export const icpCliFiles = (path: string): boolean => path !== 'SHA256SUMS' && path !== 'manifest.json'

/** Records the IC calls made while `action` runs. */
export async function callsDuring<T>(
  replica: Replica,
  action: () => Promise<T>
): Promise<{ result: T; methods: string[] }> {
  const before = replica.requests.length
  const result = await action()
  return { result, methods: replica.requests.slice(before).map(r => r.methodName ?? r.endpoint) }
}

export function count(methods: string[], name: string): number {
  return methods.filter(m => m === name).length
}
