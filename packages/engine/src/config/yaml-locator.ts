// Maps a YAML path (`sink.with.batchSize`) back to a line and column of the pipeline file, so
// every config problem can be reported as `file:line:col path: message`.
import { type Document, isMap, isNode, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

/** A path into the pipeline: map keys and sequence indices. */
export type YamlPath = readonly (string | number)[];

export interface Position {
  line: number;
  col: number;
}

/** `sink.with.batchSize`, `transforms.0.with.fields`. */
export function formatYamlPath(path: YamlPath): string {
  return path.join('.');
}

/** Finds positions of values and keys in a parsed YAML document. */
export class YamlLocator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Line/column of the pair's key when `path` ends in a map key (for "unknown key"), else of the value. */
  locateKey(path: YamlPath): Position | undefined {
    if (path.length === 0) return this.locate(path);
    const parent = this.resolve(path.slice(0, -1));
    if (parent.complete && isMap(parent.node)) {
      const last = String(path[path.length - 1]);
      const pair = parent.node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === last);
      if (pair && isNode(pair.key) && pair.key.range) return this.position(pair.key.range[0]);
    }
    return this.locate(path);
  }

  /** Line/column of the value at `path`, or of its deepest existing ancestor. */
  locate(path: YamlPath): Position | undefined {
    const { trail } = this.resolve(path);
    for (let i = trail.length - 1; i >= 0; i--) {
      const range = trail[i].range;
      if (range) return this.position(range[0]);
    }
    return undefined;
  }

  private position(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, col };
  }

  /** Walks the document along `path`; `trail` holds every node reached, `complete` whether all of it was. */
  private resolve(path: YamlPath): { node: Node | undefined; trail: Node[]; complete: boolean } {
    const root = this.doc.contents;
    if (!isNode(root)) return { node: undefined, trail: [], complete: false };
    const trail: Node[] = [root];
    let node: Node = root;
    for (const segment of path) {
      let next: unknown;
      if (isMap(node)) {
        next = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment))?.value;
      } else if (isSeq(node)) {
        next = node.items[Number(segment)];
      }
      if (!isNode(next)) return { node: undefined, trail, complete: false };
      node = next;
      trail.push(node);
    }
    return { node, trail, complete: true };
  }
}
