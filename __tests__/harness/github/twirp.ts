// Twirp over JSON: POST /twirp/<package.Service>/<Method>, a JSON body in and out, errors as `{code, msg}`
// with the HTTP status of the code (Twirp spec, "Error codes"). The toolkit sends proto field names
// (snake_case) and int64 values as strings (reference §5, "Twirp JSON").

export type TwirpCode =
  | 'malformed'
  | 'invalid_argument'
  | 'unauthenticated'
  | 'permission_denied'
  | 'not_found'
  | 'bad_route'
  | 'already_exists'
  | 'failed_precondition'
  | 'resource_exhausted'
  | 'internal'
  | 'unimplemented'
  | 'unavailable'
  | 'unknown'

const STATUS_OF: Record<TwirpCode, number> = {
  malformed: 400,
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  failed_precondition: 412,
  resource_exhausted: 429,
  internal: 500,
  unimplemented: 501,
  unavailable: 503,
  unknown: 500
}

export class TwirpError extends Error {
  constructor(
    readonly code: TwirpCode,
    message: string
  ) {
    super(message)
  }

  get status(): number {
    return STATUS_OF[this.code]
  }

  get body(): { code: TwirpCode; msg: string } {
    return { code: this.code, msg: this.message }
  }

  /** The error a fault injected with this status answers with. */
  static forStatus(status: number): TwirpError {
    const code = (Object.keys(STATUS_OF) as TwirpCode[]).find(c => STATUS_OF[c] === status) ?? 'unknown'
    return new TwirpError(code, `injected fault (${status})`)
  }
}

/** A decoded request body: proto field names to JSON values. */
export type TwirpMessage = Record<string, unknown>

export function stringField(message: TwirpMessage, field: string, required = true): string | undefined {
  const value = message[field]
  if (value === undefined || value === null || value === '') {
    if (required) throw new TwirpError('invalid_argument', `${field} is required`)
    return undefined
  }
  if (typeof value !== 'string') throw new TwirpError('invalid_argument', `${field} must be a string`)
  return value
}

/** int64 fields arrive as decimal strings; numbers are accepted too, as protobuf JSON allows. */
export function int64Field(message: TwirpMessage, field: string, required = true): number | undefined {
  const value = message[field]
  if (value === undefined || value === null) {
    if (required) throw new TwirpError('invalid_argument', `${field} is required`)
    return undefined
  }
  const parsed = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value
  if (typeof parsed !== 'number' || !Number.isSafeInteger(parsed)) {
    throw new TwirpError('invalid_argument', `${field} must be an int64`)
  }
  return parsed
}

export function stringListField(message: TwirpMessage, field: string): string[] {
  const value = message[field] ?? []
  if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) {
    throw new TwirpError('invalid_argument', `${field} must be a list of strings`)
  }
  return value as string[]
}
