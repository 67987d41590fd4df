import { loadAuditConfig, type Environment } from '../../common';
import { openMigratedDatabase } from '../../audit/open-store';
import { createChainVerifier } from '../../audit/verify/chain-verifier';
import type { AuditVerifyArgs } from '../command-args';

/** Checks the audit hash chain (one tenant or all) straight in the database; exit 0 when intact, 1 when broken. */
export async function run(args: AuditVerifyArgs, env: Environment = process.env, cwd: string = process.cwd()): Promise<number> {
  const config = loadAuditConfig(env, cwd);
  const { database } = await openMigratedDatabase(config);
  try {
    const result = await createChainVerifier(database).verify(args.tenant ? { tenant: args.tenant } : {});
    const scope = args.tenant ? `tenant ${args.tenant}` : 'all tenants';
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
  } finally {
    await database.close();
  }
}
