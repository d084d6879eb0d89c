// The job summary and the step log tell the same story: what was checked, what changed, what it left behind.
import * as core from '@actions/core'
import { summaryText } from './untrusted-text.js'

// Cells and notes carry text from outside (reject messages, health replies, names from an artifact), so the
// sink escapes everything; the markup the action writes itself, <code> and <br>, is put back.
const LONGEST_CELL = 4000

function safeMarkup(text: string): string {
  return summaryText(text, LONGEST_CELL).replace(/&#60;(\/?code|br)&#62;/g, '<$1>')
}

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
    const summary = core.summary.addHeading(safeMarkup(this.title), 2)
    for (const section of this.sections) {
      const header = section.header.map(data => ({ data: safeMarkup(data), header: true }))
      const rows = section.rows.map(row => row.map(safeMarkup))
      summary.addHeading(safeMarkup(section.heading), 3).addTable([header, ...rows])
    }
    for (const note of this.notes) summary.addRaw(`\n${safeMarkup(note)}\n`, true)
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
