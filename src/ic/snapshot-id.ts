// A snapshot id is the 8-byte big-endian counter followed by the canister id's bytes, shown as lowercase
// hex with no 0x, as icp-cli prints and parses it (icp-cli `snapshot` commands, `hex::decode`).

export function snapshotIdToHex(id: Uint8Array): string {
  return Buffer.from(id).toString('hex')
}

export function snapshotIdFromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

/** Whether the text looks like a snapshot id of the given canister. */
export function isSnapshotIdOf(hex: string, canisterIdBytes: Uint8Array): boolean {
  return (
    /^[0-9a-f]+$/.test(hex) &&
    hex.length === 16 + canisterIdBytes.length * 2 &&
    hex.endsWith(Buffer.from(canisterIdBytes).toString('hex'))
  )
}
