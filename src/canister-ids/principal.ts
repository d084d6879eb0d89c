import { Principal } from '@icp-sdk/core/principal'

/** Shown whenever a canister id is expected: the ICP ledger, a real and well-known canister. */
export const EXAMPLE_CANISTER_ID = 'ryjl3-tyaaa-aaaaa-aaaba-cai'

// The last byte of a principal names its class (IC interface spec, "Principals"): canisters get opaque ids;
// users sign with self-authenticating ones. Only opaque ids can have snapshots.
const OPAQUE = 0x01
const OTHER_CLASSES: Record<number, string> = {
  0x02: 'looks like a user principal, not a canister id',
  0x03: 'is a derived principal, not a canister id',
  0x04: 'is the anonymous principal, not a canister id',
  0x7f: 'is a reserved principal, not a canister id'
}

/** Parses principal text; undefined when it is not one (it may still be a canister name). */
export function parsePrincipal(text: string): Principal | undefined {
  try {
    return Principal.fromText(text)
  } catch {
    return undefined
  }
}

/**
 * Why `principal` cannot be a canister with snapshots, as a phrase to follow its text ("looks like a user
 * principal, not a canister id"), or undefined when it can be.
 */
export function whyNotCanisterId(principal: Principal): string | undefined {
  const bytes = principal.toUint8Array()
  if (bytes.length === 0) return 'is the management canister, which has no snapshots'
  const kind = bytes[bytes.length - 1]
  if (kind === OPAQUE) return undefined
  const hex = kind.toString(16).padStart(2, '0')
  return OTHER_CLASSES[kind] ?? `has an unknown principal class (0x${hex}), not a canister id`
}

// Principal text is base32 in groups of five, the last one shorter, and at least two groups: the 4-byte
// checksum alone takes seven characters. Canister names can look like this too, so it only shapes an error.
const PRINCIPAL_SHAPE = /^[a-z2-7]{5}(-[a-z2-7]{5})*-[a-z2-7]{1,5}$/i

/**
 * For text that is neither a principal nor a known name: why it is not a valid principal, when it looks like
 * one the user meant to type ("its checksum does not match"), else undefined.
 */
export function whyNotValidPrincipal(text: string): string | undefined {
  if (!PRINCIPAL_SHAPE.test(text)) return undefined
  const lowercase = text.toLowerCase()
  // Principal text is canonical lowercase; the IC libraries reject any other spelling.
  if (lowercase !== text && parsePrincipal(lowercase)) return `principals are lowercase: '${lowercase}'`
  return 'its checksum does not match: a character is mistyped, missing or extra'
}
