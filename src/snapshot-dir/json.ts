// JSON as icp-cli reads and writes it: numbers keep every digit (u64 nanosecond timestamps exceed 2^53, which
// JSON.parse would round), and output is serde_json's `to_string_pretty` layout, byte for byte.

/** A JSON number exactly as written; read it with the accessor for the type the field has. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | { [key: string]: JsonValue }

/** What `prettyJson` writes: JsonValue plus bigints and safe integers, which become plain JSON numbers. */
export type JsonOutput =
  | null
  | boolean
  | string
  | number
  | bigint
  | JsonNumber
  | JsonOutput[]
  | { [key: string]: JsonOutput | undefined }

export class JsonSyntaxError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'JsonSyntaxError'
  }
}

/**
 * serde_json's PrettyFormatter: two-space indent, `"key": value`, one array element per line, `[]` and `{}`
 * when empty, no trailing newline. Keys keep their insertion order (a Rust struct's field order); undefined
 * members are left out.
 */
export function prettyJson(value: JsonOutput, indent = ''): string {
  if (value === null) return 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`prettyJson writes integers only, got ${value}`)
    return String(value)
  }
  if (value instanceof JsonNumber) return value.text
  const inner = `${indent}  `
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    return `[\n${value.map(item => inner + prettyJson(item, inner)).join(',\n')}\n${indent}]`
  }
  const entries = Object.entries(value).filter(
    (entry): entry is [string, JsonOutput] => entry[1] !== undefined
  )
  if (entries.length === 0) return '{}'
  const members = entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${prettyJson(item, inner)}`)
  return `{\n${members.join(',\n')}\n${indent}}`
}

/** A strict RFC 8259 parser (no comments, no trailing commas, no duplicate keys) that keeps numbers as text. */
export function parseJson(text: string): JsonValue {
  const parser = new Parser(text)
  parser.skipSpace()
  const value = parser.value(0)
  parser.skipSpace()
  if (!parser.atEnd()) parser.fail('unexpected text after the JSON value')
  return value
}

const MAX_DEPTH = 64
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
// eslint-disable-next-line no-control-regex -- RFC 8259 §7: raw control characters may not appear in a string
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y

class Parser {
  private at = 0
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.at >= this.text.length
  }

  fail(problem: string): never {
    const line = this.text.slice(0, this.at).split('\n').length
    throw new JsonSyntaxError(`invalid JSON at line ${line}: ${problem}`)
  }

  skipSpace(): void {
    while (this.at < this.text.length && ' \t\n\r'.includes(this.text[this.at])) this.at++
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail('nested too deeply')
    const c = this.text[this.at]
    if (c === '{') return this.object(depth)
    if (c === '[') return this.array(depth)
    if (c === '"') return this.string()
    for (const [word, value] of [
      ['null', null],
      ['true', true],
      ['false', false]
    ] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length
        return value
      }
    }
    NUMBER.lastIndex = this.at
    const number = NUMBER.exec(this.text)
    if (!number) this.fail(c === undefined ? 'unexpected end' : `unexpected ${JSON.stringify(c)}`)
    this.at += number[0].length
    return new JsonNumber(number[0])
  }

  private string(): string {
    STRING.lastIndex = this.at
    const match = STRING.exec(this.text)
    if (!match) this.fail('malformed string')
    this.at += match[0].length
    return JSON.parse(match[0]) as string
  }

  private array(depth: number): JsonValue[] {
    const items: JsonValue[] = []
    this.at++
    this.skipSpace()
    if (this.text[this.at] === ']') {
      this.at++
      return items
    }
    for (;;) {
      this.skipSpace()
      items.push(this.value(depth + 1))
      this.skipSpace()
      const c = this.text[this.at++]
      if (c === ']') return items
      if (c !== ',') this.fail("expected ',' or ']'")
    }
  }

  private object(depth: number): { [key: string]: JsonValue } {
    // No prototype: a key such as "__proto__" is just a key.
    const members = Object.create(null) as { [key: string]: JsonValue }
    this.at++
    this.skipSpace()
    if (this.text[this.at] === '}') {
      this.at++
      return members
    }
    for (;;) {
      this.skipSpace()
      if (this.text[this.at] !== '"') this.fail('expected a key')
      const key = this.string()
      if (Object.hasOwn(members, key)) this.fail(`duplicate key ${JSON.stringify(key)}`)
      this.skipSpace()
      if (this.text[this.at++] !== ':') this.fail("expected ':'")
      this.skipSpace()
      members[key] = this.value(depth + 1)
      this.skipSpace()
      const c = this.text[this.at++]
      if (c === '}') return members
      if (c !== ',') this.fail("expected ',' or '}'")
    }
  }
}

export function isJsonObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber)
  )
}
