/**
 * Built-ins the evaluator carries out itself: unification and assignment (`=`, `:=`), `print`
 * (it must see undefined operands, which a built-in never does) and `rego.metadata.*` (constants
 * of the rule being compiled). They are declared here so that the table lists every built-in
 * with its signature, as capability checks and docs need. The implementations serve the calls
 * that reach a built-in anyway (a `with` replacement naming one, the wasm engine's imports).
 */
import { BuiltinError } from '../errors';
import { EMPTY_OBJECT, SetValue, type Value } from '../value';
import { builtin, type BuiltinDef } from './registry';
import { displayText } from './term-text';

/** `internal.print([{…}, {…}])`: one line per combination of the operands' values. */
function printSets(operands: Value, print: (line: string) => void): void {
  if (!Array.isArray(operands)) throw new BuiltinError('internal.print: operand must be an array of sets');
  const texts = operands.map((o) => (o instanceof SetValue ? o.values() : [o]).map(displayText));
  const line = (i: number, prefix: string[]): void => {
    if (texts[i] === undefined) print(prefix.join(' '));
    else for (const t of texts[i].length === 0 ? ['<undefined>'] : texts[i]) line(i + 1, [...prefix, t]);
  };
  line(0, []);
}

const notAFunctionValue = (name: string) => (): never => {
  throw new BuiltinError(`${name} is evaluated by the evaluator, not called`);
};

export const evaluatorCallBuiltins: BuiltinDef[] = [
  builtin({ name: 'eq', category: 'comparison', args: ['any', 'any'], result: 'boolean', impl: notAFunctionValue('eq') }),
  builtin({ name: 'assign', category: 'comparison', args: ['any', 'any'], result: 'boolean', impl: notAFunctionValue('assign') }),
  builtin({
    name: 'print',
    category: 'tracing',
    args: [],
    variadic: 'any',
    result: 'boolean',
    impl: (args, ctx) => {
      ctx.print(args.map(displayText).join(' '));
      return true;
    },
  }),
  builtin({
    name: 'internal.print',
    category: 'tracing',
    args: [{ array: { set: 'any' } }],
    result: 'boolean',
    impl: ([operands], ctx) => {
      printSets(operands, ctx.print);
      return true;
    },
  }),
  builtin({
    name: 'rego.metadata.rule',
    category: 'rego',
    args: [],
    result: 'any',
    impl: () => EMPTY_OBJECT,
  }),
  builtin({
    name: 'rego.metadata.chain',
    category: 'rego',
    args: [],
    result: { array: 'any' },
    impl: () => [],
  }),
];
