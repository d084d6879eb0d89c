// dist/index.js started the way the runner starts it, with the mode as INPUT_MODE.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

async function runAction(mode: string | undefined): Promise<{ code: number; stdout: string }> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH }
  if (mode !== undefined) env.INPUT_MODE = mode
  try {
    const { stdout } = await run(process.execPath, ['dist/index.js'], { env })
    return { code: 0, stdout }
  } catch (error) {
    const failed = error as { code: number; stdout: string }
    return { code: failed.code, stdout: failed.stdout }
  }
}

it.each([
  [undefined, "::error::Input 'mode': is required; expected one of create, restore, list, delete"],
  [
    'snapshot',
    "::error::Input 'mode': 'snapshot' is not a mode; expected one of create, restore, list, delete"
  ]
])('mode %p fails with one line naming the input', async (mode, expected) => {
  const { code, stdout } = await runAction(mode)
  expect(code).toBe(1)
  expect(stdout.trim().split('\n')).toHaveLength(1)
  expect(stdout).toContain(expected)
})
