// Azurite's blob service, started in this process with in-memory persistence (reference §7, "Programmatic
// start"). Its package root loads `vscode`, so the blob server's own modules are required directly.
import { createRequire } from 'node:module'

interface AzuriteBlobServer {
  start(): Promise<void>
  close(): Promise<void>
  clean(): Promise<void>
  getHttpServerAddress(): string
}

type BlobServerClass = new (configuration: unknown) => AzuriteBlobServer
type BlobConfigurationClass = new (...args: unknown[]) => unknown
type ChunkStoreClass = new (sizeLimit: number) => unknown

const require = createRequire(import.meta.url)
const BlobServer = (require('azurite/dist/src/blob/BlobServer') as { default: BlobServerClass }).default
const BlobConfiguration = (
  require('azurite/dist/src/blob/BlobConfiguration') as { default: BlobConfigurationClass }
).default
const { MemoryExtentChunkStore, DEFAULT_EXTENT_MEMORY_LIMIT } =
  require('azurite/dist/src/common/persistence/MemoryExtentStore') as {
    MemoryExtentChunkStore: ChunkStoreClass
    DEFAULT_EXTENT_MEMORY_LIMIT: number
  }
const { AzuriteTelemetryClient } = require('azurite/dist/src/common/Telemetry') as {
  AzuriteTelemetryClient: { init(location: string, enableTelemetry: boolean, env: unknown): void }
}

/** Azurite's development account and its well-known key (reference §7, "Signed URLs"). */
export const DEV_ACCOUNT = 'devstoreaccount1'
export const DEV_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

export interface Azurite {
  /** `http://127.0.0.1:<port>`; blobs are at `<origin>/devstoreaccount1/<container>/<blob>`. */
  origin: string
  stop(): Promise<void>
}

export async function startAzurite(): Promise<Azurite> {
  // Telemetry is on by default in the CLI; programmatic servers only report once it is initialised, and
  // this makes "off" explicit.
  AzuriteTelemetryClient.init('', false, undefined)
  const configuration = new BlobConfiguration(
    '127.0.0.1',
    0, // a free port
    undefined, // keepAliveTimeout
    undefined, // metadataDBPath
    undefined, // extentDBPath
    undefined, // persistencePathArray
    false, // enableAccessLog
    undefined, // accessLogWriteStream
    false, // enableDebugLog
    undefined, // debugLogFilePath
    true, // loose
    true, // skipApiVersionCheck: the two SDK copies send different x-ms-version values
    '', // cert
    '', // key
    '', // pwd
    undefined, // oauth
    false, // disableProductStyleUrl
    true, // isMemoryPersistence
    // Its own chunk store: the default one is shared by every server in the process.
    new MemoryExtentChunkStore(DEFAULT_EXTENT_MEMORY_LIMIT)
  )
  const server = new BlobServer(configuration)
  await server.start()
  return {
    origin: server.getHttpServerAddress(),
    stop: async () => {
      await server.close()
      await server.clean()
    }
  }
}
