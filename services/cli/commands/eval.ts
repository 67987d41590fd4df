import type { EvalArgs } from '../command-args';
import { processIO, type CommandIO } from '../command-io';
import { loadInput, loadPolicy } from '../policy-loading';
import { errorsJSON, errorsText, formatJSON, formatValue, isUserError } from '../rego-output';
import { evalQuery, type QueryResult } from '../../rego/query-eval';

/**
 * `mcp-authz eval [-d PATH]... [-i FILE] [-f json|raw|pretty] QUERY`, with `opa eval`'s output:
 * json `{"result": [{"expressions": [...], "bindings": {...}}]}` (`{}` when undefined), raw the
 * value of each solution's expressions as JSON (nothing when undefined), pretty for people.
 * Errors: OPA's `{"errors": [...]}` on stdout for json, text on stderr otherwise; exit 1.
 */
export async function run(args: EvalArgs, io: CommandIO = processIO): Promise<number> {
  let results: QueryResult[];
  try {
    const { policy } = await loadPolicy(args.data);
    results = evalQuery(policy, args.query, { input: loadInput(args.input) });
  } catch (e) {
    if (!isUserError(e)) throw e;
    if (args.format === 'json') io.stdout(errorsJSON(e));
    else io.stderr(errorsText(e));
    return 1;
  }
  switch (args.format) {
    case 'json':
      io.stdout(formatJSON(jsonShape(results)) + '\n');
      break;
    case 'raw':
      for (const r of results) for (const e of r.expressions) io.stdout(formatValue(e.value, '') + '\n');
      break;
    case 'pretty':
      io.stdout(pretty(results));
      break;
  }
  return 0;
}

function jsonShape(results: QueryResult[]): object {
  if (results.length === 0) return {};
  return {
    result: results.map((r) => ({
      expressions: r.expressions,
      ...(r.bindings.size > 0 ? { bindings: Object.fromEntries(r.bindings) } : {}),
    })),
  };
}

function pretty(results: QueryResult[]): string {
  if (results.length === 0) return 'undefined\n';
  const vars = [...new Set(results.flatMap((r) => [...r.bindings.keys()]))];
  if (vars.length === 0) {
    return results.map((r) => r.expressions.map((e) => formatValue(e.value)).join('\n')).join('\n') + '\n';
  }
  const rows = results.map((r) => vars.map((v) => (r.bindings.has(v) ? formatValue(r.bindings.get(v)!, '') : '')));
  const widths = vars.map((v, i) => Math.max(v.length, ...rows.map((row) => row[i].length)));
  const rule = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  const line = (cells: string[]): string => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [rule, line(vars), rule, ...rows.map(line), rule].join('\n') + '\n';
}
