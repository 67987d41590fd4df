// The console API's answers, as services/pdp/console returns them.

export type ConsoleRole = 'viewer' | 'admin';

export interface Session {
  role: ConsoleRole;
  authenticated: boolean;
  key: { id: string; name: string; tenant: string } | null;
  features: { scratchPolicies: boolean; audit: boolean; tools: boolean };
}

export type Entrypoint = 'mcp/gateway/decision' | 'mcp/a2a/decision';

export interface PlaygroundExample {
  name: string;
  entrypoint: Entrypoint;
  input: unknown;
}

export interface ExplainedRule {
  rule: string;
  location: string;
}

export interface DecisionDocument {
  allow: boolean;
  reasons: string[];
  cache_ttl: number;
  filtered_parameters?: Record<string, unknown>;
  obligations?: Record<string, unknown>;
}

export interface PlaygroundResult {
  entrypoint: Entrypoint;
  revision: string;
  engine: 'native' | 'wasm';
  outcome: 'defined' | 'undefined' | 'error';
  decision: DecisionDocument;
  document: unknown;
  explanation: ExplainedRule[];
  error?: string;
  duration_ms: number;
}

export type TestOutcome = 'pass' | 'fail' | 'error' | 'skip';

export interface PolicyTestReport {
  revision: string | null;
  bundle: string;
  tests_dir: string;
  summary: Record<TestOutcome, number> & { total: number };
  tests: { name: string; file: string; row: number; outcome: TestOutcome; message?: string; duration_ms: number }[];
  coverage: { percent: number; files: { file: string; percent: number; covered: number[]; not_covered: number[] }[] };
}
