/**
 * What each subcommand receives from the argument parser (`program.ts`). A command module exports
 * `run(args)` resolving to the process exit code; it may keep the process alive (as `serve` does).
 */

export type ServeTarget = 'all' | 'pdp' | 'proxy' | 'audit';

export interface ServeArgs {
  target: ServeTarget;
  /** `serve proxy --stdio`: the proxy speaks MCP over stdin/stdout instead of HTTP. */
  stdio: boolean;
}

export type EvalFormat = 'json' | 'raw' | 'pretty';

export interface EvalArgs {
  query: string;
  /** `-d PATH`, repeatable: `.rego` and `.json` files or directories. */
  data: string[];
  /** `-i FILE`: the input document. */
  input?: string;
  format: EvalFormat;
}

export interface TestArgs {
  paths: string[];
  verbose: boolean;
  coverage: boolean;
  /** `--threshold N`: with coverage, fail when total line coverage is below N percent. */
  threshold?: number;
}

export interface BenchArgs {
  query: string;
  data: string[];
  input?: string;
  json: boolean;
  /** How long to measure, after warm-up (default 2000 ms); not a flag, tests shorten it. */
  benchtimeMs?: number;
}

export interface ConformanceArgs {
  dir: string;
  json: boolean;
  /** `-v`: list every failing case with the reason. */
  verbose: boolean;
}

export interface BundleBuildArgs {
  dir: string;
  output: string;
  revision?: string;
  /** PEM private key file (RS*, PS*, ES*) or the HMAC secret (HS*): adds `.signatures.json` as `opa build --signing-key` does. */
  signingKey?: string;
  signingAlg?: string;
  signingKeyId?: string;
}

export type MigrateArgs = Record<string, never>;

export interface AuditVerifyArgs {
  tenant?: string;
}

export interface AuditRetentionArgs {
  /** `--days N`; `AUDIT_RETENTION_DAYS` when absent. */
  days?: number;
}

export interface ToolsApproveArgs {
  server: string;
  tool?: string;
  /** The proxy's tool pins file (default `PROXY_PINS_FILE` or `./.data/proxy/tool-pins.json`). */
  file?: string;
}

export interface ToolsListArgs {
  server?: string;
  changed?: boolean;
  json?: boolean;
  file?: string;
}

export type KeysService = 'pdp' | 'proxy' | 'audit';

/** Which keys file: the one a service reads (`--service`), or an explicit `--file`. */
export interface KeysFileChoice {
  service?: KeysService;
  file?: string;
}

export interface KeysCreateArgs extends KeysFileChoice {
  name: string;
  tenant: string;
  /** `--role viewer|admin`: what the key may do in the web console (default viewer). */
  role?: 'viewer' | 'admin';
  /** `--expires DATE` as given; validated by the command. */
  expires?: string;
  json: boolean;
}

export interface KeysListArgs extends KeysFileChoice {
  json: boolean;
}

export interface KeysRevokeArgs extends KeysFileChoice {
  id: string;
}
