// The artifact and cache containers in Azurite: signed URLs handed to the toolkit, and direct access for the
// harness itself (reading and tampering with stored bytes). Signed URLs point at the fault-injecting proxy.
import {
  BlobSASPermissions,
  BlobServiceClient,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
  type BlockBlobClient
} from '@azure/storage-blob'
import { DEV_ACCOUNT, DEV_ACCOUNT_KEY } from './azurite.js'

export const ARTIFACT_CONTAINER = 'actions-artifacts'
export const CACHE_CONTAINER = 'actions-cache'

// GitHub's signed URLs are short-lived; long enough here for a slow test machine.
const SIGNED_URL_LIFETIME_MS = 60 * 60 * 1000
// The SAS clock tolerance: Azurite and the client share a clock, but Date precision is a second.
const CLOCK_SKEW_MS = 5 * 60 * 1000

/** `cw` lets the SDK stage and commit blocks; `r` reads (reference §7, "Signed URLs"). */
export type SignedAccess = 'upload' | 'download'

export class BlobStore {
  private readonly credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY)
  private readonly service: BlobServiceClient

  /**
   * @param azuriteOrigin where the harness itself talks to Azurite
   * @param signedOrigin where signed URLs point (the proxy in front of Azurite)
   */
  constructor(
    azuriteOrigin: string,
    private readonly signedOrigin: string
  ) {
    this.service = new BlobServiceClient(`${azuriteOrigin}/${DEV_ACCOUNT}`, this.credential)
  }

  async createContainers(): Promise<void> {
    for (const name of [ARTIFACT_CONTAINER, CACHE_CONTAINER]) {
      await this.service.getContainerClient(name).createIfNotExists()
    }
  }

  signedUrl(container: string, blobName: string, access: SignedAccess, downloadFileName?: string): string {
    const now = Date.now()
    const sas = generateBlobSASQueryParameters(
      {
        containerName: container,
        blobName,
        permissions: BlobSASPermissions.parse(access === 'upload' ? 'cw' : 'r'),
        startsOn: new Date(now - CLOCK_SKEW_MS),
        expiresOn: new Date(now + SIGNED_URL_LIFETIME_MS),
        // A raw (non-zip) artifact is saved under this name by the downloader (reference §5, "Download").
        contentDisposition: downloadFileName
          ? `attachment; filename=${encodeURIComponent(downloadFileName)}`
          : undefined
      },
      this.credential
    )
    const path = blobName.split('/').map(encodeURIComponent).join('/')
    return `${this.signedOrigin}/${DEV_ACCOUNT}/${container}/${path}?${sas.toString()}`
  }

  /** The blob's size, or undefined if nothing was committed under that name. */
  async size(container: string, blobName: string): Promise<number | undefined> {
    try {
      return (await this.blob(container, blobName).getProperties()).contentLength
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined
      throw error
    }
  }

  async read(container: string, blobName: string): Promise<Buffer> {
    return this.blob(container, blobName).downloadToBuffer()
  }

  async write(container: string, blobName: string, bytes: Buffer, contentType: string): Promise<void> {
    await this.blob(container, blobName).uploadData(bytes, {
      blobHTTPHeaders: { blobContentType: contentType }
    })
  }

  async remove(container: string, blobName: string): Promise<void> {
    await this.blob(container, blobName).deleteIfExists()
  }

  private blob(container: string, blobName: string): BlockBlobClient {
    return this.service.getContainerClient(container).getBlockBlobClient(blobName)
  }
}
