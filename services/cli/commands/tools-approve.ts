import type { ToolsApproveArgs } from '../command-args';

// Placeholder until the owning issue lands: the command is registered so `--help` documents it.
export async function run(_args: ToolsApproveArgs): Promise<number> {
  process.stderr.write('mcp-authz tools approve: not implemented yet\n');
  return 1;
}
