import type { BundleBuildArgs } from '../command-args';

// Placeholder until the owning issue lands: the command is registered so `--help` documents it.
export async function run(_args: BundleBuildArgs): Promise<number> {
  process.stderr.write('mcp-authz bundle build: not implemented yet\n');
  return 1;
}
