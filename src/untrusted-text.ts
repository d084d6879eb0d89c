// Text that comes from outside the workflow (an artifact, a cache entry, the IC, a health reply, a child
// process) is data and never a command. The runner reads every stdout line that starts with `::` as a
// workflow command (`::save-state`, `::set-output`, `::add-mask`, …), and the job summary is Markdown with
// HTML, so such text is made inert before it reaches either (GitHub's "security hardening for GitHub Actions").

// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional overrides that can
// make a line read differently from what it says (Trojan Source).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/** Longest untrusted string a log line or summary cell repeats; longer ones are cut and say so. */
export const MAX_UNTRUSTED_LENGTH = 1000

function escapeControl(char: string): string {
  switch (char) {
    case '\n':
      return '\\n'
    case '\r':
      return '\\r'
    case '\t':
      return '\\t'
    default:
      return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  }
}

/**
 * One line of text that cannot start or end a log line or a workflow command: control characters are shown
 * escaped (`\n`, `\u001b`), a leading `::` is broken, and anything past `max` characters is cut.
 */
export function inert(text: string, max = MAX_UNTRUSTED_LENGTH): string {
  const cut = text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text
  const line = cut.replace(UNSAFE, escapeControl)
  // Only a line's start can be a command; the runner trims leading white space before it looks.
  return line.replace(/^(\s*):/, '$1\\u003a')
}

/**
 * Text for the job summary, which is Markdown with HTML: inert, with HTML's `& < >` escaped and Markdown's
 * link and image brackets written as character references, so it renders as the characters it holds and can
 * neither add markup nor a link of its own.
 */
export function summaryText(text: string, max = MAX_UNTRUSTED_LENGTH): string {
  return inert(text, max).replace(/[&<>[\]]/g, char => `&#${char.charCodeAt(0)};`)
}
