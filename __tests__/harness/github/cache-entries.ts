// Cache entries per repository, and the service's key matching (reference §6, "Server matching").

export interface CacheEntry {
  id: number
  repository: string
  key: string
  version: string
  /** Where its bytes live in the cache container. */
  blobName: string
  size: number
  finalized: boolean
  /** Order of finalization: the newest entry wins a prefix match. */
  finalizedSeq: number
}

export class CacheStore {
  private readonly stored: CacheEntry[] = []
  private nextId = 1
  private nextSeq = 1

  /** Reserves an entry for upload, or undefined if one with this key and version already exists. */
  reserve(repository: string, key: string, version: string): CacheEntry | undefined {
    const existing = this.find(repository, key, version)
    if (existing?.finalized) return undefined
    // An unfinished reservation (a save that failed half-way) is taken over, so that a retry can succeed.
    if (existing) this.stored.splice(this.stored.indexOf(existing), 1)
    const id = this.nextId++
    const entry: CacheEntry = {
      id,
      repository,
      key,
      version,
      blobName: `${repository}/${id}`,
      size: 0,
      finalized: false,
      finalizedSeq: 0
    }
    this.stored.push(entry)
    return entry
  }

  /** The reservation awaiting FinalizeCacheEntryUpload. */
  reserved(repository: string, key: string, version: string): CacheEntry | undefined {
    const entry = this.find(repository, key, version)
    return entry && !entry.finalized ? entry : undefined
  }

  finalize(entry: CacheEntry, size: number): void {
    entry.size = size
    entry.finalized = true
    entry.finalizedSeq = this.nextSeq++
  }

  /** Version must match; the primary key exactly, then as a prefix; then each restore key the same way. */
  match(repository: string, key: string, restoreKeys: string[], version: string): CacheEntry | undefined {
    const candidates = this.entries(repository)
      .filter(e => e.version === version)
      .sort((a, b) => b.finalizedSeq - a.finalizedSeq)
    for (const wanted of [key, ...restoreKeys]) {
      const hit = candidates.find(e => e.key === wanted) ?? candidates.find(e => e.key.startsWith(wanted))
      if (hit) return hit
    }
    return undefined
  }

  /** Finalized entries, optionally of one repository. */
  entries(repository?: string): CacheEntry[] {
    return this.stored.filter(e => e.finalized && (repository === undefined || e.repository === repository))
  }

  private find(repository: string, key: string, version: string): CacheEntry | undefined {
    return this.stored.find(e => e.repository === repository && e.key === key && e.version === version)
  }
}
