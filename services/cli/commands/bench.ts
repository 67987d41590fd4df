import type { BenchArgs } from '../command-args';

// Placeholder until the owning issue lands: the command is registered so `--help` documents it.
export async function run(_args: BenchArgs): Promise<number> {
  process.stderr.write('mcp-authz bench: not implemented yet\n');
  return 1;
}
