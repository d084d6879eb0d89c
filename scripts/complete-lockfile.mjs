// The package registry these machines reach serves only some of the platform-specific optional packages
// (e.g. @unrs/resolver-binding-darwin-x64 answers 404), so `npm install` leaves them out of
// package-lock.json and `npm ci` then refuses the lock as out of sync. This adds a platform-tagged entry for
// each missing one; npm skips them on a platform they do not match, so nothing is ever downloaded for them.
// Run it after `npm install` changes the lock: `node scripts/complete-lockfile.mjs`.
import { readFileSync, writeFileSync } from 'node:fs'

const LOCK = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(LOCK, 'utf8'))
const OS = [
  'android',
  'darwin',
  'freebsd',
  'linux',
  'win32',
  'openharmony',
  'netbsd',
  'openbsd',
  'sunos',
  'aix'
]
const CPU = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'wasm32']

function platformOf(name) {
  const parts = name.split('/').pop().split('-')
  const os = OS.find(o => parts.includes(o))
  const cpu = CPU.find(c => parts.includes(c))
  if (!os || !cpu) return undefined
  const libc =
    parts.includes('musl') || parts.includes('musleabihf')
      ? ['musl']
      : parts.includes('gnu') || parts.includes('gnueabihf')
        ? ['glibc']
        : undefined
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) }
}

let added = 0
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `node_modules/${name}`
    if (lock.packages[target] || lock.packages[`${path}/${target}`]) continue
    const platform = platformOf(name)
    if (!platform) continue
    lock.packages[target] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform }
    added += 1
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)))
)
writeFileSync(LOCK, JSON.stringify(lock, null, 2) + '\n')
console.log(`complete-lockfile: added ${added} platform-only entries`)
