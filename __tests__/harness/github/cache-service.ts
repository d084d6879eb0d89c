// github.actions.results.api.v1.CacheService: the v2 cache calls of @actions/cache (reference §6, "Twirp
// messages"). Entries are scoped to the caller's repository.
import { CACHE_CONTAINER, type BlobStore } from './blob-store.js'
import type { CacheStore } from './cache-entries.js'
import type { TwirpService } from './results-service.js'
import { TwirpError, int64Field, stringField, stringListField } from './twirp.js'

// The service's own limits on keys (reference §6, "Keys").
const MAX_KEY_LENGTH = 512
const MAX_KEYS = 10

function checkKey(key: string): string {
  if (key.length > MAX_KEY_LENGTH)
    throw new TwirpError('invalid_argument', `key is longer than ${MAX_KEY_LENGTH}`)
  if (key.includes(',')) throw new TwirpError('invalid_argument', 'key may not contain commas')
  return key
}

export function cacheService(caches: CacheStore, blobs: BlobStore): TwirpService {
  return {
    async CreateCacheEntry(caller, request) {
      const key = checkKey(stringField(request, 'key') as string)
      const version = stringField(request, 'version') as string
      const entry = caches.reserve(caller.run.repository, key, version)
      if (!entry) {
        // GitHub answers a second save of the same key and version with 409 Conflict.
        throw new TwirpError(
          'already_exists',
          `cache entry with key '${key}' and version ${version} already exists`
        )
      }
      return { ok: true, signed_upload_url: blobs.signedUrl(CACHE_CONTAINER, entry.blobName, 'upload') }
    },

    async FinalizeCacheEntryUpload(caller, request) {
      const key = stringField(request, 'key') as string
      const version = stringField(request, 'version') as string
      const entry = caches.reserved(caller.run.repository, key, version)
      if (!entry) throw new TwirpError('not_found', `no upload of cache entry '${key}' is in progress`)
      if ((await blobs.size(CACHE_CONTAINER, entry.blobName)) === undefined) {
        throw new TwirpError('failed_precondition', `cache entry '${key}' was never uploaded`)
      }
      caches.finalize(entry, int64Field(request, 'size_bytes') as number)
      return { ok: true, entry_id: String(entry.id) }
    },

    async GetCacheEntryDownloadURL(caller, request) {
      const key = checkKey(stringField(request, 'key') as string)
      const restoreKeys = stringListField(request, 'restore_keys').map(checkKey)
      if (restoreKeys.length + 1 > MAX_KEYS)
        throw new TwirpError('invalid_argument', `at most ${MAX_KEYS} keys`)
      const version = stringField(request, 'version') as string
      const entry = caches.match(caller.run.repository, key, restoreKeys, version)
      // A miss is not an error: ok is false (reference §6).
      if (!entry) return { ok: false, signed_download_url: '', matched_key: '' }
      return {
        ok: true,
        signed_download_url: blobs.signedUrl(CACHE_CONTAINER, entry.blobName, 'download'),
        matched_key: entry.key
      }
    }
  }
}
