// What a release is made of, checked offline: the license, the CHANGELOG (Keep a Changelog, naming every
// input and output of action.yml), the scripts release.yml runs (the release notes of one version, the check
// that dist/ is what the sources build to), and dependabot's configuration.
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from '@jest/globals'
import { parse as parseYaml } from 'yaml'
import { MODES } from '../../src/constants.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const run = promisify(execFile)

type Outcome = { code: number; stdout: string; stderr: string }

async function outcome(file: string, args: string[], cwd = ROOT): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd })
    return { code: 0, stdout, stderr }
  } catch (e) {
    const error = e as { code?: number; stdout?: string; stderr?: string }
    return { code: error.code ?? -1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }
  }
}

const changelogSection = (version: string, file?: string) =>
  outcome(process.execPath, ['scripts/changelog-section.mjs', version, ...(file ? [file] : [])])

type ActionYaml = { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }

const temps: string[] = []
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'publishing-'))
  temps.push(dir)
  return dir
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map(d => rm(d, { recursive: true, force: true })))
})

describe('the license', () => {
  it('is the full Apache License 2.0, as package.json says', async () => {
    const license = await readFile(`${ROOT}LICENSE`, 'utf8')
    expect(license).toContain('Apache License\n                           Version 2.0, January 2004')
    expect(license).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION')
    expect(license).toContain('END OF TERMS AND CONDITIONS')
    const pkg = JSON.parse(await readFile(`${ROOT}package.json`, 'utf8')) as Record<string, string>
    expect(pkg.license).toBe('Apache-2.0')
    expect(pkg.author).toBe('canister-snapshot-action contributors')
  })
})

describe('dist/licenses.txt', () => {
  // The packages whose code dist/ holds, read from the source maps of every chunk and of the post step; a
  // nested copy (node_modules/a/node_modules/b) is package b.
  async function bundledPackages(): Promise<Set<string>> {
    const maps = [
      ...(await readdir(join(ROOT, 'dist'))).map(name => join('dist', name)),
      ...(await readdir(join(ROOT, 'dist/post'))).map(name => join('dist/post', name))
    ].filter(file => file.endsWith('.js.map'))
    const packages = new Set<string>()
    for (const file of maps) {
      const { sources } = JSON.parse(await readFile(join(ROOT, file), 'utf8')) as { sources: string[] }
      for (const source of sources) {
        const nested = [...source.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)]
        if (nested.length > 0) packages.add(nested[nested.length - 1][1])
      }
    }
    return packages
  }

  it('names every package bundled into dist/, in every chunk of the modes and in the post step', async () => {
    const chunks = (await readdir(join(ROOT, 'dist'))).filter(name => /^\d+\.index\.js$/.test(name))
    expect(chunks.length).toBeGreaterThan(0)
    const packages = await bundledPackages()
    for (const name of ['@actions/core', '@icp-sdk/core', '@actions/artifact', 'undici'])
      expect(packages).toContain(name)
    const listed = new Set((await readFile(join(ROOT, 'dist/licenses.txt'), 'utf8')).split('\n'))
    expect([...packages].filter(name => !listed.has(name))).toEqual([])
  })
})

describe('CHANGELOG.md', () => {
  it('has an Unreleased section above the releases, newest first', async () => {
    const changelog = await readFile(`${ROOT}CHANGELOG.md`, 'utf8')
    const headings = changelog.split('\n').filter(l => l.startsWith('## '))
    expect(headings[0]).toBe('## [Unreleased]')
    const versions = headings.slice(1).map(h => /^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$/.exec(h)?.[1])
    expect(versions).not.toContain(undefined)
    expect(versions.at(-1)).toBe('1.0.0')
  })

  it("has a section for package.json's version", async () => {
    const pkg = JSON.parse(await readFile(`${ROOT}package.json`, 'utf8')) as { version: string }
    expect((await changelogSection(pkg.version)).code).toBe(0)
  })

  // Inputs and outputs are the API (README, "Versions"): each one appears in a release's section, or under
  // Unreleased until it is released.
  it('names every mode, input and output of action.yml', async () => {
    const changelog = await readFile(`${ROOT}CHANGELOG.md`, 'utf8')
    const action = parseYaml(await readFile(`${ROOT}action.yml`, 'utf8')) as ActionYaml
    const names = [...Object.keys(action.inputs ?? {}), ...Object.keys(action.outputs ?? {}), ...MODES]
    expect(names.length).toBeGreaterThan(MODES.length)
    expect(names.filter(n => !changelog.includes(`\`${n}\``))).toEqual([])
  })

  it("gives release.yml one version's section as the release notes", async () => {
    const notes = await changelogSection('1.0.0')
    expect(notes.code).toBe(0)
    expect(notes.stdout.startsWith('The first release.\n')).toBe(true)
    expect(notes.stdout).toContain('`guard-upgrade`')
    expect(notes.stdout).not.toMatch(/^## /m)
  })

  it('stops at the next section, and refuses a version without a section or with an empty one', async () => {
    const dir = await tempDir()
    const file = join(dir, 'CHANGELOG.md')
    await writeFile(
      file,
      [
        '# Changelog',
        '## [Unreleased]',
        '## [1.1.0] - 2027-01-02',
        '### Fixed',
        '- a fix',
        '## [1.0.1] - 2027-01-01',
        '## [1.0.0] - 2026-12-04',
        '- first',
        '[1.1.0]: https://example.invalid/v1.1.0',
        ''
      ].join('\n')
    )
    expect(await changelogSection('1.1.0', file)).toEqual({
      code: 0,
      stdout: '### Fixed\n- a fix\n',
      stderr: ''
    })
    expect(await changelogSection('1.0.0', file)).toMatchObject({ code: 0, stdout: '- first\n' })
    expect(await changelogSection('1.0.1', file)).toEqual({
      code: 1,
      stdout: '',
      stderr: "CHANGELOG.md's section for 1.0.1 is empty\n"
    })
    expect(await changelogSection('2.0.0', file)).toEqual({
      code: 1,
      stdout: '',
      stderr: "CHANGELOG.md has no section '## [2.0.0] - YYYY-MM-DD'\n"
    })
    expect((await changelogSection('v1.0.0', file)).code).toBe(1)
  })
})

describe('scripts/check-dist.sh', () => {
  const git = (cwd: string, ...args: string[]) =>
    run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd })

  /** A repository with a committed dist/, as the checkout of a tag has it. */
  async function repository(): Promise<string> {
    const dir = await tempDir()
    await git(dir, 'init', '-q')
    await mkdir(join(dir, 'dist', 'post'), { recursive: true })
    await writeFile(join(dir, 'dist', 'index.js'), 'built from the sources\n')
    await writeFile(join(dir, 'dist', 'post', 'index.js'), 'post\n')
    await git(dir, 'add', '-A')
    await git(dir, 'commit', '-q', '-m', 'dist')
    return dir
  }
  const check = (dir: string) => outcome(`${ROOT}scripts/check-dist.sh`, [dir])

  it('passes when the build left dist/ as committed', async () => {
    expect(await check(await repository())).toMatchObject({ code: 0, stdout: 'dist/ matches the sources\n' })
  })

  it('fails when the build changes a committed file', async () => {
    const dir = await repository()
    await writeFile(join(dir, 'dist', 'index.js'), 'built from other sources\n')
    const result = await check(dir)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      "::error::dist/ does not match the sources; run 'npm run bundle' and commit dist/"
    )
  })

  it('fails when the build makes a file that is not committed', async () => {
    const dir = await repository()
    await writeFile(join(dir, 'dist', 'post', 'didc_bg.wasm'), 'new\n')
    const result = await check(dir)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('dist/post/didc_bg.wasm\n')
    expect(result.stdout).toContain(
      "::error::dist/ has built files that are not committed; run 'npm run bundle'"
    )
  })
})

describe('.github/dependabot.yml', () => {
  type Update = {
    'package-ecosystem': string
    directory: string
    schedule: { interval: string }
    groups?: Record<string, { 'dependency-type'?: string; 'update-types'?: string[]; patterns?: string[] }>
  }

  it('updates npm in groups and the workflow actions', async () => {
    const config = parseYaml(await readFile(`${ROOT}.github/dependabot.yml`, 'utf8')) as {
      version: number
      updates: Update[]
    }
    expect(config.version).toBe(2)
    expect(config.updates.map(u => u['package-ecosystem']).sort()).toEqual(['github-actions', 'npm'])
    for (const update of config.updates) {
      expect(update.directory).toBe('/')
      expect(['daily', 'weekly', 'monthly']).toContain(update.schedule.interval)
    }
    const npm = config.updates.find(u => u['package-ecosystem'] === 'npm') as Update
    expect(Object.values(npm.groups ?? {}).map(g => g['dependency-type'])).toEqual([
      'production',
      'development'
    ])
    for (const group of Object.values(npm.groups ?? {}))
      expect(group['update-types']?.every(t => ['major', 'minor', 'patch'].includes(t))).toBe(true)
  })
})

describe('README', () => {
  it('links the license, the changelog and the security policy, and says how to release', async () => {
    const readme = await readFile(`${ROOT}README.md`, 'utf8')
    for (const link of ['(LICENSE)', '(CHANGELOG.md)', '(SECURITY.md)']) expect(readme).toContain(link)
    expect(readme).toContain('### Releasing')
    expect(readme).toContain('## Versions')
  })

  // GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
  const slug = (heading: string) =>
    heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-')

  it('shows on its first screen what the action does, the job-summary picture, a workflow and the recipes', async () => {
    const readme = await readFile(`${ROOT}README.md`, 'utf8')
    const firstScreen = readme.slice(0, readme.indexOf('\n## '))
    const image = /<img src="([^"]+)"[^>]* alt="[^"]{20,}"/.exec(firstScreen)?.[1]
    expect(image).toBe('docs/job-summary.png')
    const png = await readFile(`${ROOT}${image}`)
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
    expect(firstScreen).toMatch(/```yaml\n- uses: [^\n]+canister-snapshot-action@v1\n/)
    const recipes = readme.slice(
      readme.indexOf('\n## Recipes\n'),
      readme.indexOf('\n## ', readme.indexOf('\n## Recipes\n') + 1)
    )
    const recipeAnchors = [...recipes.matchAll(/^### (.+)$/gm)].map(m => slug(m[1]))
    expect(recipeAnchors.length).toBeGreaterThan(3)
    for (const anchor of recipeAnchors) expect(firstScreen).toContain(`(#${anchor})`)
  })

  it('has a heading for every link inside it', async () => {
    const readme = await readFile(`${ROOT}README.md`, 'utf8')
    const prose = readme.replace(/```[\s\S]*?```/g, '')
    const anchors = new Set([...prose.matchAll(/^#{1,6} (.+)$/gm)].map(m => slug(m[1])))
    const links = [...prose.matchAll(/\]\(#([^)]+)\)/g)].map(m => m[1])
    expect(links.length).toBeGreaterThan(5)
    expect(links.filter(link => !anchors.has(link))).toEqual([])
  })
})
