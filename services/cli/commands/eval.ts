import type { EvalArgs } from '../command-args';

// Placeholder until the owning issue lands: the command is registered so `--help` documents it.
export async function run(_args: EvalArgs): Promise<number> {
  process.stderr.write('mcp-authz eval: not implemented yet\n');
  return 1;
}
