import fs from 'node:fs';
import path from 'node:path';
import { spawnTs } from '../../common/test/support/child-process';
import { useTempDir } from '../../common/test/support/temp-dir';

async function cli(cwd: string, ...args: string[]) {
  const run = spawnTs('services/cli/main.ts', args, { cwd });
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

describe('mcp-authz keys', () => {
  const work = useTempDir('mcp-authz-keys-cli-');

  it('creates, lists and revokes keys in the file a service reads', async () => {
    const created = await cli(work.path, 'keys', 'create', '--service', 'pdp', '--name', 'gateway', '--tenant', 'acme', '--expires', '2099-01-01');
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^mcpz_/);

    const file = path.join(work.path, '.data/api-keys/pdp.json');
    expect(fs.readFileSync(file, 'utf8')).not.toContain(key);

    const listed = await cli(work.path, 'keys', 'list', '--service', 'pdp', '--json');
    const rows = JSON.parse(listed.stdout) as Array<{ id: string; name: string; status: string; expires_at: string }>;
    expect(rows).toMatchObject([{ name: 'gateway', tenant: 'acme', status: 'active', expires_at: '2099-01-01T00:00:00.000Z' }]);
    expect(listed.stdout).not.toContain(key);

    expect((await cli(work.path, 'keys', 'revoke', '--service', 'pdp', rows[0].id)).code).toBe(0);
    const table = await cli(work.path, 'keys', 'list', '--service', 'pdp');
    expect(table.stdout).toMatch(new RegExp(`${rows[0].id}\\s+gateway\\s+acme\\s+revoked`));
  });

  it('prints the key with its record as JSON on request, to an explicit file', async () => {
    const created = await cli(work.path, 'keys', 'create', '--file', 'keys.json', '--name', 'ci', '--tenant', 't', '--role', 'admin', '--json');
    const output = JSON.parse(created.stdout) as { id: string; key: string; file: string; role: string };
    expect(output.role).toBe('admin');
    expect(output.key).toMatch(/^mcpz_/);
    expect(output.file).toBe('keys.json');
    expect(JSON.parse(fs.readFileSync(path.join(work.path, 'keys.json'), 'utf8')).keys[0].id).toBe(output.id);
  });

  it('exits 1 for an unknown id and 2 for unusable arguments', async () => {
    expect((await cli(work.path, 'keys', 'revoke', '--service', 'audit', 'key_nope')).code).toBe(1);
    expect((await cli(work.path, 'keys', 'create', '--service', 'pdp', '--name', 'n', '--tenant', 't', '--expires', 'yesterday')).code).toBe(2);
    expect((await cli(work.path, 'keys', 'create', '--service', 'pdp', '--name', 'n', '--tenant', 't', '--expires', '2001-01-01')).code).toBe(2);
    expect((await cli(work.path, 'keys', 'create', '--name', 'n', '--tenant', 't')).code).toBe(2);
    const badRole = await cli(work.path, 'keys', 'create', '--service', 'pdp', '--name', 'n', '--tenant', 't', '--role', 'owner');
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toContain('Allowed choices are viewer, admin');
  });
});
