// The post step's rollback depends on when the runner runs it: action.yml's post-if, evaluated with GitHub's
// own expression library for each job status.
import { readFile } from 'node:fs/promises'
import { parse } from 'yaml'
import { statusCondition } from '../harness/runner.js'

it('runs the post step after a failed or cancelled job, and never after a successful one', async () => {
  const action = parse(await readFile(new URL('../../action.yml', import.meta.url), 'utf8')) as {
    runs: { 'post-if': string }
  }
  const postIf = action.runs['post-if']
  expect(statusCondition(postIf, 'failure')).toBe(true)
  expect(statusCondition(postIf, 'cancelled')).toBe(true)
  expect(statusCondition(postIf, 'success')).toBe(false)
})

it('evaluates the status functions as the runner does', () => {
  expect(statusCondition('always()', 'success')).toBe(true)
  expect(statusCondition('${{ success() }}', 'success')).toBe(true)
  expect(statusCondition('!cancelled() && failure()', 'cancelled')).toBe(false)
})
