import { spawnTs } from '../../common/test/support/child-process';

async function auditVerify(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = spawnTs('services/cli/main.ts', ['audit', 'verify', '--tenant', 't1'], { env });
  const { code } = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

const POSTGRES = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** 0 intact and 1 broken are tested with a real chain in services/audit/test/cli-commands.test.ts. */
describe('mcp-authz audit verify when it cannot check the chain', () => {
  it.each([
    ['no server answers', 'postgres://postgres@127.0.0.1:1/test', 'ECONNREFUSED'],
    ['the database does not exist', Object.assign(new URL(POSTGRES), { pathname: '/mcp_authz_no_such_database' }).toString(), 'does not exist'],
  ])('exits 3, not 1, when %s, and says so on stderr', async (_case, databaseUrl, reason) => {
    const result = await auditVerify({ DATABASE_URL: databaseUrl });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('audit chain NOT CHECKED (tenant t1): cannot read the audit database');
    expect(result.stderr).toContain(reason);
  });

  it('exits 2 on a configuration error, as every command does', async () => {
    const result = await auditVerify({ DATABASE_URL: 'mysql://db.example/audit' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DATABASE_URL');
  });
});
