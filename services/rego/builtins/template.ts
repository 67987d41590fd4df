/**
 * The subset of Go's text/template that strings.render_template needs: field and variable
 * references, pipelines with the comparison/logic/len/index/print functions, if/else, range,
 * with, variable declarations, comments and trim markers. A missing map key renders as
 * `<undefined>`, as OPA does.
 */
import { BuiltinError } from '../errors';
import { compare, equal, isArray, isNumber, isObject, isSet, ObjectValue, type Value } from '../value';
import { goFloatText } from './sprintf';

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipeline }
  | { kind: 'if' | 'with'; pipe: Pipeline; then: Node[]; otherwise: Node[] }
  | { kind: 'range'; pipe: Pipeline; body: Node[]; otherwise: Node[] };

interface Pipeline {
  decl: string[];
  commands: Operand[][];
}

type Operand =
  | { kind: 'field'; base: 'dot' | string; path: string[] }
  | { kind: 'literal'; value: TemplateValue }
  | { kind: 'func'; name: string }
  | { kind: 'pipe'; pipe: Pipeline };

/** A missing map key: prints as `<undefined>`, is false in conditions. */
const MISSING = Symbol('missing');
type TemplateValue = Value | typeof MISSING;

// ------------------------------------------------------------------------------------ lexing

interface Token {
  text: string;
  action: boolean;
}

function splitActions(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      out.push({ text: src.slice(i), action: false });
      break;
    }
    let text = src.slice(i, open);
    let start = open + 2;
    if (src.startsWith('- ', start) || src.startsWith('-\t', start) || src.startsWith('-\n', start)) {
      text = text.replace(/\s+$/, '');
      start += 1;
    }
    const close = src.indexOf('}}', start);
    if (close < 0) throw new BuiltinError('template: unclosed action');
    let body = src.slice(start, close);
    let next = close + 2;
    if (/\s-$/.test(body)) {
      body = body.slice(0, -1);
      const m = /^\s*/.exec(src.slice(next));
      next += m ? m[0].length : 0;
    }
    if (text) out.push({ text, action: false });
    out.push({ text: body.trim(), action: true });
    i = next;
  }
  return out;
}

const WORD = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|\(|\)|\||:=|=|,|[^\s()|,]+)/y;

function words(action: string): string[] {
  const out: string[] = [];
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(action)) !== null) out.push(m[1]);
  return out;
}

// ----------------------------------------------------------------------------------- parsing

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parseList(terminators: string[]): { nodes: Node[]; end: string } {
    const nodes: Node[] = [];
    while (this.pos < this.tokens.length) {
      const tok = this.tokens[this.pos++];
      if (!tok.action) {
        nodes.push({ kind: 'text', text: tok.text });
        continue;
      }
      if (tok.text.startsWith('/*')) continue;
      const w = words(tok.text);
      const keyword = w[0];
      if (terminators.includes(keyword) && (keyword !== 'else' || w.length === 1 || w[1] === 'if')) {
        return { nodes, end: tok.text };
      }
      if (keyword === 'if' || keyword === 'with') nodes.push(this.parseBranch(keyword, w.slice(1)));
      else if (keyword === 'range') nodes.push(this.parseRange(w.slice(1)));
      else nodes.push({ kind: 'action', pipe: parsePipeline(w) });
    }
    if (terminators.length > 0) throw new BuiltinError('template: unexpected EOF');
    return { nodes, end: '' };
  }

  private parseBranch(kind: 'if' | 'with', rest: string[]): Node {
    const pipe = parsePipeline(rest);
    const body = this.parseList(['end', 'else']);
    let otherwise: Node[] = [];
    if (body.end !== 'end') {
      const w = words(body.end);
      if (w[1] === 'if' || w[1] === 'with') otherwise = [this.parseBranch(w[1] as 'if' | 'with', w.slice(2))];
      else otherwise = this.parseList(['end']).nodes;
    }
    return { kind, pipe, then: body.nodes, otherwise };
  }

  private parseRange(rest: string[]): Node {
    const pipe = parsePipeline(rest);
    const body = this.parseList(['end', 'else']);
    const otherwise = body.end !== 'end' ? this.parseList(['end']).nodes : [];
    return { kind: 'range', pipe, body: body.nodes, otherwise };
  }
}

function parsePipeline(w: string[]): Pipeline {
  let decl: string[] = [];
  const assign = w.findIndex((x) => x === ':=' || x === '=');
  if (assign > 0) {
    decl = w.slice(0, assign).filter((x) => x !== ',');
    w = w.slice(assign + 1);
  }
  const commands: Operand[][] = [];
  let current: Operand[] = [];
  for (let i = 0; i < w.length; i++) {
    const x = w[i];
    if (x === '|') {
      commands.push(current);
      current = [];
    } else if (x === '(') {
      let depth = 1;
      let j = i + 1;
      while (j < w.length && depth > 0) {
        if (w[j] === '(') depth++;
        if (w[j] === ')') depth--;
        j++;
      }
      current.push({ kind: 'pipe', pipe: parsePipeline(w.slice(i + 1, j - 1)) });
      i = j - 1;
    } else {
      current.push(parseOperand(x));
    }
  }
  commands.push(current);
  return { decl, commands };
}

function parseOperand(x: string): Operand {
  if (x === '.') return { kind: 'field', base: 'dot', path: [] };
  if (x.startsWith('.')) return { kind: 'field', base: 'dot', path: x.slice(1).split('.') };
  if (x.startsWith('$')) {
    const [name, ...path] = x.split('.');
    return { kind: 'field', base: name, path };
  }
  if (x.startsWith('"')) return { kind: 'literal', value: JSON.parse(x) as string };
  if (x.startsWith('`')) return { kind: 'literal', value: x.slice(1, -1) };
  if (x === 'true' || x === 'false') return { kind: 'literal', value: x === 'true' };
  if (x === 'nil') return { kind: 'literal', value: null };
  if (/^[-+]?\d/.test(x) && Number.isFinite(Number(x))) return { kind: 'literal', value: Number(x) };
  return { kind: 'func', name: x };
}

// --------------------------------------------------------------------------------- execution

class Scope {
  private readonly vars: Map<string, TemplateValue>[];
  constructor(root: TemplateValue) {
    this.vars = [new Map([['$', root]])];
  }
  push(): void {
    this.vars.push(new Map());
  }
  pop(): void {
    this.vars.pop();
  }
  set(name: string, v: TemplateValue): void {
    this.vars[this.vars.length - 1].set(name, v);
  }
  get(name: string): TemplateValue {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i].get(name);
      if (v !== undefined) return v;
    }
    throw new BuiltinError(`template: undefined variable: ${name}`);
  }
}

function truthy(v: TemplateValue): boolean {
  if (v === MISSING || v === null || v === false || v === 0 || v === '') return false;
  if (isArray(v)) return v.length > 0;
  if (isObject(v) || isSet(v)) return v.size > 0;
  return true;
}

function field(v: TemplateValue, name: string): TemplateValue {
  if (v === MISSING) return MISSING;
  if (isObject(v)) return v.get(name) ?? MISSING;
  throw new BuiltinError(`template: can't evaluate field ${name}`);
}

/** fmt.Sprint of the Go value OPA hands to the template (float64, []any, map[string]any). */
function printValue(v: TemplateValue): string {
  if (v === MISSING) return '<undefined>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  // OPA hands the template JSON-decoded data, so every number is a float64.
  if (isNumber(v)) return goFloatText(typeof v === 'number' ? v : v.d.toNumber());
  if (isArray(v)) return '[' + v.map(printValue).join(' ') + ']';
  if (isSet(v)) return '[' + v.values().map(printValue).join(' ') + ']';
  return 'map[' + (v as ObjectValue).entries().map(([k, x]) => `${printValue(k)}:${printValue(x)}`).join(' ') + ']';
}

const FUNCS: Record<string, (args: TemplateValue[]) => TemplateValue> = {
  eq: ([a, ...bs]) => bs.some((b) => equalT(a, b)),
  ne: ([a, b]) => !equalT(a, b),
  lt: ([a, b]) => compareT(a, b) < 0,
  le: ([a, b]) => compareT(a, b) <= 0,
  gt: ([a, b]) => compareT(a, b) > 0,
  ge: ([a, b]) => compareT(a, b) >= 0,
  not: ([a]) => !truthy(a),
  and: (args) => args.find((a) => !truthy(a)) ?? args[args.length - 1],
  or: (args) => args.find((a) => truthy(a)) ?? args[args.length - 1],
  len: ([a]) => {
    if (typeof a === 'string') return Buffer.byteLength(a);
    if (a !== MISSING && a !== null && (isArray(a) || isObject(a) || isSet(a))) return isArray(a) ? a.length : a.size;
    throw new BuiltinError("template: len of unsupported type");
  },
  index: ([a, ...keys]) => {
    let cur = a;
    for (const k of keys) {
      if (cur !== MISSING && isArray(cur) && typeof k === 'number') cur = cur[k] ?? MISSING;
      else if (cur !== MISSING && cur !== null && isObject(cur)) cur = cur.get(k as Value) ?? MISSING;
      else throw new BuiltinError("template: can't index item");
    }
    return cur;
  },
  print: (args) => args.map(printValue).join(''),
  println: (args) => args.map(printValue).join(' ') + '\n',
};

function plain(v: TemplateValue): Value {
  return v === MISSING ? null : v;
}

function equalT(a: TemplateValue, b: TemplateValue): boolean {
  return equal(plain(a), plain(b));
}

function compareT(a: TemplateValue, b: TemplateValue): number {
  return compare(plain(a), plain(b));
}

class Executor {
  out = '';
  constructor(private readonly scope: Scope) {}

  run(nodes: Node[], dot: TemplateValue): void {
    for (const node of nodes) this.node(node, dot);
  }

  private node(node: Node, dot: TemplateValue): void {
    switch (node.kind) {
      case 'text':
        this.out += node.text;
        return;
      case 'action': {
        const v = this.pipeline(node.pipe, dot);
        if (node.pipe.decl.length === 0) this.out += printValue(v);
        return;
      }
      case 'if':
      case 'with': {
        this.scope.push();
        const v = this.pipeline(node.pipe, dot);
        if (truthy(v)) this.run(node.then, node.kind === 'with' ? v : dot);
        else this.run(node.otherwise, dot);
        this.scope.pop();
        return;
      }
      case 'range':
        this.range(node, dot);
    }
  }

  private range(node: Extract<Node, { kind: 'range' }>, dot: TemplateValue): void {
    const coll = this.evalCommand(node.pipe.commands[0], dot, undefined);
    const pairs: [Value, Value][] =
      coll === MISSING || coll === null
        ? []
        : isArray(coll)
          ? coll.map((v, i) => [i, v])
          : isObject(coll)
            ? coll.entries()
            : isSet(coll)
              ? coll.values().map((v, i) => [i, v])
              : [];
    if (pairs.length === 0) {
      this.run(node.otherwise, dot);
      return;
    }
    const [first, second] = node.pipe.decl;
    for (const [k, v] of pairs) {
      this.scope.push();
      if (second !== undefined) {
        this.scope.set(first, k);
        this.scope.set(second, v);
      } else if (first !== undefined) {
        this.scope.set(first, v);
      }
      this.run(node.body, v);
      this.scope.pop();
    }
  }

  private pipeline(pipe: Pipeline, dot: TemplateValue): TemplateValue {
    let v: TemplateValue | undefined;
    for (const cmd of pipe.commands) v = this.evalCommand(cmd, dot, v);
    const result = v === undefined ? MISSING : v;
    for (const name of pipe.decl) this.scope.set(name, result);
    return result;
  }

  private evalCommand(cmd: Operand[], dot: TemplateValue, piped: TemplateValue | undefined): TemplateValue {
    const [head, ...rest] = cmd;
    if (head === undefined) throw new BuiltinError('template: empty command');
    if (head.kind === 'func') {
      const fn = FUNCS[head.name];
      if (!fn) throw new BuiltinError(`template: function "${head.name}" not defined`);
      const args = rest.map((o) => this.operand(o, dot));
      if (piped !== undefined) args.push(piped);
      return fn(args);
    }
    return this.operand(head, dot);
  }

  private operand(o: Operand, dot: TemplateValue): TemplateValue {
    switch (o.kind) {
      case 'literal':
        return o.value;
      case 'pipe':
        return this.pipeline(o.pipe, dot);
      case 'func':
        return this.evalCommand([o], dot, undefined);
      case 'field': {
        let v = o.base === 'dot' ? dot : this.scope.get(o.base);
        for (const name of o.path) v = field(v, name);
        return v;
      }
    }
  }
}

export function renderTemplate(source: string, vars: ObjectValue): string {
  const nodes = new Parser(splitActions(source)).parseList([]).nodes;
  const exec = new Executor(new Scope(vars));
  exec.run(nodes, vars);
  return exec.out;
}
