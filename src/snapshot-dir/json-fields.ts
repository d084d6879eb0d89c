// Strict reading of parsed JSON into typed fields: every problem names the field's path (`globals[2].f32`).
import { isJsonObject, JsonNumber, type JsonValue } from './json.js'

export class JsonFieldError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string
  ) {
    super(field ? `field '${field}' ${problem}` : `the document ${problem}`)
    this.name = 'JsonFieldError'
  }
}

function describeValue(value: JsonValue | undefined): string {
  if (value === undefined) return 'is missing'
  if (value === null) return 'is null'
  if (value instanceof JsonNumber) return `is the number ${value.text}`
  if (Array.isArray(value)) return 'is an array'
  if (typeof value === 'object') return 'is an object'
  return `is ${JSON.stringify(value)}`
}

/** An object with exactly these keys allowed; `required` ones must be present. */
export function objectField(
  value: JsonValue | undefined,
  field: string,
  allowed: readonly string[],
  required: readonly string[] = allowed
): { [key: string]: JsonValue } {
  if (!isJsonObject(value)) throw new JsonFieldError(field, `${describeValue(value)}, expected an object`)
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new JsonFieldError(join(field, key), 'is not a known field')
  }
  for (const key of required) {
    if (!Object.hasOwn(value, key)) throw new JsonFieldError(join(field, key), 'is missing')
  }
  return value
}

/** A single-key object `{"name": value}`: how serde writes an enum variant that carries a value. */
export function variantField(
  value: JsonValue | undefined,
  field: string,
  variants: readonly string[]
): [string, JsonValue] {
  if (!isJsonObject(value) || Object.keys(value).length !== 1)
    throw new JsonFieldError(field, `${describeValue(value)}, expected one of ${variants.join(', ')}`)
  const [name] = Object.keys(value)
  if (!variants.includes(name))
    throw new JsonFieldError(
      field,
      `has the unknown variant '${name}', expected one of ${variants.join(', ')}`
    )
  return [name, value[name]]
}

export function arrayField(value: JsonValue | undefined, field: string): JsonValue[] {
  if (!Array.isArray(value)) throw new JsonFieldError(field, `${describeValue(value)}, expected an array`)
  return value
}

export function stringField(value: JsonValue | undefined, field: string, pattern?: RegExp): string {
  if (typeof value !== 'string') throw new JsonFieldError(field, `${describeValue(value)}, expected a string`)
  if (pattern && !pattern.test(value)) throw new JsonFieldError(field, `is ${JSON.stringify(value)}`)
  return value
}

export function booleanField(value: JsonValue | undefined, field: string): boolean {
  if (typeof value !== 'boolean')
    throw new JsonFieldError(field, `${describeValue(value)}, expected true or false`)
  return value
}

/** An integer within [min, max], written without fraction or exponent as serde writes integers. */
export function integerField(value: JsonValue | undefined, field: string, min: bigint, max: bigint): bigint {
  if (!(value instanceof JsonNumber) || !/^-?(0|[1-9]\d*)$/.test(value.text))
    throw new JsonFieldError(field, `${describeValue(value)}, expected an integer`)
  const n = BigInt(value.text)
  if (n < min || n > max) throw new JsonFieldError(field, `is ${value.text}, outside ${min}..${max}`)
  return n
}

export const U64_MAX = 2n ** 64n - 1n

export function u64Field(value: JsonValue | undefined, field: string): bigint {
  return integerField(value, field, 0n, U64_MAX)
}

/** A u64 that a JS number holds exactly (file sizes and offsets: 2^53 bytes is 8 PiB). */
export function safeU64Field(value: JsonValue | undefined, field: string): number {
  return Number(integerField(value, field, 0n, BigInt(Number.MAX_SAFE_INTEGER)))
}

export function floatField(value: JsonValue | undefined, field: string): number {
  if (!(value instanceof JsonNumber))
    throw new JsonFieldError(field, `${describeValue(value)}, expected a number`)
  return Number(value.text)
}

export function join(field: string, key: string | number): string {
  if (typeof key === 'number') return `${field}[${key}]`
  return field ? `${field}.${key}` : key
}
