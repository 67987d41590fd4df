import { compilePolicy, fromJSON, parseModule, toJSON, type EvalTracer, type Module, type Policy } from '../../rego';
import type { Rule, Term } from '../../rego/ast';
import type { DecisionEngine, EvaluateOptions, ExplainedRule } from './decision-engine';

/** A bundle's Rego side as the native engine needs it: sources by path, base data, entrypoints. */
export interface RegoBundleContents {
  modules: readonly { path: string; source: string }[];
  data: unknown;
  entrypoints: readonly string[];
}

/** Parses and compiles once (throwing RegoErrors on bad policies); evaluation is then synchronous and shared. */
export function createNativeEngine(contents: RegoBundleContents): DecisionEngine {
  const modules = contents.modules.map((file) => parseModule(file.source, file.path));
  const policy = compilePolicy(modules, fromJSON(contents.data ?? {}));
  const ruleNames = ruleNamesOf(modules);
  return {
    kind: 'native',
    entrypoints: contents.entrypoints,
    evaluate: (path, input, options) => evaluateOn(policy, ruleNames, path, input, options),
  };
}

function evaluateOn(
  policy: Policy,
  ruleNames: ReadonlyMap<string, string>,
  path: readonly string[],
  input: unknown,
  options: EvaluateOptions | undefined,
): unknown {
  const tracer = options?.explain && options.explanation ? explainTracer(ruleNames, options.explanation) : undefined;
  const value = policy.evaluate(path, {
    input: input === undefined ? undefined : fromJSON(input),
    deadline: options?.deadline,
    tracer,
  });
  return value === undefined ? undefined : toJSON(value);
}

/** Records each rule whose body succeeded, once, in the order they first succeeded. */
function explainTracer(ruleNames: ReadonlyMap<string, string>, sink: ExplainedRule[]): EvalTracer {
  const seen = new Set<string>();
  return {
    onRule(rule, succeeded) {
      const key = locationKey(rule);
      if (!succeeded || seen.has(key)) return;
      seen.add(key);
      sink.push({ rule: ruleNames.get(key) ?? 'data', location: `${rule.loc.file}:${rule.loc.row}` });
    },
  };
}

/** Rules by source location: the compiler rewrites rules, so the traced objects are not the parsed ones. */
function ruleNamesOf(modules: readonly Module[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const module of modules) {
    const prefix = ['data', ...module.packagePath].join('.');
    for (const rule of module.rules) names.set(locationKey(rule), `${prefix}.${headName(rule.head.ref.path)}`);
  }
  return names;
}

function locationKey(rule: Rule): string {
  return `${rule.loc.file}:${rule.loc.row}:${rule.loc.col}`;
}

/** `p`, `a.b[x]`: the rule's ref as written, variables by name. */
function headName(path: readonly Term[]): string {
  return path
    .map((term, index) => {
      if (term.type === 'var') return index === 0 ? term.name : `[${term.name}]`;
      if (term.type === 'scalar' && typeof term.value === 'string') {
        return index === 0 ? term.value : /^[A-Za-z_][A-Za-z0-9_]*$/.test(term.value) ? `.${term.value}` : `[${JSON.stringify(term.value)}]`;
      }
      return '[_]';
    })
    .join('');
}
