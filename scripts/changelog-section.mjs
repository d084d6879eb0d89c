// Prints one version's section of CHANGELOG.md (the lines under its `## [X.Y.Z]` heading, up to the next
// `## ` heading), the release notes the release workflow gives the GitHub release. Fails with one line when
// the version has no section or an empty one, so that a tag is never released without notes.
// Usage: node scripts/changelog-section.mjs 1.2.3 [CHANGELOG.md]
import { readFileSync } from 'node:fs'

const [version, file = new URL('../CHANGELOG.md', import.meta.url)] = process.argv.slice(2)

function fail(message) {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

if (!/^\d+\.\d+\.\d+$/.test(version ?? '')) fail(`usage: changelog-section.mjs X.Y.Z [CHANGELOG.md]`)

const lines = readFileSync(file, 'utf8').split('\n')
// Keep a Changelog 1.1.0: `## [1.2.3] - 2026-12-04`.
const heading = new RegExp(`^## \\[${version.replaceAll('.', '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}\\s*$`)
const start = lines.findIndex(l => heading.test(l))
if (start < 0) fail(`CHANGELOG.md has no section '## [${version}] - YYYY-MM-DD'`)
const rest = lines.slice(start + 1)
const end = rest.findIndex(l => l.startsWith('## ') || /^\[[^\]]+\]: /.test(l))
const body = (end < 0 ? rest : rest.slice(0, end)).join('\n').trim()
if (!body) fail(`CHANGELOG.md's section for ${version} is empty`)
process.stdout.write(`${body}\n`)
