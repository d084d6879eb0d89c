// The README's workflows and snippets, checked offline as the repository's own workflows are: every complete
// workflow parses with GitHub's parser, and every step of this action names only inputs action.yml declares,
// with a mode that exists.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import { parse as parseYaml } from 'yaml'
import { MODES } from '../../src/constants.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const THIS_ACTION = /^<owner>\/canister-snapshot-action@v\d+$/

interface Block {
  line: number
  text: string
}

function yamlBlocks(markdown: string): Block[] {
  const blocks: Block[] = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```yaml') continue
    const start = i + 1
    while (i + 1 < lines.length && lines[i + 1].trim() !== '```') i++
    blocks.push({ line: start + 1, text: lines.slice(start, i + 1).join('\n') + '\n' })
    i++
  }
  return blocks
}

/** A snippet indented as it would sit under `with:` (or a step list) is read as it stands, dedented. */
function dedent(text: string): string {
  const indents = text
    .split('\n')
    .filter(l => l.trim())
    .map(l => l.length - l.trimStart().length)
  const cut = Math.min(...indents)
  return text
    .split('\n')
    .map(l => l.slice(cut))
    .join('\n')
}

/** Every `with:` of a step that uses this action, wherever it sits; a bare mapping of inputs counts as one. */
function actionInputsOf(value: unknown): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = []
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit)
    if (!node || typeof node !== 'object') return
    const record = node as Record<string, unknown>
    if (typeof record.uses === 'string' && THIS_ACTION.test(record.uses)) {
      found.push((record.with ?? {}) as Record<string, unknown>)
    }
    Object.values(record).forEach(visit)
  }
  visit(value)
  return found
}

async function declaredInputs(): Promise<Set<string>> {
  const action = parseYaml(await readFile(`${ROOT}action.yml`, 'utf8')) as { inputs: Record<string, unknown> }
  return new Set(Object.keys(action.inputs))
}

async function workflowProblems(name: string, content: string): Promise<string[]> {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter())
  if (result.value) await convertWorkflowTemplate(result.context, result.value)
  return result.context.errors.getErrors().map(e => `${name}:${e.range?.start.line ?? '?'}: ${e.rawMessage}`)
}

/** The README's problems: workflow errors, unknown inputs and modes, with the block's line. */
async function readmeProblems(
  readme: string
): Promise<{ workflows: number; steps: number; problems: string[] }> {
  const inputs = await declaredInputs()
  const problems: string[] = []
  let workflows = 0
  let steps = 0
  for (const block of yamlBlocks(readme)) {
    const where = `README.md:${block.line}`
    let value: unknown
    try {
      value = parseYaml(dedent(block.text))
    } catch (error) {
      problems.push(`${where}: not YAML (${(error as Error).message.split('\n')[0]})`)
      continue
    }
    const isWorkflow = Boolean(value && typeof value === 'object' && 'jobs' in value)
    if (isWorkflow) {
      workflows++
      problems.push(...(await workflowProblems(where, block.text)))
    }
    const withs = actionInputsOf(value)
    // A snippet of inputs alone (to add to a step above) is checked as a `with:` of its own.
    const bare =
      !isWorkflow && withs.length === 0 && value && typeof value === 'object' && !Array.isArray(value)
    for (const given of bare ? [value as Record<string, unknown>] : withs) {
      steps++
      for (const name of Object.keys(given)) {
        if (!inputs.has(name)) problems.push(`${where}: '${name}' is not an input of action.yml`)
      }
      const mode = given.mode
      if (!bare && !(MODES as readonly unknown[]).includes(mode)) {
        problems.push(`${where}: mode '${String(mode)}' is not one of ${MODES.join(', ')}`)
      }
    }
  }
  return { workflows, steps, problems }
}

describe("the README's workflows", () => {
  it('parse, and name only declared inputs and existing modes', async () => {
    const readme = await readFile(`${ROOT}README.md`, 'utf8')
    const { workflows, steps, problems } = await readmeProblems(readme)
    expect(problems).toEqual([])
    // The recipes: deploys, the guarded ones, the rollback, the nightly backup, the drill, many canisters.
    expect(workflows).toBeGreaterThanOrEqual(7)
    expect(steps).toBeGreaterThanOrEqual(20)
  })

  it('catches a misspelt input, an unknown mode and a broken workflow', async () => {
    const readme = await readFile(`${ROOT}README.md`, 'utf8')
    const broken = readme
      .replace('retention-days: 14', 'retension-days: 14')
      .replace('mode: guard-upgrade', 'mode: guard')
      .replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest')
    const { problems } = await readmeProblems(broken)
    expect(problems.some(p => p.includes("'retension-days' is not an input"))).toBe(true)
    expect(problems.some(p => p.includes("mode 'guard' is not one of"))).toBe(true)
    expect(problems.some(p => /runs_on|runs-on/.test(p))).toBe(true)
  })
})
