// Floats as serde_json writes them in icp-cli 1.5.0's metadata.json: the shortest digits that read back as the
// same f32 or f64 (Ryū), laid out as the `ryu` crate's pretty printer does (`1.5`, `16777216.0`, `0.000012`,
// `1e-7`), with the `e+` that icp-cli 1.5.0 writes for positive exponents (observed: `1e+300`, `3.4028235e+38`).
// NaN and infinities have no JSON form: serde_json writes `null`.

interface Decimal {
  /** Significant digits, no leading or trailing zeros. */
  digits: string
  /** The value is 0.digits × 10^kk, that is 10^(kk-1) <= |value| < 10^kk. */
  kk: number
}

// ryu's `format64` and `format32` switch to exponent notation outside these bounds of kk.
const LAYOUT = { f64: { maxFixed: 16, minFixed: -5 }, f32: { maxFixed: 13, minFixed: -6 } }

export function formatFloat(value: number, kind: 'f32' | 'f64'): string | null {
  if (!Number.isFinite(value)) return null
  const sign = value < 0 || Object.is(value, -0) ? '-' : ''
  if (value === 0) return `${sign}0.0`
  const magnitude = Math.abs(value)
  const decimal = kind === 'f64' ? shortestF64(magnitude) : shortestF32(Math.fround(magnitude))
  return sign + layout(decimal, LAYOUT[kind])
}

function layout({ digits, kk }: Decimal, { maxFixed, minFixed }: { maxFixed: number; minFixed: number }) {
  const length = digits.length
  if (length <= kk && kk <= maxFixed) return `${digits}${'0'.repeat(kk - length)}.0`
  if (0 < kk && kk <= maxFixed) return `${digits.slice(0, kk)}.${digits.slice(kk)}`
  if (minFixed < kk && kk <= 0) return `0.${'0'.repeat(-kk)}${digits}`
  const exponent = kk - 1
  const mantissa = length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`
  return `${mantissa}e${exponent > 0 ? '+' : ''}${exponent}`
}

/** `d.ddde±x` → digits and kk. */
function fromExponential(text: string): Decimal {
  const [mantissa, exponent] = text.split('e')
  const digits = mantissa.replace('.', '').replace(/0+$/, '')
  return { digits: digits || '0', kk: Number(exponent) + 1 }
}

// ECMAScript's Number::toString picks the shortest digits that read back as the same double, and the closest
// of those: the same choice as Ryū.
function shortestF64(magnitude: number): Decimal {
  return fromExponential(magnitude.toExponential())
}

// JS has no f32 printer: try 1 to 9 significant digits, and at each length the correctly rounded decimal and
// its neighbours (near a power of two the f32 rounding interval is lopsided), keeping the closest that reads
// back as the same f32.
function shortestF32(magnitude: number): Decimal {
  for (let precision = 1; precision <= 9; precision++) {
    const nearest = fromExponential(magnitude.toExponential(precision - 1))
    const candidates = [nearest, ...neighbours(nearest, precision)].filter(
      candidate => Math.fround(valueOf(candidate)) === magnitude
    )
    if (candidates.length > 0) {
      return candidates.reduce((best, c) =>
        Math.abs(valueOf(c) - magnitude) < Math.abs(valueOf(best) - magnitude) ? c : best
      )
    }
  }
  // Nine significant digits always identify an f32.
  return fromExponential(magnitude.toExponential(8))
}

function valueOf({ digits, kk }: Decimal): number {
  return Number(`0.${digits}e${kk}`)
}

/** The decimals one unit in the last of `precision` digits above and below. */
function neighbours({ digits, kk }: Decimal, precision: number): Decimal[] {
  const padded = BigInt(digits.padEnd(precision, '0'))
  const result: Decimal[] = []
  for (const step of [1n, -1n]) {
    const next = padded + step
    if (next <= 0n) continue
    const text = next.toString()
    // 999 + 1 = 1000 gains a digit, 100 - 1 = 99 loses one: the decimal point moves with it.
    const shifted = kk + (text.length - precision)
    const trimmed = text.replace(/0+$/, '')
    result.push({ digits: trimmed || '0', kk: shifted })
  }
  return result
}
