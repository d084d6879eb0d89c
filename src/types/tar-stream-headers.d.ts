// tar-stream 3.1.7's header codec (headers.js), which @types/tar-stream does not describe.
declare module 'tar-stream/headers.js' {
  import type { Headers } from 'tar-stream'
  /** null for a zero block; throws on a bad checksum or an unknown format. */
  export function decode(
    block: Uint8Array,
    filenameEncoding: BufferEncoding,
    allowUnknownFormat: boolean
  ): (Required<Pick<Headers, 'name' | 'size' | 'type'>> & Headers) | null
}
