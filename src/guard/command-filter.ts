// A child's output is copied to the step log line by line, and the workflow commands that would act on this
// action's own step are broken: the runner executes `::save-state` and `::set-output` from stdout, and the
// post step would then trust that state. What a `run:` step may print (`::error::`, `::group::`, `::notice::`,
// `::add-mask::`) still works.
import type { Readable, Writable } from 'node:stream'

// ActionCommandManager.cs: the commands that write state or outputs, or that would stop the runner from
// reading this step's own commands; set-env and add-path are disabled, and would change the job.
// A line starts at the text's start or after a CR: the runner's reader (.NET ReadLine) ends a line at CR too.
const STEP_COMMANDS = /(^|\r)([^\S\r]*)(?:::|##\[)(save-state|set-output|stop-commands|set-env|add-path)\b/gi

export function neutralizeLine(line: string): string {
  // The runner trims leading white space before it looks for `::`; one character in front keeps it text.
  return line.replace(
    STEP_COMMANDS,
    (_, start: string, space: string, name: string) => `${start}${space}[${name}]`
  )
}

/** Pipes `from` into `to`, a line at a time, with the step commands broken. */
export function neutralizeStepCommands(from: Readable, to: Writable): void {
  let pending = ''
  from.setEncoding('utf8')
  from.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n')
    pending = lines.pop() ?? ''
    if (lines.length > 0) to.write(lines.map(neutralizeLine).join('\n') + '\n')
  })
  from.on('end', () => {
    if (pending) to.write(neutralizeLine(pending))
    pending = ''
  })
}
