import type { AuditVerifyArgs } from '../command-args';

// Placeholder until the owning issue lands: the command is registered so `--help` documents it.
export async function run(_args: AuditVerifyArgs): Promise<number> {
  process.stderr.write('mcp-authz audit verify: not implemented yet\n');
  return 1;
}
