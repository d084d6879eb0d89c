// The IC's certified state tree (interface spec, "Certification" / "Encoding of certificates").
import { sha256 } from '@noble/hashes/sha2'
import { concatBytes } from '@noble/hashes/utils'

export type HashTree =
  [0] | [1, HashTree, HashTree] | [2, Uint8Array, HashTree] | [3, Uint8Array] | [4, Uint8Array]

/** A labelled tree before it is turned into forks: a leaf value, or children keyed by label. */
export type LabeledTree = Uint8Array | Map<string, LabeledTree>

const encoder = new TextEncoder()

function domainSeparator(name: string): Uint8Array {
  const bytes = encoder.encode(name)
  return concatBytes(new Uint8Array([bytes.length]), bytes)
}

const EMPTY = domainSeparator('ic-hashtree-empty')
const FORK = domainSeparator('ic-hashtree-fork')
const LABELED = domainSeparator('ic-hashtree-labeled')
const LEAF = domainSeparator('ic-hashtree-leaf')

export function reconstruct(tree: HashTree): Uint8Array {
  switch (tree[0]) {
    case 0:
      return sha256(EMPTY)
    case 1:
      return sha256(concatBytes(FORK, reconstruct(tree[1]), reconstruct(tree[2])))
    case 2:
      return sha256(concatBytes(LABELED, tree[1], reconstruct(tree[2])))
    case 3:
      return sha256(concatBytes(LEAF, tree[1]))
    case 4:
      return tree[1]
  }
}

/** Labels are kept as latin1 strings in maps so that byte labels compare and sort as bytes. */
export function label(bytes: Uint8Array | string): string {
  return typeof bytes === 'string'
    ? Buffer.from(encoder.encode(bytes)).toString('latin1')
    : Buffer.from(bytes).toString('latin1')
}

function labelBytes(key: string): Uint8Array {
  return new Uint8Array(Buffer.from(key, 'latin1'))
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'))
}

/** Turns a labelled tree into a balanced fork tree; clients only need labels in ascending byte order. */
export function toHashTree(tree: LabeledTree): HashTree {
  if (tree instanceof Uint8Array) return [3, tree]
  const children = [...tree.entries()]
    .sort(([a], [b]) => compareBytes(a, b))
    .map(([key, sub]): HashTree => [2, labelBytes(key), toHashTree(sub)])
  return balancedForks(children)
}

function balancedForks(nodes: HashTree[]): HashTree {
  if (nodes.length === 0) return [0]
  if (nodes.length === 1) return nodes[0]
  const middle = Math.ceil(nodes.length / 2)
  return [1, balancedForks(nodes.slice(0, middle)), balancedForks(nodes.slice(middle))]
}

/** Builds a nested map from [path, value] pairs; later pairs win. */
export function treeFromPaths(
  entries: Array<[Array<Uint8Array | string>, Uint8Array]>
): Map<string, LabeledTree> {
  const root = new Map<string, LabeledTree>()
  for (const [path, value] of entries) {
    let node = root
    path.forEach((segment, index) => {
      const key = label(segment)
      if (index === path.length - 1) {
        node.set(key, value)
        return
      }
      let next = node.get(key)
      if (!(next instanceof Map)) {
        next = new Map()
        node.set(key, next)
      }
      node = next
    })
  }
  return root
}

/**
 * Keeps the subtrees under the requested paths and prunes everything else, as the IC does for read_state
 * (a path that ends early selects the whole subtree).
 */
export function selectPaths(tree: Map<string, LabeledTree>, paths: Uint8Array[][]): Map<string, LabeledTree> {
  const selected = new Map<string, LabeledTree>()
  for (const path of paths) copyPath(tree, selected, path)
  return selected
}

function copyPath(from: Map<string, LabeledTree>, to: Map<string, LabeledTree>, path: Uint8Array[]): void {
  if (path.length === 0) {
    for (const [key, value] of from) to.set(key, value)
    return
  }
  const key = label(path[0])
  const child = from.get(key)
  if (child === undefined) return
  if (child instanceof Uint8Array || path.length === 1) {
    to.set(key, child)
    return
  }
  let target = to.get(key)
  if (!(target instanceof Map)) {
    target = new Map()
    to.set(key, target)
  }
  copyPath(child, target, path.slice(1))
}

/**
 * The whole tree as a hash tree in which only the requested paths are revealed and every other subtree is
 * pruned to its digest: its root hash, and so a signature over it, is the full tree's. This is how the IC
 * cuts one signed NNS delegation down for each request (dfinity/ic,
 * rs/http_endpoints/nns_delegation_manager/src/nns_delegation_reader.rs, `try_build`: `filtered`).
 */
export function prunedHashTree(tree: LabeledTree, paths: Array<Array<Uint8Array | string>>): HashTree {
  if (tree instanceof Uint8Array) return [3, tree]
  const children = [...tree.entries()]
    .sort(([a], [b]) => compareBytes(a, b))
    .map(([key, sub]): HashTree => {
      const below = paths.filter(path => path.length > 0 && label(path[0]) === key).map(path => path.slice(1))
      const revealed = below.some(path => path.length === 0)
        ? toHashTree(sub)
        : below.length > 0
          ? prunedHashTree(sub, below)
          : ([4, reconstruct(toHashTree(sub))] as HashTree)
      return [2, labelBytes(key), revealed]
    })
  return balancedForks(children)
}

/** The largest label under `node` that is not greater than `bound`, by bytes (ic_crypto_tree_hash's lookup_lower_bound). */
export function lowerBoundLabel(node: LabeledTree | undefined, bound: Uint8Array): string | undefined {
  if (!(node instanceof Map)) return undefined
  const limit = label(bound)
  return [...node.keys()]
    .filter(key => compareBytes(key, limit) <= 0)
    .sort(compareBytes)
    .at(-1)
}
