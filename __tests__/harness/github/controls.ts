// Knobs that tests turn to make the GitHub backends faulty, and the log of what reached them. All faults are
// off by default.

export type BlobFault = '5xx' | 'reset'

export interface RequestRecord {
  service: 'artifact' | 'cache' | 'rest' | 'blob'
  method: string
  /** The URL path without its query (blob URLs carry a SAS signature). */
  path: string
  /** The token a REST request was authorized with (`Authorization: token <t>` or `Bearer <t>`). */
  token?: string
}

export interface FaultControls {
  /** Answers the next `count` results-service requests (artifact or cache) with this HTTP status. */
  failNextResults(count: number, status: number): void
  /** Fails the next `count` blob requests with a 503 or by dropping the connection. */
  failNextBlobs(count: number, kind: BlobFault): void
  clear(): void
}

export class BackendFaults implements FaultControls {
  private results: { remaining: number; status: number } | undefined
  private blobs: { remaining: number; kind: BlobFault } | undefined

  failNextResults(count: number, status: number): void {
    this.results = count > 0 ? { remaining: count, status } : undefined
  }

  failNextBlobs(count: number, kind: BlobFault): void {
    this.blobs = count > 0 ? { remaining: count, kind } : undefined
  }

  clear(): void {
    this.results = undefined
    this.blobs = undefined
  }

  /** The status to answer this results-service request with, if a fault is pending. */
  takeResultsFault(): number | undefined {
    const fault = this.results
    if (!fault) return undefined
    if (--fault.remaining <= 0) this.results = undefined
    return fault.status
  }

  takeBlobFault(): BlobFault | undefined {
    const fault = this.blobs
    if (!fault) return undefined
    if (--fault.remaining <= 0) this.blobs = undefined
    return fault.kind
  }
}
