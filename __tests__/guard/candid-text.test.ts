// Candid text through didc: what health-args encodes to, and when a reply matches health-expect.
import { IDL } from '@icp-sdk/core/candid'
import {
  CandidTextError,
  canonicalCandid,
  decodeCandid,
  encodeCandidText
} from '../../src/guard/candid-text.js'

const bytes = (types: IDL.Type[], values: unknown[]) => new Uint8Array(IDL.encode(types, values))

describe('encodeCandidText', () => {
  it('encodes annotated values exactly as @icp-sdk/core/candid does', () => {
    expect(encodeCandidText('(42 : nat64, "hi")')).toEqual(bytes([IDL.Nat64, IDL.Text], [42n, 'hi']))
  })

  it('takes an empty text as () and a bare value as a one-value tuple', () => {
    expect(encodeCandidText('')).toEqual(bytes([], []))
    expect(encodeCandidText('"ok"')).toEqual(bytes([IDL.Text], ['ok']))
  })

  it('reports text that does not parse, on one line', () => {
    expect(() => encodeCandidText('(42')).toThrow(CandidTextError)
    try {
      encodeCandidText('(42')
    } catch (error) {
      expect((error as Error).message).not.toContain('\n')
      expect((error as Error).message).toMatch(/Unrecognized EOF/)
    }
  })
})

describe('comparing a reply with health-expect', () => {
  it('matches a text reply whatever the spacing of the expectation', () => {
    const reply = decodeCandid(bytes([IDL.Text], ['ok']))
    expect(reply).toBe('("ok")')
    expect(canonicalCandid('( "ok" )')).toBe(reply)
  })

  it('matches numbers only with their wire type', () => {
    const reply = decodeCandid(bytes([IDL.Nat64], [42n]))
    expect(canonicalCandid('(42 : nat64)')).toBe(reply)
    expect(canonicalCandid('(42)')).not.toBe(reply)
  })

  it('matches records and variants, whose field names travel as hashes', () => {
    const Status = IDL.Variant({ Ok: IDL.Record({ version: IDL.Nat32, ready: IDL.Bool }), Err: IDL.Text })
    const reply = decodeCandid(bytes([Status], [{ Ok: { version: 3, ready: true } }]))
    expect(canonicalCandid('(variant { Ok = record { ready = true; version = 3 : nat32 } })')).toBe(reply)
    expect(canonicalCandid('(variant { Ok = record { ready = false; version = 3 : nat32 } })')).not.toBe(
      reply
    )
  })
})
