/** `opa.runtime` (the environment the host exposes) and `trace` (a note for the query's tracer; always true). */
import { ObjectValue, fromJSON } from '../value';
import { builtin, type BuiltinDef } from './registry';
import { stringOperand } from './operands';

export const runtimeBuiltins: BuiltinDef[] = [
  builtin({
    name: 'opa.runtime',
    args: [],
    result: { object: ['string', 'any'] },
    category: 'opa',
    nondeterministic: true,
    impl: (_args, ctx) => (ctx.env === null ? new ObjectValue() : new ObjectValue().set('env', fromJSON(ctx.env)).set('config', new ObjectValue())),
  }),
  builtin({
    name: 'trace',
    args: ['string'],
    result: 'boolean',
    category: 'tracing',
    impl: (args, ctx) => {
      const note = stringOperand(args[0], 1);
      ctx.trace?.(note);
      return true;
    },
  }),
];
