import { spawnTs } from '../../common/test/support/child-process';

describe('mcp-authz --help', () => {
  let help: string;
  beforeAll(async () => {
    const cli = spawnTs('services/cli/main.ts', ['--help']);
    expect((await cli.exited).code).toBe(0);
    help = cli.stdout();
  });

  it.each([
    ['mcp-authz serve', ['--stdio', 'all|pdp|proxy|audit']],
    ['mcp-authz eval', ['-d <path>]...', '-i <file>', '-f json|raw|pretty', '<query>']],
    ['mcp-authz test', ['-v', '--coverage', '<paths...>']],
    ['mcp-authz bench', ['-d <path>]...', '-i <file>', '--json', '<query>']],
    ['mcp-authz conformance', ['--json', '<dir>']],
    ['mcp-authz bundle build', ['-o <file>', '--revision <revision>', '<dir>']],
    ['mcp-authz migrate', []],
    ['mcp-authz audit verify', ['--tenant <tenant>']],
    ['mcp-authz audit retention', ['--days <n>']],
    ['mcp-authz dead-letters list', ['--sink <name>', '--limit <n>', '--all', '--json']],
    ['mcp-authz dead-letters redrive', ['--sink <name>', '--event-id <id...>']],
    ['mcp-authz tools approve', ['--file <path>', '<server>', '[tool]']],
    ['mcp-authz tools list', ['--changed', '--json', '--file <path>', '[server]']],
    ['mcp-authz keys create', ['--name <name>', '--tenant <tenant>', '--role viewer|admin', '--expires <date>', '--service pdp|proxy|audit', '--file <path>']],
    ['mcp-authz keys list', ['--service']],
    ['mcp-authz keys revoke', ['<id>']],
  ])('documents `%s` with its flags and what it does', (command, flags) => {
    const lines = help.split('\n');
    const index = lines.findIndex((candidate) => candidate.trim().startsWith(`${command} `) || candidate.trim() === command);
    expect(index).toBeGreaterThanOrEqual(0);
    for (const flag of flags) expect(lines[index]).toContain(flag);
    expect(lines[index + 1]).toMatch(/^ {6}\S/);
  });

  it('gives the exit codes', () => {
    expect(help).toContain('Exit codes');
    expect(help).toMatch(/^ {2}0 {2}done$/m);
    expect(help).toMatch(/^ {2}1 {2}the command ran and failed/m);
    expect(help).toMatch(/^ {2}2 {2}usage error/m);
    expect(help).toContain('exit 0 only when all pass, 1 when one fails or errs, 2 when all pass but coverage is below --threshold');
    expect(help).toContain('exit 0 when intact, 1 when broken');
  });
});
