// Writes dist/licenses.txt: the license of every package in dist/, the main step's chunks and the post step.
// ncc's own `--license` (license-webpack-plugin) writes one list per chunk under the same file name, so once
// the modes are chunks of their own the file keeps only the last chunk's packages. Here ncc bundles an entry
// that imports both steps and every mode statically, one chunk, so its list has every package they can load.
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import ncc from '@vercel/ncc'

const root = new URL('../', import.meta.url)
const entry = fileURLToPath(new URL('scripts/licensed-modules.ts', root))
const { assets } = await ncc(entry, { license: 'licenses.txt', quiet: true, cache: false })
const licenses = assets['licenses.txt']
if (!licenses) throw new Error('ncc wrote no licenses.txt')
await writeFile(new URL('dist/licenses.txt', root), licenses.source)
