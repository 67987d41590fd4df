/** `walk` (a relation over every [path, value] of a document), `graph.reachable`, `graph.reachable_paths`. */
import { BuiltinTypeError } from '../errors';
import { ObjectValue, SetValue, typeName, type Value } from '../value';
import { builtin, type BuiltinDef, type TypeSpec } from './registry';
import { objectOperand } from './operands';
import { DeadlinePoll } from './deadline';

/** Pre-order: the document itself, then each child (array index, object key, set element) in order. */
function walkInto(value: Value, path: Value[], out: Value[], poll: DeadlinePoll): void {
  poll.tick();
  out.push([path, value]);
  if (Array.isArray(value)) {
    value.forEach((child, i) => walkInto(child, [...path, i], out, poll));
  } else if (value instanceof ObjectValue) {
    for (const [k, child] of value.entries()) walkInto(child, [...path, k], out, poll);
  } else if (value instanceof SetValue) {
    for (const child of value.values()) walkInto(child, [...path, child], out, poll);
  }
}

/** Vertices of an array or set; anything else (e.g. null edges) has none. */
function vertices(v: Value): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof SetValue) return v.values();
  return [];
}

function initialVertices(args: readonly Value[]): Value[] {
  const initial = args[1];
  if (!Array.isArray(initial) && !(initial instanceof SetValue)) {
    throw new BuiltinTypeError(2, '{array, set}', typeName(initial));
  }
  return vertices(initial);
}

function reachable(graph: ObjectValue, initial: Value[], poll: DeadlinePoll): SetValue {
  const reached = new SetValue();
  const queue = [...initial];
  for (let i = 0; i < queue.length; i++) {
    poll.tick();
    const node = queue[i];
    const edges = graph.get(node);
    if (edges === undefined || reached.has(node)) continue;
    reached.add(node);
    for (const next of vertices(edges)) if (!reached.has(next)) queue.push(next);
  }
  return reached;
}

/**
 * Depth-first from `root`, recording each maximal path (ending at a leaf, a revisit or an unknown
 * node). `visited` is shared by the whole walk from one start edge, as OPA's implementation does,
 * so a node reached on one branch ends later sibling branches that meet it.
 */
function collectPaths(graph: ObjectValue, root: Value, path: Value[], visited: SetValue, out: SetValue, poll: DeadlinePoll): void {
  poll.tick();
  const edges = graph.get(root);
  if (edges === undefined) {
    out.add(path);
    return;
  }
  const extended = [...path, root];
  const next = vertices(edges);
  if (next.length === 0) {
    out.add(extended);
    return;
  }
  visited.add(root);
  for (const neighbor of next) {
    if (visited.has(neighbor)) out.add(extended);
    else collectPaths(graph, neighbor, extended, visited, out, poll);
  }
}

function reachablePaths(graph: ObjectValue, initial: Value[], poll: DeadlinePoll): SetValue {
  const out = new SetValue();
  for (const node of initial) {
    const edges = graph.get(node);
    if (edges === undefined) continue;
    const next = vertices(edges);
    if (next.length === 0) out.add([node]);
    for (const neighbor of next) collectPaths(graph, neighbor, [node], SetValue.of([node]), out, poll);
  }
  return out;
}

const VERTICES: TypeSpec = { anyOf: [{ array: 'any' }, { set: 'any' }] };

export const graphBuiltins: BuiltinDef[] = [
  builtin({
    name: 'walk',
    args: ['any'],
    result: { tuple: [{ array: 'any' }, 'any'] },
    category: 'graph',
    relation: true,
    impl: ([doc], ctx) => {
      const out: Value[] = [];
      walkInto(doc, [], out, new DeadlinePoll(ctx));
      return out;
    },
  }),
  builtin({
    name: 'graph.reachable',
    args: [{ object: ['any', VERTICES] }, VERTICES],
    result: { set: 'any' },
    category: 'graph',
    impl: (args, ctx) => reachable(objectOperand(args[0], 1), initialVertices(args), new DeadlinePoll(ctx)),
  }),
  builtin({
    name: 'graph.reachable_paths',
    args: [{ object: ['any', VERTICES] }, VERTICES],
    result: { set: { array: 'any' } },
    category: 'graph',
    impl: (args, ctx) => reachablePaths(objectOperand(args[0], 1), initialVertices(args), new DeadlinePoll(ctx)),
  }),
];
