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
    ['mcp-authz tools approve', ['<server>']],
    ['mcp-authz keys create', ['--name <name>', '--tenant <tenant>', '--expires <date>', '--service pdp|proxy|audit', '--file <path>']],
    ['mcp-authz keys list', ['--service']],
    ['mcp-authz keys revoke', ['<id>']],
  ])('documents `%s` with its flags', (command, flags) => {
    const line = help.split('\n').find((candidate) => candidate.trim().startsWith(`${command} `) || candidate.trim() === command);
    expect(line).toBeDefined();
    for (const flag of flags) expect(line).toContain(flag);
  });
});
