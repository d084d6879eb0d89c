// A minimal DER reader (ITU-T X.690 §8 and §10: definite lengths, single-byte tags), just enough to name what a
// key file holds and to take the seed out of an Ed25519 PKCS#8 v2 file that older OpenSSL builds reject.
// Errors carry no bytes of the input: callers turn them into an InputError that names only the shape.

export class DerError extends Error {
  constructor(problem: string) {
    super(`invalid DER: ${problem}`)
    this.name = 'DerError'
  }
}

export interface DerElement {
  /** The identifier octet, class and constructed bit included (e.g. 0x30 SEQUENCE, 0xa0 [0] EXPLICIT). */
  tag: number
  contents: Uint8Array
}

export const Tag = {
  Integer: 0x02,
  BitString: 0x03,
  OctetString: 0x04,
  Null: 0x05,
  ObjectIdentifier: 0x06,
  Sequence: 0x30
} as const

/** Context-specific tag [n], primitive (IMPLICIT over a primitive type) or constructed (EXPLICIT). */
export function contextTag(n: number, constructed: boolean): number {
  return 0x80 | (constructed ? 0x20 : 0) | n
}

/** The consecutive elements that make up `bytes`, which they must fill exactly. */
export function readElements(bytes: Uint8Array): DerElement[] {
  const elements: DerElement[] = []
  let offset = 0
  while (offset < bytes.length) {
    const { element, end } = readElement(bytes, offset)
    elements.push(element)
    offset = end
  }
  return elements
}

/** The children of `bytes`, which must be exactly one SEQUENCE. */
export function readSequence(bytes: Uint8Array): DerElement[] {
  const elements = readElements(bytes)
  if (elements.length !== 1 || elements[0].tag !== Tag.Sequence) throw new DerError('expected one SEQUENCE')
  return readElements(elements[0].contents)
}

export function expectTag(element: DerElement | undefined, tag: number, what: string): Uint8Array {
  if (element?.tag !== tag) throw new DerError(`expected ${what}`)
  return element.contents
}

/** A small non-negative INTEGER such as a version field. */
export function readSmallInteger(element: DerElement | undefined, what: string): number {
  const contents = expectTag(element, Tag.Integer, what)
  if (contents.length === 0 || contents.length > 4 || contents[0] & 0x80) throw new DerError(`bad ${what}`)
  return contents.reduce((value, byte) => value * 256 + byte, 0)
}

/** Dotted form of an OBJECT IDENTIFIER (X.690 §8.19): first byte 40·X + Y, then base-128 arcs. */
export function readObjectIdentifier(element: DerElement | undefined, what: string): string {
  const contents = expectTag(element, Tag.ObjectIdentifier, what)
  if (contents.length === 0 || contents[contents.length - 1] & 0x80) throw new DerError(`bad ${what}`)
  const arcs: number[] = []
  let arc = 0
  for (const byte of contents) {
    arc = arc * 128 + (byte & 0x7f)
    if (arc > Number.MAX_SAFE_INTEGER) throw new DerError(`bad ${what}`)
    if (byte & 0x80) continue
    if (arcs.length > 0) arcs.push(arc)
    else if (arc < 80) arcs.push(Math.floor(arc / 40), arc % 40)
    else arcs.push(2, arc - 80)
    arc = 0
  }
  return arcs.join('.')
}

/** The bits of a BIT STRING whose length is a whole number of bytes (the leading unused-bits octet is 0). */
export function readBitStringBytes(contents: Uint8Array, what: string): Uint8Array {
  if (contents.length === 0 || contents[0] !== 0) throw new DerError(`bad ${what}`)
  return contents.subarray(1)
}

function readElement(bytes: Uint8Array, offset: number): { element: DerElement; end: number } {
  if (offset + 2 > bytes.length) throw new DerError('truncated element header')
  const tag = bytes[offset]
  // High tag numbers (low five bits all set) never occur in the key structures read here.
  if ((tag & 0x1f) === 0x1f) throw new DerError('unsupported multi-byte tag')
  let length = bytes[offset + 1]
  let start = offset + 2
  if (length & 0x80) {
    const lengthBytes = length & 0x7f
    // 0x80 is BER's indefinite length, which DER forbids; four length bytes are far beyond any key file.
    if (lengthBytes === 0 || lengthBytes > 4) throw new DerError('unsupported length form')
    if (start + lengthBytes > bytes.length) throw new DerError('truncated length')
    length = 0
    for (const byte of bytes.subarray(start, start + lengthBytes)) length = length * 256 + byte
    start += lengthBytes
  }
  const end = start + length
  if (end > bytes.length) throw new DerError('element runs past the end of the data')
  return { element: { tag, contents: bytes.subarray(start, end) }, end }
}
