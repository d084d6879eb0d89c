// Knobs that tests turn to make the GitHub backends faulty, and the log of what reached them. All faults are
// off by default.
import { FaultBudget } from '../fault-budget.js'

/** A 503, a dropped connection, or a transfer cut once 1 MiB of its body has passed (blob-proxy.ts). */
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
  /** Whether every fault armed since the last clear has hit a request; undefined when none was armed. */
  fired(): boolean | undefined
  clear(): void
}

export class BackendFaults implements FaultControls {
  private results: { budget: FaultBudget; status: number; methods?: string[] } | undefined
  private blobs: { budget: FaultBudget; kind: BlobFault } | undefined
  private armed: FaultBudget[] = []

  failNextResults(count: number, status: number, methods?: string[]): void {
    this.results = count > 0 ? { budget: this.arm(count), status, methods } : undefined
  }

  failNextBlobs(count: number, kind: BlobFault, after = 0): void {
    this.blobs = count > 0 ? { budget: this.arm(count, after), kind } : undefined
  }

  fired(): boolean | undefined {
    return this.armed.length > 0 ? this.armed.every(budget => budget.fired) : undefined
  }

  clear(): void {
    this.results = undefined
    this.blobs = undefined
    this.armed = []
  }

  /** The status to answer this results-service request with, if a fault is pending. */
  takeResultsFault(method: string): number | undefined {
    const fault = this.results
    if (!fault || (fault.methods && !fault.methods.includes(method))) return undefined
    return fault.budget.take() ? fault.status : undefined
  }

  takeBlobFault(): BlobFault | undefined {
    return this.blobs?.budget.take() ? this.blobs.kind : undefined
  }

  /** Gives back a fault that did not take effect: a cut of a body shorter than the cut point. */
  giveBackBlobFault(): void {
    this.blobs?.budget.giveBack()
  }

  private arm(count: number, after = 0): FaultBudget {
    const budget = new FaultBudget(count, after)
    this.armed.push(budget)
    return budget
  }
}
