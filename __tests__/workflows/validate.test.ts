// Validates action.yml, the E2E workflow's local actions and every workflow offline with GitHub's own parser
// (@actions/workflow-parser, the one behind the Actions language service): schema errors come back with their
// line and column.
import { access, readFile, readdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import {
  convertActionTemplate,
  parseAction,
  type ActionTemplate
} from '@actions/workflow-parser/actions/index'
import { ErrorPolicy } from '@actions/workflow-parser/model/convert'
import { parse as parseYaml } from 'yaml'
import { Inputs } from '../../src/constants.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const WORKFLOWS = '.github/workflows'
/** The E2E workflow's local actions: one directory with an action.yml each. */
const LOCAL_ACTIONS = '.github/e2e'

type Problem = { line: number | undefined; column: number | undefined; message: string }

/** The parser's errors as `file:line:column: message` lines, for a failure message that points at the spot. */
function describeProblems(name: string, problems: Problem[]): string {
  return problems.map(p => `${name}:${p.line ?? '?'}:${p.column ?? '?'}: ${p.message}`).join('\n')
}

function problemsOf(errors: { rawMessage: string; range?: { start: { line: number; column: number } } }[]) {
  return errors.map(e => ({
    line: e.range?.start.line,
    column: e.range?.start.column,
    message: e.rawMessage
  }))
}

/** Parses and converts a workflow; returns every error the parser or the converter reported. */
async function validateWorkflow(name: string, content: string): Promise<Problem[]> {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter())
  const parseErrors = problemsOf(result.context.errors.getErrors())
  if (parseErrors.length > 0 || !result.value) return parseErrors
  await convertWorkflowTemplate(result.context, result.value)
  return problemsOf(result.context.errors.getErrors())
}

/**
 * Parses and converts an action.yml; returns the typed template and every error. It converts even after
 * parse errors (so a known, tolerated one does not hide the template); the errors decide the verdict.
 */
function validateAction(name: string, content: string): { template?: ActionTemplate; problems: Problem[] } {
  const result = parseAction({ name, content }, new NoOperationTraceWriter())
  const template = result.value
    ? convertActionTemplate(result.context, result.value, { errorPolicy: ErrorPolicy.TryConversion })
    : undefined
  return { template, problems: problemsOf(result.context.errors.getErrors()) }
}

async function workflowFiles(): Promise<string[]> {
  const names = await readdir(`${ROOT}${WORKFLOWS}`)
  return names.filter(n => /\.ya?ml$/.test(n)).sort()
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false
  )
}

/** `.github/e2e/<dir>/action.yml` of every local action, as paths relative to the repository. */
async function localActionFiles(): Promise<string[]> {
  const entries = await readdir(`${ROOT}${LOCAL_ACTIONS}`, { withFileTypes: true })
  const files: string[] = []
  for (const entry of entries.filter(e => e.isDirectory())) {
    const file = `${LOCAL_ACTIONS}/${entry.name}/action.yml`
    if (await exists(`${ROOT}${file}`)) files.push(file)
  }
  return files.sort()
}

/** Validates an action.yml of the repository; fails the test on any error. */
async function loadActionFile(file: string): Promise<ActionTemplate> {
  const { template, problems } = validateAction(file, await readFile(`${ROOT}${file}`, 'utf8'))
  expect(describeProblems(file, problems)).toBe('')
  if (!template) throw new Error(`${file} was not converted`)
  return template
}

type WorkflowStep = {
  id?: string
  name?: string
  if?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
}
type WorkflowJob = { permissions?: Record<string, string>; steps?: WorkflowStep[] }
type WorkflowYaml = {
  on?: Record<string, { tags?: string[]; branches?: string[] } | null>
  permissions?: Record<string, string>
  jobs?: Record<string, WorkflowJob>
}

async function loadWorkflowYaml(file: string): Promise<WorkflowYaml> {
  return parseYaml(await readFile(`${ROOT}${WORKFLOWS}/${file}`, 'utf8')) as WorkflowYaml
}

/**
 * The current major version of every action the workflows and the local actions use (checked against each
 * action's releases, 2026-12): a workflow pins the major tag, so it gets fixes but no breaking change, and
 * dependabot's github-actions updates propose the next major. A new action is added here on purpose.
 */
const CURRENT_MAJORS: Record<string, string> = {
  'actions/checkout': 'v7',
  'actions/setup-node': 'v7',
  'actions/upload-artifact': 'v7',
  'actions/download-artifact': 'v8',
  'github/codeql-action/init': 'v4',
  'github/codeql-action/analyze': 'v4'
}

/** `owner/repo[/path]@ref` of a remote action, as a workflow or composite step names it; undefined if local. */
function remoteAction(uses: string): { action: string; ref: string } | undefined {
  if (uses.startsWith('./') || uses.startsWith('docker://')) return undefined
  const at = uses.lastIndexOf('@')
  return at < 0 ? { action: uses, ref: '' } : { action: uses.slice(0, at), ref: uses.slice(at + 1) }
}

/** Every remote action a step of the repository's workflows and local actions uses, with where. */
async function remoteActionUses(): Promise<{ where: string; uses: string }[]> {
  const found: { where: string; uses: string }[] = []
  for (const file of await workflowFiles()) {
    const workflow = await loadWorkflowYaml(file)
    for (const [job, { steps = [] }] of Object.entries(workflow.jobs ?? {}))
      for (const step of steps.filter(s => s.uses && remoteAction(s.uses)))
        found.push({ where: `${WORKFLOWS}/${file} ${job}`, uses: step.uses as string })
  }
  for (const file of await localActionFiles()) {
    const action = parseYaml(await readFile(`${ROOT}${file}`, 'utf8')) as {
      runs?: { steps?: WorkflowStep[] }
    }
    for (const step of (action.runs?.steps ?? []).filter(s => s.uses && remoteAction(s.uses)))
      found.push({ where: file, uses: step.uses as string })
  }
  return found
}

/** Every remote action reference that is not its action's current major tag, as a line each. */
function unpinnedActions(uses: { where: string; uses: string }[]): string[] {
  return uses.flatMap(({ where, uses: ref }) => {
    const { action, ref: version } = remoteAction(ref) as { action: string; ref: string }
    const major = CURRENT_MAJORS[action]
    if (!major)
      return [`${where}: ${ref}: not a known action (add it to CURRENT_MAJORS with its current major)`]
    return version === major ? [] : [`${where}: ${ref}: pin ${action}@${major}, its current major`]
  })
}

describe('workflow files', () => {
  it('finds the workflows', async () => {
    expect(await workflowFiles()).toEqual(
      expect.arrayContaining(['ci.yml', 'check-dist.yml', 'codeql.yml', 'e2e.yml', 'release.yml'])
    )
  })

  it('parses every workflow without errors', async () => {
    const failures: string[] = []
    for (const file of await workflowFiles()) {
      const name = `${WORKFLOWS}/${file}`
      const problems = await validateWorkflow(name, await readFile(`${ROOT}${name}`, 'utf8'))
      if (problems.length > 0) failures.push(describeProblems(name, problems))
    }
    expect(failures.join('\n')).toBe('')
  })

  it("pin every action they use to that action's current major", async () => {
    const uses = await remoteActionUses()
    expect(uses.length).toBeGreaterThan(0)
    expect(unpinnedActions(uses)).toEqual([])
  })

  it('check-dist keeps the expected dist/ as an artifact only when the comparison failed', async () => {
    const steps = (await loadWorkflowYaml('check-dist.yml')).jobs?.['check-dist']?.steps ?? []
    const runs = steps.map(s => s.run ?? s.uses)
    const compare = steps.findIndex(s => s.run === 'scripts/check-dist.sh')
    expect(runs.indexOf('npm run bundle')).toBeGreaterThanOrEqual(0)
    expect(runs.indexOf('npm run bundle')).toBeLessThan(compare)
    expect(steps[compare]?.id).toBe('diff')
    const upload = steps.find(s => s.uses?.startsWith('actions/upload-artifact@'))
    expect(upload).toMatchObject({
      if: "${{ failure() && steps.diff.outcome == 'failure' }}",
      with: { name: 'dist', path: 'dist/' }
    })
    expect(steps.indexOf(upload as WorkflowStep)).toBeGreaterThan(compare)
  })

  it('CodeQL scans javascript-typescript with only the permissions it needs', async () => {
    const workflow = await loadWorkflowYaml('codeql.yml')
    expect(workflow.permissions).toEqual({ contents: 'read' })
    const job = workflow.jobs?.analyze as WorkflowJob & { strategy?: { matrix?: { language?: string[] } } }
    expect(job.strategy?.matrix?.language).toEqual(['javascript-typescript'])
    expect(job.permissions).toEqual({ contents: 'read', 'security-events': 'write', actions: 'read' })
    const uses = (job.steps ?? []).map(s => s.uses?.split('@')[0])
    expect(uses).toEqual(['actions/checkout', 'github/codeql-action/init', 'github/codeql-action/analyze'])
  })

  it('release runs on a vX.Y.Z tag and releases only a checked, rebuilt dist/', async () => {
    const workflow = await loadWorkflowYaml('release.yml')
    expect(Object.keys(workflow.on ?? {})).toEqual(['push'])
    expect(workflow.on?.push).toEqual({ tags: ['v[0-9]+.[0-9]+.[0-9]+'] })
    expect(workflow.permissions).toEqual({ contents: 'read' })
    const job = workflow.jobs?.release as WorkflowJob
    expect(job.permissions).toEqual({ contents: 'write' })
    const steps = job.steps ?? []
    const at = (test: (s: WorkflowStep) => boolean, what: string) => {
      const index = steps.findIndex(test)
      expect({ what, found: index >= 0 }).toEqual({ what, found: true })
      return index
    }
    const order = [
      at(s => /package\.json/.test(s.run ?? '') && /--is-ancestor/.test(s.run ?? ''), 'tag check'),
      at(s => s.run === 'npm ci', 'npm ci'),
      at(s => s.run === 'npm run bundle', 'bundle'),
      at(s => s.run === 'scripts/check-dist.sh', 'dist check'),
      at(s => /scripts\/changelog-section\.mjs/.test(s.run ?? ''), 'release notes'),
      at(s => /gh release create/.test(s.run ?? ''), 'release'),
      at(s => /git push --force origin "refs\/tags\/\$MAJOR"/.test(s.run ?? ''), 'major tag')
    ]
    expect(order).toEqual([...order].sort((a, b) => a - b))
    // The checkout must see every tag, or the highest release of the major could not be found.
    expect(steps.find(s => s.uses?.startsWith('actions/checkout@'))?.with).toEqual({ 'fetch-depth': 0 })
  })
})

describe('the action pin check', () => {
  it('reports an old major, a branch, an unpinned and an unknown action', () => {
    const where = 'x.yml build'
    expect(
      unpinnedActions([
        { where, uses: 'actions/checkout@v7' },
        { where, uses: 'actions/checkout@v4' },
        { where, uses: 'actions/setup-node@main' },
        { where, uses: 'actions/upload-artifact' },
        { where, uses: 'someone/else@v1' }
      ])
    ).toEqual([
      'x.yml build: actions/checkout@v4: pin actions/checkout@v7, its current major',
      'x.yml build: actions/setup-node@main: pin actions/setup-node@v7, its current major',
      'x.yml build: actions/upload-artifact: pin actions/upload-artifact@v7, its current major',
      'x.yml build: someone/else@v1: not a known action (add it to CURRENT_MAJORS with its current major)'
    ])
  })
})

describe('action.yml', () => {
  const loadAction = () => loadActionFile('action.yml')

  it('parses without errors and runs the bundled entry points on node24', async () => {
    const { runs } = await loadAction()
    expect(runs).toEqual({
      using: 'node24',
      main: 'dist/index.js',
      post: 'dist/post/index.js',
      postIf: 'failure() || cancelled()'
    })
  })

  it('describes every input and output', async () => {
    const { inputs = [], outputs = [] } = await loadAction()
    expect(inputs.length).toBeGreaterThan(0)
    expect(outputs.length).toBeGreaterThan(0)
    expect(inputs.filter(i => !i.description?.trim()).map(i => i.id)).toEqual([])
    expect(outputs.filter(o => !o.description?.trim()).map(o => o.id)).toEqual([])
  })

  it('declares exactly the inputs src/constants.ts reads', async () => {
    const { inputs = [] } = await loadAction()
    const declared = inputs.map(i => i.id).sort()
    const used = Object.values(Inputs).sort()
    expect(declared).toEqual(used)
  })
})

describe("the E2E workflow's local actions", () => {
  it('finds them', async () => {
    expect(await localActionFiles()).toEqual(
      expect.arrayContaining([
        `${LOCAL_ACTIONS}/setup/action.yml`,
        `${LOCAL_ACTIONS}/verify-after-post/action.yml`
      ])
    )
  })

  it('parse without errors and describe every input and output', async () => {
    for (const file of await localActionFiles()) {
      const { inputs = [], outputs = [] } = await loadActionFile(file)
      expect({ file, undescribed: inputs.filter(i => !i.description?.trim()).map(i => i.id) }).toEqual({
        file,
        undescribed: []
      })
      expect({ file, undescribed: outputs.filter(o => !o.description?.trim()).map(o => o.id) }).toEqual({
        file,
        undescribed: []
      })
    }
  })

  it('name entry points that exist, next to their action.yml', async () => {
    for (const file of await localActionFiles()) {
      const { runs } = await loadActionFile(file)
      if (runs.using === 'composite' || runs.using === 'docker') continue
      const dir = file.slice(0, file.lastIndexOf('/') + 1)
      for (const script of [runs.main, runs.pre, runs.post].filter(s => s !== undefined)) {
        expect({ script, exists: await exists(`${ROOT}${dir}${script}`) }).toEqual({ script, exists: true })
      }
    }
  })

  it('setup is a composite action', async () => {
    const { runs } = await loadActionFile(`${LOCAL_ACTIONS}/setup/action.yml`)
    expect(runs.using).toBe('composite')
  })

  it('verify-after-post runs its post step always, on node24', async () => {
    const { runs } = await loadActionFile(`${LOCAL_ACTIONS}/verify-after-post/action.yml`)
    expect(runs).toEqual({ using: 'node24', main: 'main.mjs', post: 'post.mjs', postIf: 'always()' })
  })

  // The runner only warns about an unknown input and passes an empty one for a misspelt one, so a typo in
  // `with:` would quietly test something else.
  it('get exactly the inputs they declare from every workflow step that uses them', async () => {
    const problems: string[] = []
    for (const file of await workflowFiles()) {
      const workflow = parseYaml(await readFile(`${ROOT}${WORKFLOWS}/${file}`, 'utf8')) as WorkflowYaml
      for (const [job, { steps = [] }] of Object.entries(workflow.jobs ?? {})) {
        for (const step of steps.filter(s => s.uses?.startsWith('./'))) {
          const dir = (step.uses as string).replace(/^\.\/?/, '').replace(/\/$/, '')
          const { inputs = [] } = await loadActionFile(dir ? `${dir}/action.yml` : 'action.yml')
          const given = Object.keys(step.with ?? {})
          const where = `${file} ${job} uses ${step.uses}`
          for (const name of given.filter(n => !inputs.some(i => i.id === n)))
            problems.push(`${where}: unknown input '${name}'`)
          for (const input of inputs.filter(
            i => i.required && i.default === undefined && !given.includes(i.id)
          ))
            problems.push(`${where}: required input '${input.id}' missing`)
        }
      }
    }
    expect(problems).toEqual([])
  })
})

describe('the validator', () => {
  const workflow = (job: string) =>
    ['name: Bad', 'on: push', 'jobs:', '  build:', ...job.split('\n').map(l => `    ${l}`)].join('\n') + '\n'

  it('reports a misspelt runs-on with its line', async () => {
    const problems = await validateWorkflow(
      'bad.yml',
      workflow('run-on: ubuntu-latest\nsteps:\n  - run: echo hi')
    )
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 5, message: expect.stringContaining('run-on') })
      ])
    )
  })

  it('reports a step with both uses and run with its line', async () => {
    const job = 'runs-on: ubuntu-latest\nsteps:\n  - uses: actions/checkout@v5\n    run: echo hi'
    const problems = await validateWorkflow('bad.yml', workflow(job))
    expect(problems).toEqual([{ line: 8, column: 9, message: "Unexpected value 'run'" }])
  })

  it('reports an unknown node version and a misspelt main in action.yml with their lines', () => {
    const action = (runs: string) =>
      ['name: A', 'description: B', 'runs:', ...runs.split('\n').map(l => `  ${l}`)].join('\n') + '\n'
    const node22 = validateAction('action.yml', action("using: 'node22'\nmain: 'dist/index.js'")).problems
    expect(node22).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 4, message: expect.stringContaining('node22') })
      ])
    )
    const mian = validateAction('action.yml', action("using: 'node24'\nmian: 'dist/index.js'")).problems
    expect(mian).toEqual(
      expect.arrayContaining([expect.objectContaining({ line: 5, message: expect.stringContaining('mian') })])
    )
  })
})
