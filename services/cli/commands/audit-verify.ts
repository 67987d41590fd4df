import { loadAuditConfig, type Environment } from '../../common';
import { openMigratedDatabase } from '../../audit/open-store';
import type { AuditDatabase } from '../../audit/store/audit-database';
import { createChainVerifier } from '../../audit/verify/chain-verifier';
import type { VerifyResult } from '../../common/contracts/audit-event';
import type { AuditVerifyArgs } from '../command-args';

/**
 * The chain could not be checked (the database cannot be reached, opened or read): neither intact (0) nor
 * broken (1), so that a script or a probe does not report tampering when the database is down, nor an
 * intact chain when it could not look.
 */
export const AUDIT_UNCHECKED_EXIT_CODE = 3;

/** Checks the audit hash chain (one tenant or all) straight in the database; exit 0 when intact, 1 when broken, 3 when it cannot be checked. */
export async function run(args: AuditVerifyArgs, env: Environment = process.env, cwd: string = process.cwd()): Promise<number> {
  // A configuration error is thrown on: it is the command line's 2, as for every command.
  const config = loadAuditConfig(env, cwd);
  const scope = args.tenant ? `tenant ${args.tenant}` : 'all tenants';
  let database: AuditDatabase;
  try {
    ({ database } = await openMigratedDatabase(config));
  } catch (error) {
    return unchecked(scope, error);
  }
  let result: VerifyResult;
  try {
    result = await createChainVerifier(database).verify(args.tenant ? { tenant: args.tenant } : {});
  } catch (error) {
    return unchecked(scope, error);
  } finally {
    await database.close().catch(() => undefined);
  }
  if (result.ok) {
    process.stdout.write(`audit chain intact (${scope}): ${result.checked} events checked\n`);
    return 0;
  }
  const broken = result.first_broken;
  process.stdout.write(
    `audit chain BROKEN (${scope}) after ${result.checked} intact events: tenant ${broken?.tenant}, ` +
      `event ${broken?.seq}${broken?.event_id ? ` (${broken.event_id})` : ''}: ${broken?.reason}\n`,
  );
  return 1;
}

function unchecked(scope: string, error: unknown): number {
  process.stderr.write(`mcp-authz audit verify: audit chain NOT CHECKED (${scope}): cannot read the audit database: ${error instanceof Error ? error.message : String(error)}\n`);
  return AUDIT_UNCHECKED_EXIT_CODE;
}
