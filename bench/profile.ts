// Where an action process spends its CPU: self time per function from V8's --cpu-prof output, with the
// package each function comes from (dist/ is one file, so packages are told apart by their functions).
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

export interface HotFunction {
  name: string
  selfMs: number
  share: number
}

export async function hottestFunctions(dir: string, top = 15): Promise<HotFunction[]> {
  const files = (await readdir(dir)).filter(f => f.endsWith('.cpuprofile'))
  const self = new Map<string, number>()
  let total = 0
  for (const file of files) {
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile
    const byId = new Map(profile.nodes.map(node => [node.id, node]))
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id)?.callFrame
      const name = frame ? `${frame.functionName || '(anonymous)'} ${where(frame)}` : '(unknown)'
      const ms = (profile.timeDeltas[i] ?? 0) / 1000
      self.set(name, (self.get(name) ?? 0) + ms)
      total += ms
    })
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, selfMs]) => ({ name, selfMs, share: selfMs / total }))
}

function where(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return ''
  const file = frame.url
    .replace(/^file:\/\//, '')
    .split('/')
    .slice(-2)
    .join('/')
  return `(${file}:${frame.lineNumber + 1})`
}
