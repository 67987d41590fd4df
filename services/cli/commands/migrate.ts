import type { MigrateArgs } from '../command-args';

// Placeholder until the owning issue lands: the command is registered so `--help` documents it.
export async function run(_args: MigrateArgs): Promise<number> {
  process.stderr.write('mcp-authz migrate: not implemented yet\n');
  return 1;
}
