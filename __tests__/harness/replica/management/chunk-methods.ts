// Chunk store methods of the management canister (interface spec, "IC method upload_chunk",
// "IC method stored_chunks", "IC method clear_chunk_store"). All need a controller.
import { errors } from './errors.js'
import type { Handlers } from './handler.js'

export const chunks: Handlers<'upload_chunk' | 'stored_chunks' | 'clear_chunk_store'> = {
  upload_chunk: ({ subnet, sender }, { canister_id, chunk }) => {
    const result = subnet.controlledBy(canister_id, sender).chunkStore.insert(chunk)
    if ('error' in result) throw errors.wasmChunkStore(result.error)
    return { hash: result.hash }
  },

  stored_chunks: ({ subnet, sender }, { canister_id }) =>
    subnet
      .controlledBy(canister_id, sender)
      .chunkStore.hashes()
      .map(hash => ({ hash })),

  clear_chunk_store: ({ subnet, sender }, { canister_id }) => {
    subnet.controlledBy(canister_id, sender).chunkStore.clear()
  }
}
