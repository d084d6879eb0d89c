// The entries of a zip as its central directory lists them: name, method (0 stored, 8 deflated) and sizes.
// Enough for the artifacts of the tests, which stay under zip64's 4 GiB.

export interface ZipEntry {
  name: string
  method: number
  compressedSize: number
  size: number
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50

export function zipEntries(zip: Buffer): ZipEntry[] {
  let end = -1
  // The end record is 22 bytes and may be followed by a comment of up to 65535 bytes.
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 65535); at--) {
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) {
      end = at
      break
    }
  }
  if (end < 0) throw new Error('not a zip: no end of central directory')
  const count = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  const entries: ZipEntry[] = []
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_DIRECTORY_ENTRY)
      throw new Error(`no central directory entry at ${at}`)
    const nameLength = zip.readUInt16LE(at + 28)
    const extraLength = zip.readUInt16LE(at + 30)
    const commentLength = zip.readUInt16LE(at + 32)
    entries.push({
      name: zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24)
    })
    at += 46 + nameLength + extraLength + commentLength
  }
  return entries
}
