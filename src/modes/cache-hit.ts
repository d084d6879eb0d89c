// A cache entry is written by any job of the branch (or of the default branch), under a key anyone can
// predict; so a hit is trusted only once it is the snapshot the IC has: exactly the files its SHA256SUMS
// lists, the metadata the IC reports for that snapshot, and the module the IC holds in it. Its memories are
// checked against its own SHA256SUMS only: comparing them with the IC would mean reading them again.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Principal } from '@icp-sdk/core/principal'
import type { IcConnection } from '../ic/connect.js'
import { describe } from '../ic/errors.js'
import type { Management } from '../ic/management.js'
import { SnapshotData } from '../ic/snapshot-data.js'
import { METADATA_FILE } from '../snapshot-dir/layout.js'
import { encodeMetadataJson, metadataFromResponse } from '../snapshot-dir/metadata.js'
import { verifySnapshotDir, type VerifiedSnapshotDir } from '../snapshot-dir/verify.js'

export type CacheHitCheck =
  { trusted: true; verified: VerifiedSnapshotDir } | { trusted: false; problem: string }

export async function checkCacheHit(
  connection: IcConnection,
  management: Management,
  canisterId: Principal,
  snapshotId: string,
  dir: string
): Promise<CacheHitCheck> {
  let verified: VerifiedSnapshotDir
  try {
    verified = await verifySnapshotDir(dir, { untrusted: true })
  } catch (error) {
    return { trusted: false, problem: describe(error) }
  }
  const onIc = metadataFromResponse(await new SnapshotData(connection, canisterId, snapshotId).readMetadata())
  if ((await readFile(join(dir, METADATA_FILE), 'utf8')) !== encodeMetadataJson(onIc))
    return {
      trusted: false,
      problem: `its ${METADATA_FILE} is not what the IC reports for snapshot ${snapshotId}`
    }
  const module = createHash('sha256')
    .update(await management.readSnapshotModule(canisterId, snapshotId))
    .digest('hex')
  const cached = verified.files.find(file => file.path === 'wasm_module.bin')?.sha256 ?? hashOfEmpty()
  if (cached !== module)
    return {
      trusted: false,
      problem: `its wasm_module.bin is not the module the IC holds in snapshot ${snapshotId}`
    }
  return { trusted: true, verified }
}

function hashOfEmpty(): string {
  return createHash('sha256').digest('hex')
}
