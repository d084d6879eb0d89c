// GitHub Enterprise Server has no artifact service that @actions/artifact v2 and later can use (its README:
// "not currently supported on GHES"; every client call throws GHESNotSupportedError). The artifact modes check
// this first, so that on GHES they fail before a canister is stopped or a byte is read from the IC, not after
// a whole download.
import { ActionError } from '../ic/errors.js'

/**
 * @actions/artifact's own rule (lib/internal/shared/config.js, `isGhes`): any server but github.com, a GHE.com
 * data-residency host (*.ghe.com) or a *.localhost development host.
 */
export function isGhes(serverUrl = process.env.GITHUB_SERVER_URL || 'https://github.com'): boolean {
  let hostname: string
  try {
    hostname = new URL(serverUrl).hostname.trimEnd().toUpperCase()
  } catch {
    // @actions/artifact would throw on such a URL too; the runner always sets a valid one.
    return false
  }
  return hostname !== 'GITHUB.COM' && !hostname.endsWith('.GHE.COM') && !hostname.endsWith('.LOCALHOST')
}

/** Throws one line when workflow artifacts are not available on this server. */
export function checkArtifactsSupported(mode: string, alternative: string): void {
  if (!isGhes()) return
  throw new ActionError(
    `${mode} needs workflow artifacts, which @actions/artifact v2 and later do not support on GitHub Enterprise Server; ${alternative}`
  )
}
