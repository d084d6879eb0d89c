// Knobs that tests turn to make the GitHub backends faulty, and the log of what reached them. All faults are
// off by default.

/** A 503, a dropped connection, or a transfer cut once 1 MiB of its body has passed. */
export type BlobFault = '5xx' | 'reset' | 'cut'

export interface RequestRecord {
  service: 'artifact' | 'cache' | 'rest' | 'blob'
  method: string
  /** The URL path without its query (blob URLs carry a SAS signature). */
  path: string
  /** The token a REST request was authorized with (`Authorization: token <t>` or `Bearer <t>`). */
  token?: string
}

export interface FaultControls {
  /**
   * Answers the next `count` results-service requests (artifact or cache) with this HTTP status; with
   * `methods`, only requests to those Twirp methods (e.g. FinalizeArtifact, after the blob is written).
   */
  failNextResults(count: number, status: number, methods?: string[]): void
  /** Fails the next `count` blob requests in the given way, after letting the first `after` through. */
  failNextBlobs(count: number, kind: BlobFault, after?: number): void
  clear(): void
}

export class BackendFaults implements FaultControls {
  private results: { remaining: number; status: number; methods?: string[] } | undefined
  private blobs: { remaining: number; kind: BlobFault; skip: number } | undefined

  failNextResults(count: number, status: number, methods?: string[]): void {
    this.results = count > 0 ? { remaining: count, status, methods } : undefined
  }

  failNextBlobs(count: number, kind: BlobFault, after = 0): void {
    this.blobs = count > 0 ? { remaining: count, kind, skip: after } : undefined
  }

  clear(): void {
    this.results = undefined
    this.blobs = undefined
  }

  /** The status to answer this results-service request with, if a fault is pending. */
  takeResultsFault(method: string): number | undefined {
    const fault = this.results
    if (!fault || (fault.methods && !fault.methods.includes(method))) return undefined
    if (--fault.remaining <= 0) this.results = undefined
    return fault.status
  }

  takeBlobFault(): BlobFault | undefined {
    const fault = this.blobs
    if (!fault) return undefined
    if (fault.skip > 0) {
      fault.skip -= 1
      return undefined
    }
    if (--fault.remaining <= 0) this.blobs = undefined
    return fault.kind
  }
}
