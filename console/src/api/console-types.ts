// The console API's answers, as services/pdp/console returns them.

export type ConsoleRole = 'viewer' | 'admin';

export interface Session {
  role: ConsoleRole;
  authenticated: boolean;
  /** Who signed in, with an API key or a JWT; null when the PDP runs without authentication. */
  caller: { via: 'api_key' | 'jwt'; id: string; name: string; tenant: string; expires_at: string | null } | null;
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

export interface BundleReport {
  source: string;
  source_kind: 'directory or file' | 'http';
  active: { revision: string; engine: string; entrypoints: string[]; activated_at: string } | null;
  last_check_at: string | null;
  last_error: { message: string; at: string } | null;
  signature: { required: boolean; algorithm?: string; keyId?: string; status: 'verified' | 'not_checked' | 'no_bundle' };
  history: ({ kind: 'activated'; revision: string; engine: string; at: string } | { kind: 'failed'; message: string; at: string })[];
}

/** A stored audit event (GET /v1/events), as much of it as the console shows. */
export interface AuditEvent {
  event_id: string;
  event_type: 'decision' | 'mcp_request' | 'admin';
  occurred_at: string;
  recorded_at?: string;
  tenant: string;
  decision?: 'allow' | 'deny' | null;
  principal?: { id: string; type?: string } | null;
  agent_id?: string | null;
  action?: string | null;
  server?: string | null;
  tool?: string | null;
  uri?: string | null;
  prompt?: string | null;
  reason?: string | null;
  revision?: string | null;
  decision_id?: string | null;
  request_id?: string | null;
  session_id?: string | null;
  latency_ms?: number | null;
  outcome?: string | null;
  payload?: Record<string, unknown> | null;
  seq?: number;
  hash?: string;
}

export interface EventPage {
  events: AuditEvent[];
  next_cursor: string | null;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  first_broken: { tenant: string; seq: number; event_id: string | null; reason: string } | null;
}

export interface SinkHealth {
  sink: string;
  lag_seconds: number | null;
  breaker: 'closed' | 'half-open' | 'open' | 'unknown';
  dead_letters: number | null;
  delivered_total: number | null;
}

export interface DeadLetter {
  event_id: string;
  sink: string;
  tenant: string;
  occurred_at: string;
  attempts: number;
  last_error: string | null;
  dead_at: string;
  redriven_at: string | null;
}

export interface SinksReport {
  sinks: SinkHealth[];
  dead_letters: DeadLetter[] | null;
  dead_letters_available: boolean;
}

// The proxy's tool pins contract, as the PDP passes it on (types only: nothing of it reaches the bundle).
export type { PinnedTool } from '../../../services/common/contracts/tool-pins';

export interface ScratchModule {
  file: string;
  source: string;
}

export interface ScratchComparison {
  active: PlaygroundResult;
  scratch: PlaygroundResult;
  recent: {
    replayed: number;
    changed: number;
    decisions: { event_id: string; occurred_at: string; principal: string | null; summary: string; active: boolean; scratch: boolean; changed: boolean }[];
  };
}
