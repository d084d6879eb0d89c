// A small SVG line chart: throughput against the `concurrency` input, the action's default marked.
export function throughputChart(
  points: Array<{ concurrency: number; mbPerSecond: number }>,
  options: { defaultConcurrency: number; title: string }
): string {
  const width = 640
  const height = 360
  const pad = { left: 60, right: 20, top: 40, bottom: 50 }
  const xs = points.map(p => Math.log2(p.concurrency))
  const maxY = Math.max(...points.map(p => p.mbPerSecond)) * 1.15 || 1
  const minX = Math.min(...xs)
  const spanX = Math.max(...xs) - minX || 1
  const x = (c: number) => pad.left + ((Math.log2(c) - minX) / spanX) * (width - pad.left - pad.right)
  const y = (v: number) => height - pad.bottom - (v / maxY) * (height - pad.top - pad.bottom)
  const line = points.map(
    (p, i) => `${i === 0 ? 'M' : 'L'}${x(p.concurrency).toFixed(1)},${y(p.mbPerSecond).toFixed(1)}`
  )
  const ticksY = Array.from({ length: 5 }, (_, i) => (maxY / 4) * i)
  const marked = points.find(p => p.concurrency === options.defaultConcurrency)
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="14">${escape(options.title)}</text>`,
    ...ticksY.map(
      v =>
        `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${pad.left - 8}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(0)}</text>`
    ),
    ...points.map(
      p =>
        `<text x="${x(p.concurrency)}" y="${height - pad.bottom + 18}" text-anchor="middle">${p.concurrency}</text>`
    ),
    `<text x="${width / 2}" y="${height - 12}" text-anchor="middle">concurrency (slices of 2,000,000 bytes in flight)</text>`,
    `<text transform="translate(16 ${height / 2}) rotate(-90)" text-anchor="middle">MB/s</text>`,
    `<path d="${line.join(' ')}" fill="none" stroke="#6b46c1" stroke-width="2"/>`,
    ...points.map(p => `<circle cx="${x(p.concurrency)}" cy="${y(p.mbPerSecond)}" r="4" fill="#6b46c1"/>`),
    ...(marked
      ? [
          `<circle cx="${x(marked.concurrency)}" cy="${y(marked.mbPerSecond)}" r="8" fill="none" stroke="#d53f8c" stroke-width="2"/>`,
          `<text x="${x(marked.concurrency) + 10}" y="${y(marked.mbPerSecond) - 10}" fill="#d53f8c">default (${marked.concurrency}): ${marked.mbPerSecond.toFixed(1)} MB/s</text>`
        ]
      : []),
    '</svg>',
    ''
  ].join('\n')
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;')
}
