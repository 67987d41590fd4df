/**
 * A compiled policy ready to run: the rule tree with a NodeImpl per rule node, and compiled
 * queries. Building one compiles every rule body once; evaluation only allocates slot arrays.
 */
import type { Body } from '../ast';
import type { BuiltinContext, BuiltinDef } from '../builtins/registry';
import type { Value } from '../value';
import type { CompiledModules } from '../compiler/pipeline';
import { compileQuery } from '../compiler/pipeline';
import { makeVarContext } from '../compiler/var-context';
import type { RuleNode } from '../compiler/rule-tree';
import type { EvalTracer } from '../policy';
import { BodyCompiler, type CodegenEnv } from './compile-body';
import { compileNode } from './rules';
import { lookupNode, type Step } from './data-walk';
import { forEachScopeBodyTerm } from '../compiler/scopes';
import { DEADLINE_CHECK_INTERVAL, type EvalContext, type Goal, type NodeImpl, type ProgramInfo } from './types';

export interface CompiledQuery {
  readonly goal: Goal;
  readonly slots: number;
  /** Query variables reported in results, with their slots. */
  readonly outputs: readonly (readonly [string, number])[];
}

export interface RunOptions {
  readonly input: Value | undefined;
  readonly builtinCtx: BuiltinContext;
  readonly strict: boolean;
  readonly tracer: EvalTracer | null;
  readonly deadline: number;
}

function isUserVar(name: string): boolean {
  return !name.includes('$');
}

export class Program {
  readonly info: ProgramInfo;
  private readonly env: CodegenEnv;

  constructor(
    private readonly compiled: CompiledModules,
    builtins: ReadonlyMap<string, BuiltinDef>,
  ) {
    const functions = new Map<string, RuleNode>();
    const impls: (NodeImpl | undefined)[] = [];
    this.info = { builtins, nodeCount: compiled.tree.nodes.length, functions, impls };
    this.env = { vc: makeVarContext(compiled.state), tree: compiled.tree, builtins, program: this.info, modules: compiled.state.modules, indexConditions: compiled.state.indexConditions };
    for (const node of compiled.tree.nodes) {
      if (node.kind === 'function') functions.set(['data', ...node.path].join('.'), node);
    }
    for (const node of compiled.tree.nodes) {
      if (node.kind !== null) impls[node.id] = compileNode(this.env, node);
    }
  }

  get root(): RuleNode {
    return this.compiled.tree.root;
  }

  compileQuery(query: Body): CompiledQuery {
    const { body } = compileQuery(this.compiled, query);
    const bc = new BodyCompiler(this.env);
    const goal = bc.body(body, new Set());
    const names = new Set<string>();
    const collect = (t: { type: string; name?: string }) => {
      if (t.type === 'var' && t.name && isUserVar(t.name) && t.name !== 'input' && t.name !== 'data') names.add(t.name);
    };
    visitQueryVars(body, collect);
    const outputs: [string, number][] = [];
    for (const n of names) {
      const slot = bc.slotOf(n);
      if (slot !== undefined) outputs.push([n, slot]);
    }
    return { goal, slots: bc.slotCount, outputs };
  }

  context(opts: RunOptions): EvalContext {
    return {
      input: opts.input,
      root: this.compiled.tree.root,
      dataPatched: false,
      memo: [],
      fnOverrides: null,
      builtinCtx: opts.builtinCtx,
      strict: opts.strict,
      tracer: opts.tracer,
      deadline: opts.deadline,
      // Starts so that the first clause reads the clock: a deadline already past fails at once.
      query: { ticks: DEADLINE_CHECK_INTERVAL - 1, nextNodeId: this.info.nodeCount },
      program: this.info,
    };
  }

  /** Value of data.<path>. */
  evaluatePath(c: EvalContext, steps: readonly Step[]): Value | undefined {
    return lookupNode([], c, c.root, steps, 0);
  }
}

function visitQueryVars(body: Body, fn: (t: { type: string; name?: string }) => void): void {
  forEachScopeBodyTerm(body, { term: fn, nested: () => undefined });
}
