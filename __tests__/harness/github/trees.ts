// Directory trees for round-trip tests: write one, read one back as path → bytes.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'

export type Tree = Record<string, Buffer>

export async function writeTree(root: string, tree: Tree): Promise<string[]> {
  const paths: string[] = []
  for (const [path, bytes] of Object.entries(tree)) {
    const file = join(root, path)
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, bytes)
    paths.push(file)
  }
  return paths
}

/** Every regular file under root, keyed by its slash-separated path relative to root. */
export async function readTree(root: string): Promise<Tree> {
  const tree: Tree = {}
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const file = join(entry.parentPath, entry.name)
    tree[relative(root, file).split('\\').join('/')] = await readFile(file)
  }
  return tree
}
