// Validates action.yml and every workflow offline with GitHub's own parser (@actions/workflow-parser, the
// one behind the Actions language service): schema errors come back with their line and column.
import { readFile, readdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import {
  convertActionTemplate,
  parseAction,
  type ActionTemplate
} from '@actions/workflow-parser/actions/index'
import { ErrorPolicy } from '@actions/workflow-parser/model/convert'
import { Inputs } from '../../src/constants.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const WORKFLOWS = '.github/workflows'

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

describe('workflow files', () => {
  it('finds the workflows', async () => {
    expect(await workflowFiles()).toEqual(expect.arrayContaining(['ci.yml', 'check-dist.yml', 'e2e.yml']))
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
})

describe('action.yml', () => {
  async function loadAction(): Promise<ActionTemplate> {
    const content = await readFile(`${ROOT}action.yml`, 'utf8')
    const { template, problems } = validateAction('action.yml', content)
    expect(describeProblems('action.yml', problems)).toBe('')
    if (!template) throw new Error('action.yml was not converted')
    return template
  }

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
