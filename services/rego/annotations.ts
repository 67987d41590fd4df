/**
 * `# METADATA` blocks: a comment line reading `METADATA` followed by YAML in the comment lines
 * directly below it (each starting in column 1). A block belongs to the next package or rule.
 */
import { parse as parseYaml } from 'yaml';
import { RegoError } from './errors';
import type { Annotation, Module, Rule } from './ast';
import type { Comment } from './lexer';

const SCOPES = new Set(['package', 'rule', 'document', 'subpackages']);

interface Block {
  row: number;
  col: number;
  endRow: number;
  lines: string[];
}

function metadataBlocks(comments: readonly Comment[]): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  for (const c of comments) {
    if (current && c.row === current.endRow + 1 && c.col === 1) {
      current.lines.push(c.text);
      current.endRow = c.row;
      continue;
    }
    current = null;
    if (c.text.trim() === 'METADATA') {
      current = { row: c.row, col: c.col, endRow: c.row, lines: [] };
      blocks.push(current);
    }
  }
  return blocks;
}

function blockData(block: Block, file: string): Record<string, unknown> {
  const loc = { file, row: block.row, col: block.col };
  let parsed: unknown;
  try {
    parsed = parseYaml(block.lines.join('\n'));
  } catch (e) {
    throw new RegoError('rego_parse_error', `yaml: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, loc);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new RegoError('rego_parse_error', 'yaml: METADATA block must be a mapping', loc);
  }
  return parsed as Record<string, unknown>;
}

/** `"Jane Doe <jane@example.com>"` → {name, email}, as OPA normalises authors. */
function author(a: unknown): unknown {
  if (typeof a !== 'string') return a;
  const m = /^\s*(.*?)\s*<([^>]*)>\s*$/.exec(a);
  if (!m) return { name: a.trim() };
  return m[1] === '' ? { email: m[2] } : { name: m[1], email: m[2] };
}

/** OPA's normalised form: authors and related resources given as strings become objects. */
function normalise(data: Record<string, unknown>): Record<string, unknown> {
  const out = { ...data };
  if (Array.isArray(out.authors)) out.authors = out.authors.map(author);
  if (Array.isArray(out.related_resources)) {
    out.related_resources = out.related_resources.map((r) => (typeof r === 'string' ? { ref: r } : r));
  }
  return out;
}

/** Parses the module's METADATA comment blocks and attaches them to its package and rules. */
export function attachAnnotations(module: Module, comments: readonly Comment[]): void {
  const blocks = metadataBlocks(comments);
  if (blocks.length === 0) return;
  const rulesByRow = [...module.rules].sort((a, b) => a.loc.row - b.loc.row);
  for (const block of blocks) {
    const data = blockData(block, module.file);
    const loc = { file: module.file, row: block.row, col: block.col };
    const target: Rule | 'package' | null =
      module.loc.row > block.endRow ? 'package' : (rulesByRow.find((r) => r.loc.row > block.endRow) ?? null);
    if (target === null) continue;
    const declared = data.scope;
    const scope = declared === undefined ? (target === 'package' ? 'package' : 'rule') : String(declared);
    if (!SCOPES.has(scope)) throw new RegoError('rego_parse_error', `invalid annotation scope '${scope}'`, loc);
    const annotation: Annotation = { scope: scope as Annotation['scope'], data: { ...normalise(data), scope }, loc };
    if (target === 'package') {
      if (scope === 'rule' || scope === 'document') {
        throw new RegoError('rego_parse_error', `annotation scope '${scope}' must be applied to rule`, loc);
      }
      module.annotations.push(annotation);
    } else {
      if (scope === 'package' || scope === 'subpackages') {
        throw new RegoError('rego_parse_error', `annotation scope '${scope}' must be applied to package`, loc);
      }
      target.annotations = [...(target.annotations ?? []), annotation];
    }
  }
}
