import type { TestArgs } from '../command-args';

// Placeholder until the owning issue lands: the command is registered so `--help` documents it.
export async function run(_args: TestArgs): Promise<number> {
  process.stderr.write('mcp-authz test: not implemented yet\n');
  return 1;
}
