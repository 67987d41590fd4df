import type { ConformanceArgs } from '../command-args';

// Placeholder until the owning issue lands: the command is registered so `--help` documents it.
export async function run(_args: ConformanceArgs): Promise<number> {
  process.stderr.write('mcp-authz conformance: not implemented yet\n');
  return 1;
}
