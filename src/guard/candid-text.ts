// Candid text, as icp-cli and dfx take it, through DFINITY's own parser (didc compiled to Wasm). Without the
// canister's interface, values are encoded with the types their text implies, so `(42)` is an `int`;
// replies are shown with their wire types, so `(42 : nat64)` compares equal to a nat64 reply of 42.
// Loaded statically: compiling its Wasm at start-up takes about 7 ms, and a dynamic import would make ncc
// split a chunk and drop every other package from dist/licenses.txt.
import { decode, encode } from '@dfinity/didc'
import { oneLine } from '../ic/errors.js'

// didc needs a service to resolve names against; the values carry their own types.
const NO_INTERFACE = 'service : {}'

export class CandidTextError extends Error {}

/** `()` for an empty text; a single value without parentheses is taken as a one-value tuple. */
export function encodeCandidText(text: string): Uint8Array {
  const tuple = asTuple(text)
  try {
    return hexToBytes(encode({ idl: NO_INTERFACE, input: tuple }))
  } catch (error) {
    throw new CandidTextError(didcMessage(error))
  }
}

/** The text a reply decodes to, with every value annotated by its wire type. */
export function decodeCandid(bytes: Uint8Array): string {
  try {
    return decode({ idl: NO_INTERFACE, input: Buffer.from(bytes).toString('hex') })
  } catch (error) {
    throw new CandidTextError(didcMessage(error))
  }
}

/** The form a value takes when it goes to the wire and back: two texts for the same value compare equal. */
export function canonicalCandid(text: string): string {
  return decodeCandid(encodeCandidText(text))
}

function asTuple(text: string): string {
  const trimmed = text.trim()
  if (trimmed === '') return '()'
  return trimmed.startsWith('(') ? trimmed : `(${trimmed})`
}

function didcMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return oneLine(text.replace(/`/g, "'"))
}

function hexToBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'))
}
