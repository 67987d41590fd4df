import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { KeysService, ServeTarget, EvalFormat } from './command-args';
import { packageVersion } from './package-info';
import { USAGE_ERROR_EXIT_CODE } from './usage-error';

// Command modules load on use, so `--help` stays fast and one unfinished command cannot break the others.
const commands = {
  serve: () => require('./commands/serve') as typeof import('./commands/serve'),
  eval: () => require('./commands/eval') as typeof import('./commands/eval'),
  test: () => require('./commands/test') as typeof import('./commands/test'),
  bench: () => require('./commands/bench') as typeof import('./commands/bench'),
  conformance: () => require('./commands/conformance') as typeof import('./commands/conformance'),
  bundleBuild: () => require('./commands/bundle-build') as typeof import('./commands/bundle-build'),
  migrate: () => require('./commands/migrate') as typeof import('./commands/migrate'),
  auditVerify: () => require('./commands/audit-verify') as typeof import('./commands/audit-verify'),
  deadLetters: () => require('./commands/dead-letters') as typeof import('./commands/dead-letters'),
  auditRetention: () => require('./commands/audit-retention') as typeof import('./commands/audit-retention'),
  tools: () => require('./commands/tools') as typeof import('./commands/tools'),
  keysCreate: () => require('./commands/keys-create') as typeof import('./commands/keys-create'),
  keysList: () => require('./commands/keys-list') as typeof import('./commands/keys-list'),
  keysRevoke: () => require('./commands/keys-revoke') as typeof import('./commands/keys-revoke'),
};

const SERVE_TARGETS: ServeTarget[] = ['all', 'pdp', 'proxy', 'audit'];
const EVAL_FORMATS: EvalFormat[] = ['json', 'raw', 'pretty'];
const KEYS_SERVICES: KeysService[] = ['pdp', 'proxy', 'audit'];

function repeatable(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parsePercent(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('expected a percentage between 0 and 100');
  return n;
}

function parseDays(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('expected a whole number of days, at least 1');
  return n;
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('expected a whole number, at least 1');
  return n;
}

/**
 * Commander has printed what is wrong with the command line (or the help asked for); instead of exiting,
 * throw to main with the exit code: 0 after --help and --version, USAGE_ERROR_EXIT_CODE for every parse
 * error (commander's own is 1, which scripts could not tell from a failed command).
 */
function throwWithUsageExitCode(error: CommanderError): never {
  throw new CommanderError(error.exitCode === 0 ? 0 : USAGE_ERROR_EXIT_CODE, error.code, error.message);
}

function setExitCode(code: number): void {
  process.exitCode = code;
}

function dataOption(): Option {
  return new Option('-d, --data <path>', '.rego/.json file or directory (repeatable)').argParser(repeatable).default([]);
}

function keysFileOptions(command: Command): Command {
  return command
    .addOption(new Option('--service <service>', 'the keys file this service reads').choices(KEYS_SERVICES))
    .option('--file <path>', 'an explicit keys file');
}

/** The whole command line of `mcp-authz`, as listed in the GUIDE. Actions set `process.exitCode`. */
export function buildProgram(): Command {
  const program = new Command('mcp-authz')
    .description('MCP authorization: Rego policy decision point, enforcing MCP proxy, tamper-evident audit log')
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride(throwWithUsageExitCode);

  program
    .command('serve')
    .description('start services (npm start = serve all)')
    .addArgument(new Argument('[service]', 'which service').choices(SERVE_TARGETS).default('all'))
    .option('--stdio', 'proxy: speak MCP on stdin/stdout instead of HTTP', false)
    .action(async (target: ServeTarget, options: { stdio: boolean }) =>
      setExitCode(await commands.serve().run({ target, stdio: options.stdio })),
    );

  program
    .command('eval')
    .description('evaluate a Rego query like `opa eval`')
    .argument('<query>', 'Rego query, e.g. data.mcp.gateway.decision')
    .addOption(dataOption())
    .option('-i, --input <file>', 'input document (JSON)')
    .addOption(new Option('-f, --format <format>', 'output format; raw prints one value as JSON, nothing when undefined').choices(EVAL_FORMATS).default('json'))
    .action(async (query: string, options: { data: string[]; input?: string; format: EvalFormat }) =>
      setExitCode(await commands.eval().run({ query, ...options })),
    );

  program
    .command('test')
    .description('run test_* rules like `opa test`; exit 0 only when all pass, 1 when one fails or errs, 2 when all pass but coverage is below --threshold')
    .argument('<paths...>', 'policy and test files or directories')
    .option('-v, --verbose', 'print every test result', false)
    .option('--coverage', 'report line coverage per file', false)
    .option('--threshold <percent>', 'with --coverage: fail below this total line coverage', parsePercent)
    .action(async (paths: string[], options: { verbose: boolean; coverage: boolean; threshold?: number }) =>
      setExitCode(await commands.test().run({ paths, ...options })),
    );

  program
    .command('bench')
    .description('benchmark a Rego query like `opa bench`')
    .argument('<query>', 'Rego query')
    .addOption(dataOption())
    .option('-i, --input <file>', 'input document (JSON)')
    .option('--json', 'print {"ns_per_op": N, "samples": N}', false)
    .action(async (query: string, options: { data: string[]; input?: string; json: boolean }) =>
      setExitCode(await commands.bench().run({ query, ...options })),
    );

  program
    .command('conformance')
    .description('run conformance case files (format: ../shared/conformance/README.md); exit 0 when the run completes, whatever the pass rate')
    .argument('<dir>', 'directory of case files')
    .option('--json', 'print totals and per-category results as JSON', false)
    .option('-v, --verbose', 'list every failing case with the reason', false)
    .action(async (dir: string, options: { json: boolean; verbose: boolean }) => setExitCode(await commands.conformance().run({ dir, ...options })));

  program
    .command('bundle')
    .description('policy bundles')
    .command('build')
    .description('build an OPA bundle (.manifest, *.rego, data.json)')
    .argument('<dir>', 'policy directory')
    .requiredOption('-o, --output <file>', 'bundle file to write (.tar.gz)')
    .option('--revision <revision>', 'revision recorded in .manifest')
    .option('--signing-key <key>', 'sign the bundle: PEM private key file (RS/PS/ES) or HMAC secret (HS)')
    .option('--signing-alg <alg>', 'signature algorithm', 'RS256')
    .option('--signing-key-id <id>', 'key id recorded in the signature (kid)')
    .action(async (dir: string, options: { output: string; revision?: string; signingKey?: string; signingAlg?: string; signingKeyId?: string }) =>
      setExitCode(await commands.bundleBuild().run({ dir, ...options })),
    );

  program
    .command('migrate')
    .description('apply migrations/ to DATABASE_URL (or the embedded database)')
    .action(async () => setExitCode(await commands.migrate().run({})));

  const audit = program.command('audit').description('audit log');
  audit
    .command('verify')
    .description('check the audit hash chain; exit 0 when intact, 1 when broken, 3 when it cannot be checked (the database cannot be reached or read)')
    .option('--tenant <tenant>', 'only this tenant')
    .action(async (options: { tenant?: string }) => setExitCode(await commands.auditVerify().run(options)));
  audit
    .command('retention')
    .description('drop audit day partitions older than N days once (chain anchors kept); exit 2 when neither --days nor AUDIT_RETENTION_DAYS gives a period')
    .option('--days <n>', 'retention period (default AUDIT_RETENTION_DAYS)', parseDays)
    .action(async (options: { days?: number }) => setExitCode(await commands.auditRetention().run(options)));

  const deadLetters = program.command('dead-letters').description('SIEM deliveries given up on (AUDIT_SINKS)');
  deadLetters
    .command('list')
    .description('dead letters, newest first')
    .option('--sink <name>', 'only this sink')
    .option('--limit <n>', 'at most this many (default 100)', parseLimit, 100)
    .option('--all', 'include dead letters already redriven', false)
    .option('--json', 'print JSON', false)
    .action(async (options: { sink?: string; limit: number; all: boolean; json: boolean }) => setExitCode(await commands.deadLetters().list(options)));
  deadLetters
    .command('redrive')
    .description('queue dead letters for delivery again; exit 2 for a sink AUDIT_SINKS does not name or a malformed --event-id')
    .option('--sink <name>', 'only this sink')
    .option('--event-id <id...>', 'only these events')
    .action(async (options: { sink?: string; eventId?: string[] }) =>
      setExitCode(await commands.deadLetters().redrive({ sink: options.sink, eventIds: options.eventId })),
    );

  const tools = program.command('tools').description('tool-definition pinning');
  tools
    .command('approve')
    .description("approve an upstream tool's changed definition; exit 1 when the server or tool has no pin")
    .argument('<server>', 'upstream MCP server name')
    .argument('[tool]', 'tool name (all changed tools of the server when omitted)')
    .option('--file <path>', 'the proxy tool pins file (default PROXY_PINS_FILE or ./.data/proxy/tool-pins.json)')
    .action(async (server: string, tool: string | undefined, options: { file?: string }) =>
      setExitCode(await commands.tools().approve({ server, tool, file: options.file })),
    );
  tools
    .command('list')
    .description('pinned tools; CHANGED marks definitions waiting for approval')
    .argument('[server]', 'only this upstream MCP server')
    .option('--changed', 'only changed definitions', false)
    .option('--json', 'print JSON', false)
    .option('--file <path>', 'the proxy tool pins file (default PROXY_PINS_FILE or ./.data/proxy/tool-pins.json)')
    .action(async (server: string | undefined, options: { changed: boolean; json: boolean; file?: string }) =>
      setExitCode(await commands.tools().list({ server, ...options })),
    );

  const keys = program.command('keys').description('API keys of the services');
  keysFileOptions(
    keys
      .command('create')
      .description('create a key: prints it once, stores only its SHA-256 hash')
      .requiredOption('--name <name>', 'who or what uses the key')
      .requiredOption('--tenant <tenant>', 'tenant the key acts for')
      .addOption(new Option('--role <role>', 'web console role (default viewer)').choices(['viewer', 'admin']))
      .option('--expires <date>', 'expiry date or time (ISO 8601)')
      .option('--json', 'print the new key and its record as JSON', false),
  ).action(async (options: { name: string; tenant: string; role?: 'viewer' | 'admin'; expires?: string; json: boolean; service?: KeysService; file?: string }) =>
    setExitCode(await commands.keysCreate().run(options)),
  );
  keysFileOptions(keys.command('list').description('list keys (never the keys themselves)').option('--json', 'print JSON', false)).action(
    async (options: { json: boolean; service?: KeysService; file?: string }) => setExitCode(await commands.keysList().run(options)),
  );
  keysFileOptions(keys.command('revoke').description('revoke a key by id; exit 1 when the file has no such key').argument('<id>', 'key id (from keys list)')).action(
    async (id: string, options: { service?: KeysService; file?: string }) => setExitCode(await commands.keysRevoke().run({ id, ...options })),
  );

  program.addHelpText('after', () => `\nCommands and their flags:\n${commandSynopses(program).map((line) => `  ${line}`).join('\n')}\n\n${EXIT_CODES}`);
  return program;
}

const EXIT_CODES = `Exit codes (unless a command above says more):
  0  done
  1  the command ran and failed: a policy, input or file that cannot be read or compiled,
     a database that cannot be reached, a key, server or tool that is not there
  2  usage error: the command line cannot be carried out as written (unknown command or
     option, missing or invalid argument, contradicting flags); or configuration error:
     an environment variable is invalid (the message names it)
  serve runs until SIGTERM or SIGINT, then exits 0 after a clean shutdown (1 when it fails or
  overruns its deadline); it exits 2 on a configuration error, before starting anything, and
  1 when a service fails to start (a port already in use, for one).
`;

/** Two lines per runnable command: every flag, e.g. `mcp-authz eval [-d <path>]... [-f json|raw|pretty] <query>`, then what it does. */
function commandSynopses(command: Command, prefix = 'mcp-authz'): string[] {
  return command.commands.flatMap((sub) => {
    const path = `${prefix} ${sub.name()}`;
    if (sub.commands.length > 0) return commandSynopses(sub, path);
    const flags = sub.options.map(optionSynopsis);
    const args = sub.registeredArguments.map((argument) => {
      const name = argument.argChoices ? argument.argChoices.join('|') : `${argument.name()}${argument.variadic ? '...' : ''}`;
      return argument.required ? `<${name}>` : `[${name}]`;
    });
    return [[path, ...flags, ...args].join(' '), `    ${sub.description()}`];
  });
}

function optionSynopsis(option: Option): string {
  const name = option.short ?? option.long ?? option.flags;
  const value = option.argChoices ? option.argChoices.join('|') : /<[^>]+>/.exec(option.flags)?.[0];
  const text = value ? `${name} ${value}` : name;
  if (option.mandatory) return text;
  return Array.isArray(option.defaultValue) ? `[${text}]...` : `[${text}]`;
}
