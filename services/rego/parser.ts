/**
 * Recursive-descent parser for Rego v1, producing the ast.ts tree. It follows OPA's grammar and
 * precedence (`in` < comparison < `|` < `&` < `+ -` < `* / %`), OPA's v1 rules (`if` before
 * bodies, `contains` for multi-value rules) and OPA's treatment of keywords used as ref operands.
 * Every failure surfaces as RegoErrors with code `rego_parse_error` and a file:row:col location.
 */
import { parseNumber } from './value';
import { RegoError, RegoErrors } from './errors';
import { KEYWORDS, Lexer, type LexerState, type Token } from './lexer';
import { attachAnnotations } from './annotations';
import type {
  Body,
  CallTerm,
  ElseClause,
  Every,
  Expr,
  Import,
  Location,
  Module,
  RefTerm,
  Rule,
  RuleHead,
  ScalarTerm,
  SomeDecl,
  SomeIn,
  Term,
  TermExpr,
  VarTerm,
  WithModifier,
} from './ast';

const ROOT_DOCUMENTS = new Set(['data', 'input']);
/** As OPA, stop collecting parse errors of one file after this many. */
const MAX_ERRORS = 10;
const FUTURE_KEYWORDS = new Set(['contains', 'every', 'if', 'in']);
const IMPORT_ROOTS = new Set(['data', 'input', 'future', 'rego']);
const RELATION_OPS: Record<string, string> = { '==': 'equal', '!=': 'neq', '<': 'lt', '>': 'gt', '<=': 'lte', '>=': 'gte' };
const ARITH_OPS: Record<string, string> = { '+': 'plus', '-': 'minus' };
const FACTOR_OPS: Record<string, string> = { '*': 'mul', '/': 'div', '%': 'rem' };

interface ParserState {
  lexer: LexerState;
  tok: Token;
  lastEndRow: number;
  wildcards: number;
}

class Parser {
  private readonly lx: Lexer;
  private tok: Token;
  private lastEndRow = 1;
  private wildcards = 0;

  constructor(source: string, file: string) {
    this.lx = new Lexer(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source, file);
    this.tok = this.lx.next();
  }

  // ------------------------------------------------------------------------------ entry points

  module(): Module {
    const pkgTok = this.tok;
    if (!this.isKeyword('package')) throw this.unexpected('expected package');
    this.advance();
    const packagePath = this.packagePath();
    const module: Module = {
      packagePath,
      imports: [],
      rules: [],
      annotations: [],
      file: this.lx.file,
      loc: this.loc(pkgTok),
    };
    const errors: RegoError[] = [];
    while (this.tok.kind !== 'eof' && errors.length < MAX_ERRORS) {
      const start = this.tok;
      try {
        if (this.isKeyword('import') && !this.keywordIsRef()) module.imports.push(this.importDecl());
        else if (this.isKeyword('package') && !this.keywordIsRef()) throw this.unexpected('a file holds one package');
        else module.rules.push(...this.rules());
      } catch (e) {
        if (!(e instanceof RegoError)) throw e;
        errors.push(e);
        this.recover(start);
      }
    }
    if (errors.length > 0) throw new RegoErrors(errors);
    attachAnnotations(module, this.lx.comments);
    return module;
  }

  /**
   * After a statement failed, skips to the next token that starts a line in column 1 (where the
   * next rule or import most likely begins), so one run reports the errors of several statements.
   */
  private recover(failedAt: Token): void {
    for (;;) {
      if (this.tok.kind === 'eof') return;
      if (this.tok !== failedAt && this.tok.nl && this.tok.col === 1) return;
      try {
        this.advance();
      } catch (e) {
        if (!(e instanceof RegoError)) throw e;
        this.lx.skipChar();
      }
    }
  }

  query(): Body {
    return this.bodyUntil('eof');
  }

  singleTerm(): Term {
    const term = this.termIn(true);
    if (this.tok.kind !== 'eof') throw this.unexpected('expected end of term');
    return term;
  }

  // ------------------------------------------------------------------------------ token helpers

  private advance(): void {
    this.lastEndRow = this.lx.currentRow;
    this.tok = this.lx.next();
  }

  private save(): ParserState {
    return { lexer: this.lx.save(), tok: this.tok, lastEndRow: this.lastEndRow, wildcards: this.wildcards };
  }

  private restore(s: ParserState): void {
    this.lx.restore(s.lexer);
    this.tok = s.tok;
    this.lastEndRow = s.lastEndRow;
    this.wildcards = s.wildcards;
  }

  private isPunct(p: string): boolean {
    return this.tok.kind === 'punct' && this.tok.text === p;
  }

  private isString(): boolean {
    return this.tok.kind === 'string';
  }

  private isKeyword(k: string): boolean {
    return this.tok.kind === 'keyword' && this.tok.text === k;
  }

  /** A keyword immediately followed by `.` or `[` is a ref head (`else.foo`, `true[x]`), as in OPA. */
  private keywordIsRef(): boolean {
    if (this.tok.kind !== 'keyword') return false;
    const next = this.lx.source[this.tok.end];
    return next === '.' || next === '[';
  }

  /** Identifier, or a keyword acting as one (ref head or `contains` outside rule heads). */
  private isName(): boolean {
    return this.tok.kind === 'ident' || this.keywordIsRef();
  }

  private expectPunct(p: string, context: string): void {
    if (!this.isPunct(p)) throw this.unexpected(`expected ${p} ${context}`.trim());
  }

  private loc(t: Token): Location {
    return { file: this.lx.file, row: t.row, col: t.col };
  }

  private fail(message: string, t: Token = this.tok): RegoError {
    return new RegoError('rego_parse_error', message, this.loc(t));
  }

  private unexpected(expected?: string): RegoError {
    const t = this.tok;
    const what = t.kind === 'eof' ? 'eof' : t.kind === 'string' ? 'string' : t.kind === 'number' ? 'number' : t.kind === 'template' ? 'template-string' : t.text;
    const kind = t.kind === 'ident' ? 'ident' : t.kind === 'keyword' ? `${t.text} keyword` : `${what} token`;
    const base = t.kind === 'ident' ? `unexpected ident ${t.text}` : `unexpected ${kind}`;
    return this.fail(expected ? `${base}: ${expected}` : base);
  }

  // ------------------------------------------------------------------------------ package, import

  private packagePath(): string[] {
    if (this.tok.kind !== 'ident' && this.tok.kind !== 'keyword') throw this.unexpected('expected package path');
    const path = [this.tok.text];
    this.advance();
    for (;;) {
      if (this.isPunct('.') && !this.tok.ws) {
        this.advance();
        if ((this.tok.kind !== 'ident' && this.tok.kind !== 'keyword') || this.tok.ws) throw this.unexpected('expected ident');
        path.push(this.tok.text);
        this.advance();
      } else if (this.isPunct('[') && !this.tok.ws) {
        this.advance();
        if (!this.isString()) throw this.unexpected('expected string');
        path.push(this.tok.text);
        this.advance();
        this.expectPunct(']', 'to close package path');
        this.advance();
      } else {
        return path;
      }
    }
  }

  private importDecl(): Import {
    const start = this.tok;
    this.advance();
    if (this.tok.kind !== 'ident' && this.tok.kind !== 'keyword') throw this.unexpected('expected import path');
    const headTok = this.tok;
    const head: VarTerm = { type: 'var', name: headTok.text, loc: this.loc(headTok) };
    const path: Term[] = [head];
    let last = headTok.text;
    this.advance();
    for (;;) {
      if (this.isPunct('.') && !this.tok.ws) {
        this.advance();
        if ((this.tok.kind !== 'ident' && this.tok.kind !== 'keyword') || this.tok.ws) throw this.unexpected('expected ident');
        path.push(this.scalar(this.tok.text, this.tok));
        last = this.tok.text;
        this.advance();
      } else if (this.isPunct('[') && !this.tok.ws) {
        this.advance();
        if (!this.isString()) throw this.unexpected('expecting string');
        path.push(this.scalar(this.tok.text, this.tok));
        last = this.tok.text;
        this.advance();
        this.expectPunct(']', 'to close import path');
        this.advance();
      } else {
        break;
      }
    }
    if (!IMPORT_ROOTS.has(head.name)) {
      throw this.fail(`unexpected import path, must begin with one of: {data, future, input, rego}, got: ${head.name}`, headTok);
    }
    this.checkSpecialImport(head.name, path, headTok);
    const ref: RefTerm = { type: 'ref', path, loc: head.loc };
    let alias: string | null = null;
    if (this.isKeyword('as') && !this.keywordIsRef()) {
      this.advance();
      if (this.tok.kind !== 'ident') throw this.unexpected('expected var');
      alias = this.tok.text;
      this.advance();
    } else if (head.name !== 'future' && KEYWORDS.has(last)) {
      throw this.fail(`unexpected import path, must not end with a keyword, got: ${last}`, headTok);
    }
    return { path: ref, alias, loc: this.loc(start) };
  }

  /** `future.keywords[.kw]` and `rego.v1` are the only imports of those roots OPA accepts. */
  private checkSpecialImport(root: string, path: Term[], at: Token): void {
    const names = path.slice(1).map((t) => (t.type === 'scalar' ? String(t.value) : ''));
    if (root === 'future') {
      if (names[0] !== 'keywords' || names.length > 2) throw this.fail('invalid import, must be `future.keywords` or `future.keywords.<keyword>`', at);
      if (names.length === 2 && !FUTURE_KEYWORDS.has(names[1])) {
        throw this.fail(`unexpected keyword, must be one of [${[...FUTURE_KEYWORDS].join(' ')}]`, at);
      }
    } else if (root === 'rego' && (names.length !== 1 || names[0] !== 'v1')) {
      throw this.fail(`invalid import \`${['rego', ...names].join('.')}\`, must be \`rego.v1\``, at);
    }
  }

  // ------------------------------------------------------------------------------ rules

  private rules(): Rule[] {
    const start = this.tok;
    let isDefault = false;
    if (this.isKeyword('default') && !this.keywordIsRef()) {
      isDefault = true;
      this.advance();
    }
    if (!this.isName()) throw this.unexpected(isDefault ? 'expected rule head' : 'expected rule');
    const head = this.ruleHead();
    const explicitValue = head.value !== null;
    const isMultiValue = head.key !== null;

    if (isDefault) {
      if (isMultiValue) throw this.fail('default rules cannot be multi-value rules', start);
      if (head.value === null) throw this.fail(`default rule value expected (e.g., default ${refText(head.ref)} := <VALUE>)`, start);
      this.checkDefaultValue(head.value);
      return [{ head, body: [], isDefault: true, elses: [], loc: this.loc(start), endRow: this.lastEndRow, annotations: null }];
    }

    const hasIf = this.isKeyword('if') && !this.keywordIsRef();
    const isObjectLike = head.ref.path.length === 2 && head.args === null && !isMultiValue;
    if (!explicitValue && !isMultiValue) {
      if (isObjectLike && !hasIf) {
        throw this.fail('`contains` keyword is required for partial set rules', start);
      }
      head.value = this.scalar(true, start);
    }

    let body: Body;
    if (hasIf) {
      this.advance();
      body = this.ifBody();
    } else if (this.isPunct('{')) {
      throw this.fail('`if` keyword is required before rule body');
    } else if (explicitValue || isMultiValue) {
      body = [this.trueExpr(start)];
    } else {
      throw this.unexpected('expected rule value or body');
    }

    const rule: Rule = { head, body, isDefault: false, elses: [], loc: this.loc(start), endRow: this.lastEndRow, annotations: null };
    if (this.isKeyword('else') && !this.keywordIsRef()) {
      if (isMultiValue) throw this.fail('else keyword cannot be used on multi-value rules');
      if (head.ref.path.slice(1).some((t) => !isGround(t))) throw this.fail('else keyword cannot be used on rules with variables in head');
      rule.elses = this.elseChain();
      rule.endRow = this.lastEndRow;
    }
    const rules = [rule];
    while (this.isPunct('{')) {
      if (rule.elses.length > 0) throw this.fail('expected else keyword');
      const open = this.tok;
      const extraBody = this.braceBody();
      rules.push({ head, body: extraBody, isDefault: false, elses: [], loc: this.loc(open), endRow: this.lastEndRow, annotations: null });
    }
    return rules;
  }

  private ruleHead(): RuleHead {
    const start = this.tok;
    const first: VarTerm = { type: 'var', name: this.tok.text, loc: this.loc(this.tok) };
    this.advance();
    const path: Term[] = [first];
    let args: Term[] | null = null;
    let firstStep = true;
    // OPA lets whitespace precede the first `.`, `[` or `(` of a rule head.
    while ((this.isPunct('.') || this.isPunct('[') || this.isPunct('(')) && (firstStep || !this.tok.ws) && args === null) {
      firstStep = false;
      if (this.isPunct('.')) {
        this.advance();
        if ((this.tok.kind !== 'ident' && this.tok.kind !== 'keyword') || this.tok.ws) throw this.unexpected('expected ident');
        path.push(this.scalar(this.tok.text, this.tok));
        this.advance();
      } else if (this.isPunct('[')) {
        this.advance();
        path.push(this.termIn(true));
        this.expectPunct(']', 'to close rule head ref');
        this.advance();
      } else {
        args = this.termList(')');
      }
    }
    const ref: RefTerm = { type: 'ref', path, loc: first.loc };
    const head: RuleHead = { ref, args, key: null, value: null, assign: false, loc: this.loc(start) };
    if (this.isKeyword('contains') && !this.keywordIsRef()) {
      if (args !== null) {
        throw this.fail(`the contains keyword can only be used with multi-value rule definitions (e.g., ${refText(ref)} contains <VALUE> { ... })`);
      }
      this.advance();
      head.key = this.termIn(true);
    } else if (this.isPunct('=') || this.isPunct(':=')) {
      head.assign = this.tok.text === ':=';
      this.advance();
      head.value = this.termIn(true);
    } else if (this.isPunct('==') || this.isPunct('!=') || this.isPunct('<') || this.isPunct('>') || this.isPunct('+') || this.isPunct('-')) {
      throw this.unexpected();
    }
    return head;
  }

  /** After `if`: `{ body }` or a single literal. */
  private ifBody(): Body {
    if (this.isPunct('{') && !this.startsObjectLiteral()) return this.braceBody();
    if (this.tok.kind === 'eof') throw this.unexpected('rule body expected');
    return [this.literal()];
  }

  /** `if {k: v | …}` is a one-literal body holding an object (comprehension), as OPA reads it. */
  private startsObjectLiteral(): boolean {
    const next = this.lx.peekWord(this.tok.end);
    // Bodies mostly open with a keyword or an identifier statement; only try a term when it could be a key.
    if (next === 'some' || next === 'not' || next === 'every') return false;
    const saved = this.save();
    const isObject = this.tryParse(() => {
      this.advance();
      this.term();
      return this.isPunct(':');
    });
    this.restore(saved);
    return isObject === true;
  }

  private elseChain(): ElseClause[] {
    const elses: ElseClause[] = [];
    while (this.isKeyword('else') && !this.keywordIsRef()) {
      const start = this.tok;
      this.advance();
      let value: Term;
      if (this.isPunct('=') || this.isPunct(':=')) {
        this.advance();
        value = this.termIn(true);
      } else if (this.isPunct('{') || (this.isKeyword('if') && !this.keywordIsRef())) {
        value = this.scalar(true, start);
      } else {
        throw this.unexpected('expected else value term or rule body');
      }
      let body: Body;
      if (this.isKeyword('if') && !this.keywordIsRef()) {
        this.advance();
        body = this.ifBody();
      } else if (this.isPunct('{')) {
        throw this.fail('`if` keyword is required before rule body');
      } else {
        body = [this.trueExpr(start)];
      }
      elses.push({ value, body, loc: this.loc(start) });
    }
    return elses;
  }

  private checkDefaultValue(t: Term): void {
    switch (t.type) {
      case 'scalar':
      case 'arraycomp':
      case 'setcomp':
      case 'objectcomp':
        return;
      case 'array':
      case 'set':
        t.items.forEach((x) => this.checkDefaultValue(x));
        return;
      case 'object':
        t.entries.forEach(([k, v]) => {
          this.checkDefaultValue(k);
          this.checkDefaultValue(v);
        });
        return;
      default:
        throw new RegoError('rego_parse_error', `illegal default rule (value cannot contain ${termKindName(t)})`, t.loc);
    }
  }

  // ------------------------------------------------------------------------------ bodies

  private braceBody(): Body {
    this.advance();
    if (this.isPunct('}')) throw this.fail('found empty body');
    const body = this.bodyUntil('}');
    this.advance();
    return body;
  }

  /** Literals separated by `;` or newlines, up to (not consuming) the end token. */
  private bodyUntil(end: '}' | ']' | 'eof'): Body {
    const body: Body = [];
    const atEnd = (): boolean => (end === 'eof' ? this.tok.kind === 'eof' : this.isPunct(end));
    if (atEnd()) throw this.fail(end === 'eof' ? 'empty query' : 'found empty body');
    for (;;) {
      body.push(this.literal());
      if (this.isPunct(';')) {
        this.advance();
        continue;
      }
      if (atEnd()) return body;
      if (!this.tok.nl) throw this.unexpected(`expected \\n or ; or ${end === 'eof' ? 'eof' : end}`);
    }
  }

  private literal(): Expr {
    const start = this.tok;
    if (this.keywordIsRef()) return this.literalExpr(false, start);
    let negated = false;
    if (this.isKeyword('not')) {
      this.advance();
      negated = true;
    }
    if (this.isKeyword('some') && !this.keywordIsRef()) {
      if (negated) throw this.fail("illegal negation of 'some'");
      return this.someDecl();
    }
    if (this.isKeyword('every') && !this.keywordIsRef()) {
      if (negated) throw this.fail("illegal negation of 'every'");
      return this.every();
    }
    return this.literalExpr(negated, start);
  }

  private literalExpr(negated: boolean, start: Token): TermExpr {
    const lhs = this.termIn(true);
    let term = lhs;
    if (this.isPunct('=') || this.isPunct(':=')) {
      const opTok = this.tok;
      this.advance();
      const rhs = this.termIn(true);
      term = this.call(opTok.text === ':=' ? 'assign' : 'eq', [lhs, rhs], opTok, lhs.loc);
    }
    return { type: 'expr', term, negated, with: this.withModifiers(), loc: this.loc(start) };
  }

  private withModifiers(): WithModifier[] {
    const mods: WithModifier[] = [];
    while (this.isKeyword('with') && !this.keywordIsRef()) {
      const start = this.tok;
      this.advance();
      if (this.tok.kind !== 'ident') throw this.unexpected('expected ident');
      const target = this.term();
      if (target.type !== 'ref' && target.type !== 'var') throw this.fail('expected with target path', start);
      if (!this.isKeyword('as')) throw this.unexpected('expected as keyword');
      this.advance();
      const value = this.termIn(true);
      const ref: RefTerm = target.type === 'ref' ? target : { type: 'ref', path: [target], loc: target.loc };
      mods.push({ target: ref, value, loc: this.loc(start) });
    }
    return mods;
  }

  private someDecl(): SomeDecl | SomeIn {
    const start = this.tok;
    this.advance();
    const saved = this.save();
    const membership = this.tryParse(() => this.termIn(true));
    if (membership && membership.type === 'call') {
      const op = refText(membership.operator);
      if (op === 'internal.member_2' || op === 'internal.member_3') {
        const [key, value, collection] = membershipParts(op, membership.args);
        return { type: 'somein', key, value, collection, with: this.withModifiers(), loc: this.loc(start) };
      }
      throw this.fail('expected `x in xs` or `x, y in xs` expression', start);
    }
    this.restore(saved);
    const vars: VarTerm[] = [];
    for (;;) {
      if (this.tok.kind !== 'ident') throw this.unexpected('expected var');
      vars.push(this.varTerm(this.tok));
      this.advance();
      if (!this.isPunct(',')) break;
      this.advance();
    }
    return { type: 'some', vars, loc: this.loc(start) };
  }

  private every(): Every {
    const start = this.tok;
    this.advance();
    const domainCall = this.termIn(true);
    const op = domainCall.type === 'call' ? refText(domainCall.operator) : '';
    if (domainCall.type !== 'call' || (op !== 'internal.member_2' && op !== 'internal.member_3')) {
      throw this.fail('expected `x[, y] in xs { ... }` expression', start);
    }
    const [key, value, domain] = membershipParts(op, domainCall.args);
    if (key !== null && key.type !== 'var') throw this.fail('expected key to be a variable', start);
    if (value.type !== 'var') throw this.fail('expected value to be a variable', start);
    if (!this.isPunct('{')) throw this.fail('missing body');
    const body = this.braceBody();
    return { type: 'every', key, value, domain, body, with: this.withModifiers(), loc: this.loc(start) };
  }

  private tryParse<T>(f: () => T): T | null {
    try {
      return f();
    } catch (e) {
      if (e instanceof RegoError) return null;
      throw e;
    }
  }

  // ------------------------------------------------------------------------------ infix terms

  /**
   * `in` membership (lowest precedence); with `keyVal`, also `k, v in xs`. `first`, when given,
   * is an already-parsed leftmost primary term (collections parse one term before deciding).
   */
  private termIn(keyVal: boolean, first?: Term): Term {
    let lhs = this.relation(first);
    if (keyVal && this.isPunct(',')) {
      const saved = this.save();
      const comma = this.tok;
      this.advance();
      const triple = this.tryParse(() => {
        const mhs = this.relation();
        if (!this.isKeyword('in') || this.keywordIsRef()) return null;
        this.advance();
        const rhs = this.relation();
        return this.call('internal.member_3', [lhs, mhs, rhs], comma, lhs.loc);
      });
      if (triple) lhs = triple;
      else this.restore(saved);
    }
    while (this.isKeyword('in') && !this.keywordIsRef()) {
      const opTok = this.tok;
      this.advance();
      const rhs = this.relation();
      lhs = this.call('internal.member_2', [lhs, rhs], opTok, lhs.loc);
    }
    return lhs;
  }

  private relation(first?: Term): Term {
    let lhs = this.or(first);
    while (this.tok.kind === 'punct' && this.tok.text in RELATION_OPS) {
      const opTok = this.tok;
      this.advance();
      lhs = this.call(RELATION_OPS[opTok.text], [lhs, this.or()], opTok, lhs.loc);
    }
    return lhs;
  }

  private or(first?: Term): Term {
    let lhs = this.and(first);
    while (this.isPunct('|')) {
      const opTok = this.tok;
      this.advance();
      lhs = this.call('or', [lhs, this.and()], opTok, lhs.loc);
    }
    return lhs;
  }

  private and(first?: Term): Term {
    let lhs = this.arith(first);
    while (this.isPunct('&')) {
      const opTok = this.tok;
      this.advance();
      lhs = this.call('and', [lhs, this.arith()], opTok, lhs.loc);
    }
    return lhs;
  }

  private arith(first?: Term): Term {
    let lhs = this.factor(first);
    while (this.tok.kind === 'punct' && this.tok.text in ARITH_OPS) {
      const opTok = this.tok;
      this.advance();
      lhs = this.call(ARITH_OPS[opTok.text], [lhs, this.factor()], opTok, lhs.loc);
    }
    return lhs;
  }

  private factor(first?: Term): Term {
    let lhs = first ?? this.term();
    while (this.tok.kind === 'punct' && this.tok.text in FACTOR_OPS) {
      const opTok = this.tok;
      this.advance();
      lhs = this.call(FACTOR_OPS[opTok.text], [lhs, this.term()], opTok, lhs.loc);
    }
    return lhs;
  }

  private call(name: string, args: Term[], opTok: Token, loc: Location): CallTerm {
    const parts = name.split('.');
    const operator: RefTerm = {
      type: 'ref',
      path: [{ type: 'var', name: parts[0], loc: this.loc(opTok) }, ...parts.slice(1).map((p) => this.scalar(p, opTok))],
      loc: this.loc(opTok),
    };
    return { type: 'call', operator, args, loc };
  }

  // ------------------------------------------------------------------------------ primary terms

  private term(): Term {
    const t = this.tok;
    let head: Term;
    switch (t.kind) {
      case 'keyword':
        if (this.keywordIsRef() || t.text === 'contains') {
          head = this.varTerm(t);
        } else if (t.text === 'true' || t.text === 'false') {
          head = this.scalar(t.text === 'true', t);
        } else if (t.text === 'null') {
          head = this.scalar(null, t);
        } else {
          throw this.unexpected();
        }
        this.advance();
        break;
      case 'ident':
        head = this.varTerm(t);
        this.advance();
        break;
      case 'number':
        head = this.number(t.text, t, '');
        this.advance();
        break;
      case 'string':
        head = this.scalar(t.text, t);
        this.advance();
        break;
      case 'template':
        head = this.template();
        break;
      case 'punct':
        head = this.punctTerm(t);
        break;
      default:
        throw this.unexpected();
    }
    return this.refRest(head);
  }

  private punctTerm(t: Token): Term {
    switch (t.text) {
      case '[':
        return this.arrayOrComprehension();
      case '{':
        return this.setOrObject();
      case '(': {
        this.advance();
        const inner = this.termIn(true);
        if (!this.isPunct(')')) throw this.fail('non-terminated expression');
        this.advance();
        return inner;
      }
      case '-': {
        this.advance();
        if (this.tok.kind === 'number') {
          const n = this.number(this.tok.text, t, '-');
          this.advance();
          return n;
        }
        throw this.unexpected('expected number');
      }
      default:
        throw this.unexpected();
    }
  }

  private number(text: string, at: Token, sign: string): ScalarTerm {
    if (text.length > 1 && text[0] === '0' && text[1] !== '.' && text[1] !== 'e' && text[1] !== 'E') {
      throw this.fail('expected number without leading zero', at);
    }
    return this.scalar(parseNumber(sign + text), at);
  }

  /** `.x`, `[t]` and `(args)` that directly follow a term (no whitespace) make it a ref or call. */
  private refRest(head: Term): Term {
    let path: Term[] = [head];
    let current: Term = head;
    while (!this.tok.ws && (this.isPunct('.') || this.isPunct('[') || this.isPunct('('))) {
      if (this.isPunct('(')) {
        const operator = this.operatorRef(path);
        const args = this.termList(')');
        if (operator.path.length === 1 && operator.path[0].type === 'var' && operator.path[0].name === 'set' && args.length === 0) {
          current = { type: 'set', items: [], loc: head.loc };
        } else {
          current = { type: 'call', operator, args, loc: path[0].loc };
        }
        path = [current];
        continue;
      }
      if (!canHeadRef(path[0])) throw this.fail(`illegal ref (head cannot be ${termKindName(path[0])})`);
      if (this.isPunct('.')) {
        this.advance();
        if ((this.tok.kind !== 'ident' && this.tok.kind !== 'keyword') || this.tok.ws) throw this.unexpected('expected ident');
        path.push(this.scalar(this.tok.text, this.tok));
        this.advance();
      } else {
        this.advance();
        path.push(this.termIn(true));
        this.expectPunct(']', 'to close ref');
        this.advance();
      }
      current = { type: 'ref', path, loc: path[0].loc };
    }
    if (current.type === 'var' && ROOT_DOCUMENTS.has(current.name)) return { type: 'ref', path: [current], loc: current.loc };
    return current;
  }

  private operatorRef(path: Term[]): RefTerm {
    const head = path[0];
    if (head.type !== 'var') throw this.fail(`illegal call (operator cannot be ${termKindName(head)})`);
    return { type: 'ref', path: [...path], loc: head.loc };
  }

  /** `(`/`[`-delimited, comma-separated list; the opening token is current. Trailing comma allowed. */
  private termList(close: ')' | ']'): Term[] {
    this.advance();
    const items: Term[] = [];
    while (!this.isPunct(close)) {
      items.push(this.termIn(false));
      if (this.isPunct(',')) {
        this.advance();
        continue;
      }
      if (!this.isPunct(close)) throw this.unexpected(`expected , or ${close}`);
    }
    this.advance();
    return items;
  }

  private arrayOrComprehension(): Term {
    const open = this.tok;
    const loc = this.loc(open);
    this.advance();
    if (this.isPunct(']')) {
      this.advance();
      return { type: 'array', items: [], loc };
    }
    let comprehension = true;
    if (this.isPunct(',')) {
      comprehension = false;
      this.advance();
    }
    const head = this.term();
    if (this.isPunct('|') && comprehension) {
      this.advance();
      const body = this.bodyUntil(']');
      this.advance();
      return { type: 'arraycomp', head, body, loc };
    }
    const items = [this.termIn(false, head)];
    this.listTail(']', items);
    return { type: 'array', items, loc };
  }

  private listTail(close: ']' | '}', items: Term[]): void {
    for (;;) {
      if (this.isPunct(close)) {
        this.advance();
        return;
      }
      if (!this.isPunct(',')) throw this.unexpected(`expected , or ${close}`);
      this.advance();
      if (this.isPunct(close)) continue;
      items.push(this.termIn(false));
    }
  }

  private setOrObject(): Term {
    const open = this.tok;
    const loc = this.loc(open);
    this.advance();
    if (this.isPunct('}')) {
      this.advance();
      return { type: 'object', entries: [], loc };
    }
    let comprehension = true;
    if (this.isPunct(',')) {
      comprehension = false;
      this.advance();
    }
    let head = this.term();
    if (this.isPunct('|') && comprehension) {
      this.advance();
      const body = this.bodyUntil('}');
      this.advance();
      return { type: 'setcomp', head, body, loc };
    }
    if (!this.isPunct(':')) head = this.termIn(false, head);
    if (this.isPunct(':')) return this.objectRest(head, comprehension, loc);
    const items = [head];
    this.listTail('}', items);
    return { type: 'set', items, loc };
  }

  private objectRest(key: Term, comprehension: boolean, loc: Location): Term {
    this.advance();
    const first = this.term();
    if (this.isPunct('|') && comprehension) {
      this.advance();
      const body = this.bodyUntil('}');
      this.advance();
      return { type: 'objectcomp', key, value: first, body, loc };
    }
    const entries: [Term, Term][] = [[key, this.termIn(false, first)]];
    for (;;) {
      if (this.isPunct('}')) {
        this.advance();
        return { type: 'object', entries, loc };
      }
      if (!this.isPunct(',')) throw this.unexpected('expected , or }');
      this.advance();
      if (this.isPunct('}')) continue;
      const k = this.termIn(false);
      this.expectPunct(':', 'after object key');
      this.advance();
      entries.push([k, this.termIn(false)]);
    }
  }

  private template(): Term {
    const start = this.tok;
    const raw = start.templateRaw === true;
    const parts: (string | Term)[] = [];
    const pushText = (s: string): void => {
      if (s === '') return;
      const last = parts[parts.length - 1];
      if (typeof last === 'string') parts[parts.length - 1] = last + s;
      else parts.push(s);
    };
    for (;;) {
      const part = this.tok;
      pushText(part.text);
      if (part.templateEnd) {
        this.advance();
        break;
      }
      this.advance();
      const expr = this.literal();
      parts.push(this.templateExpr(expr));
      if (!this.isPunct('}')) throw this.unexpected('expected } to end template string expression');
      this.lastEndRow = this.lx.currentRow;
      this.tok = this.lx.templatePart(raw);
    }
    return { type: 'template', parts, loc: this.loc(start) };
  }

  /**
   * An embedded template expression as a term. One with `with` modifiers becomes
   * `{$t | $t = expr with …}[$wildcard]`: the same values, with the modifiers scoped to it.
   */
  private templateExpr(expr: Expr): Term {
    if (expr.type !== 'expr') throw new RegoError('rego_parse_error', `unexpected '${expr.type === 'every' ? 'every' : 'some'}' in template-string expression`, expr.loc);
    if (expr.negated) throw new RegoError('rego_parse_error', "unexpected negation ('not') in template-string expression", expr.loc);
    if (expr.term.type === 'call' && expr.term.operator.path.length === 1) {
      const op = expr.term.operator.path[0];
      if (op.type === 'var' && op.name === 'eq') throw new RegoError('rego_parse_error', "unexpected unification ('=') in template-string expression", expr.loc);
      if (op.type === 'var' && op.name === 'assign') throw new RegoError('rego_parse_error', "unexpected assignment (':=') in template-string expression", expr.loc);
    }
    if (expr.with.length === 0) return expr.term;
    const loc = expr.loc;
    const v: VarTerm = { type: 'var', name: `$template${this.wildcards++}`, loc };
    const eq: CallTerm = {
      type: 'call',
      operator: { type: 'ref', path: [{ type: 'var', name: 'eq', loc }], loc },
      args: [v, expr.term],
      loc,
    };
    const body: Body = [{ type: 'expr', term: eq, negated: false, with: expr.with, loc }];
    const iter: VarTerm = { type: 'var', name: `$wildcard${this.wildcards++}`, loc };
    return { type: 'ref', path: [{ type: 'setcomp', head: v, body, loc }, iter], loc };
  }

  // ------------------------------------------------------------------------------ leaves

  private varTerm(t: Token): VarTerm {
    const name = t.text === '_' ? `$wildcard${this.wildcards++}` : t.text;
    return { type: 'var', name, loc: this.loc(t) };
  }

  private scalar(value: ScalarTerm['value'], t: Token): ScalarTerm {
    return { type: 'scalar', value, loc: this.loc(t) };
  }

  private trueExpr(t: Token): TermExpr {
    return { type: 'expr', term: this.scalar(true, t), negated: false, with: [], loc: this.loc(t) };
  }
}

/** `x in xs` → [null, x, xs]; `k, v in xs` → [k, v, xs]. */
function membershipParts(op: string, args: Term[]): [Term | null, Term, Term] {
  return op === 'internal.member_2' ? [null, args[0], args[1]] : [args[0], args[1], args[2]];
}

function canHeadRef(t: Term): boolean {
  switch (t.type) {
    case 'var':
    case 'array':
    case 'object':
    case 'set':
    case 'arraycomp':
    case 'setcomp':
    case 'objectcomp':
    case 'call':
      return true;
    default:
      return false;
  }
}

function termKindName(t: Term): string {
  switch (t.type) {
    case 'scalar':
      return t.value === null ? 'null' : typeof t.value === 'boolean' ? 'boolean' : typeof t.value === 'string' ? 'string' : 'number';
    case 'arraycomp':
      return 'arraycomprehension';
    case 'setcomp':
      return 'setcomprehension';
    case 'objectcomp':
      return 'objectcomprehension';
    case 'template':
      return 'templatestring';
    default:
      return t.type;
  }
}

function isGround(t: Term): boolean {
  switch (t.type) {
    case 'scalar':
      return true;
    case 'array':
    case 'set':
      return t.items.every(isGround);
    case 'object':
      return t.entries.every(([k, v]) => isGround(k) && isGround(v));
    default:
      return false;
  }
}

/** `a.b[x]` rendering of a ref, for messages and operator names. */
function refText(ref: RefTerm): string {
  return ref.path
    .map((t, i) => {
      if (i === 0) return t.type === 'var' ? t.name : `<${t.type}>`;
      if (t.type === 'scalar' && typeof t.value === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t.value)) return `.${t.value}`;
      if (t.type === 'scalar') return `[${JSON.stringify(t.value)}]`;
      if (t.type === 'var') return `[${t.name}]`;
      return `[<${t.type}>]`;
    })
    .join('');
}

function asRegoErrors(e: unknown, file: string): RegoErrors {
  if (e instanceof RegoErrors) return e;
  if (e instanceof RegoError) return new RegoErrors([e]);
  // Stack exhaustion on pathological nesting, or an internal fault: still a parse error, never a crash.
  const message = e instanceof RangeError ? 'input too deeply nested' : `internal parser error: ${e instanceof Error ? e.message : String(e)}`;
  return new RegoErrors([new RegoError('rego_parse_error', message, { file, row: 1, col: 1 })]);
}

function run<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw asRegoErrors(e, file);
  }
}

/** Parses one Rego v1 module. Throws RegoErrors (`rego_parse_error`). */
export function parseModule(source: string, file: string): Module {
  return run(file, () => new Parser(source, file).module());
}

/** Parses a query: one or more expressions separated by `;` or newlines. Throws RegoErrors. */
export function parseQuery(source: string, file = 'query'): Body {
  return run(file, () => new Parser(source, file).query());
}

/** Parses a single term, e.g. a conformance case's `input_term`. Throws RegoErrors. */
export function parseTerm(source: string): Term {
  return run('term', () => new Parser(source, 'term').singleTerm());
}
