// ACTIONS_RUNTIME_TOKEN: an unsigned JWT whose `scp` claim names the run and job. The toolkit decodes it with
// jwt-decode and never verifies it (reference §5, "JWT scp claim"), so an `alg: none` token is enough.

export interface BackendIds {
  workflowRunBackendId: string
  workflowJobRunBackendId: string
}

const RESULTS_SCOPE = 'Actions.Results'
// A real token carries several scopes before the results one; the client must pick the right part.
const READ_SCOPE = 'Actions.GenericRead:00000000-0000-0000-0000-000000000000'
const TOKEN_LIFETIME_S = 6 * 60 * 60

const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url')

export function runtimeToken(ids: BackendIds, now = new Date()): string {
  const issuedAt = Math.floor(now.getTime() / 1000)
  const claims = {
    iss: 'vstoken.actions.githubusercontent.com',
    scp: `${READ_SCOPE} ${RESULTS_SCOPE}:${ids.workflowRunBackendId}:${ids.workflowJobRunBackendId}`,
    iat: issuedAt,
    nbf: issuedAt,
    exp: issuedAt + TOKEN_LIFETIME_S
  }
  return `${base64url({ typ: 'JWT', alg: 'none' })}.${base64url(claims)}.`
}

/** The run and job an `Authorization: Bearer <jwt>` header speaks for, or undefined if it names none. */
export function backendIdsFromAuthorization(header: string | undefined): BackendIds | undefined {
  const token = /^Bearer (\S+)$/i.exec(header ?? '')?.[1]
  const payload = token?.split('.')[1]
  if (!payload) return undefined
  let scp: unknown
  try {
    scp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { scp?: unknown }).scp
  } catch {
    return undefined
  }
  if (typeof scp !== 'string') return undefined
  for (const scope of scp.split(' ')) {
    const parts = scope.split(':')
    if (parts[0] !== RESULTS_SCOPE) continue
    if (parts.length !== 3 || !parts[1] || !parts[2]) return undefined
    return { workflowRunBackendId: parts[1], workflowJobRunBackendId: parts[2] }
  }
  return undefined
}
