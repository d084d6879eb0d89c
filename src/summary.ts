// The job summary and the step log tell the same story: what was checked, what changed, what it left behind.
import * as core from '@actions/core'

export class Report {
  private readonly sections: Array<{ heading: string; rows: string[][]; header: string[] }> = []
  private readonly notes: string[] = []

  constructor(private readonly title: string) {}

  table(heading: string, header: string[], rows: string[][]): void {
    this.sections.push({ heading, header, rows })
  }

  note(text: string): void {
    this.notes.push(text)
  }

  async write(): Promise<void> {
    if (!process.env.GITHUB_STEP_SUMMARY) return
    const summary = core.summary.addHeading(this.title, 2)
    for (const section of this.sections) {
      const header = section.header.map(data => ({ data, header: true }))
      summary.addHeading(section.heading, 3).addTable([header, ...section.rows])
    }
    for (const note of this.notes) summary.addRaw(`\n${note}\n`, true)
    await summary.write()
  }
}

export function isoTime(nanoseconds: bigint): string {
  return new Date(Number(nanoseconds / 1_000_000n)).toISOString()
}

export function formatBytes(bytes: bigint): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = Number(bytes)
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`
}
