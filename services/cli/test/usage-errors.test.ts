import { spawnTs } from '../../common/test/support/child-process';

async function mcpAuthz(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = spawnTs('services/cli/main.ts', args);
  const { code } = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

describe('mcp-authz exit codes for the command line itself', () => {
  it.each([
    ['an unknown option', ['eval', '--no-such-flag', 'data'], "unknown option '--no-such-flag'"],
    ['a missing argument', ['bench', '-d', 'policies'], "missing required argument 'query'"],
    ['a missing required option', ['bundle', 'build', 'policies'], "required option '-o, --output <file>' not specified"],
    ['an option without its value', ['audit', 'verify', '--tenant'], "option '--tenant <tenant>' argument missing"],
    ['a value outside the choices', ['eval', '-f', 'xml', 'data'], 'Allowed choices are json, raw, pretty'],
    ['a value its parser refuses', ['audit', 'retention', '--days', '0'], 'expected a whole number of days, at least 1'],
    ['a limit that is not a number', ['dead-letters', 'list', '--limit', 'ten'], 'expected a whole number, at least 1'],
    ['an unknown command', ['evaluate', 'data'], "unknown command 'evaluate'"],
    ['an extra argument', ['migrate', 'now'], 'too many arguments'],
    ['a command group without its subcommand', ['keys'], 'Usage: mcp-authz keys'],
    ['no command at all', [], 'Usage: mcp-authz'],
  ])('exits 2 on %s and says what is wrong on stderr', async (_case, args, message) => {
    const result = await mcpAuthz(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('exits 2 on a usage error a command finds (contradicting flags)', async () => {
    const result = await mcpAuthz('keys', 'list', '--service', 'pdp', '--file', 'keys.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('give either --service or --file, not both');
  });

  it('exits 0 after --help and --version', async () => {
    const help = await mcpAuthz('eval', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: mcp-authz eval');
    const version = await mcpAuthz('--version');
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('still exits 1 when a well-formed command fails', async () => {
    const result = await mcpAuthz('eval', '-d', '/no/such/policy', 'data');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ errors: [{ message: '/no/such/policy: no such file or directory' }] });
  });
});
