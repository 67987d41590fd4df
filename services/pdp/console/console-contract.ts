import type { DeadLetter } from '../../common/contracts/audit-event';
import type { DecisionDocument } from '../contracts/authorize';
import type { ExplainedRule } from '../engines/decision-engine';

/**
 * The console API's answers, one definition for the routes that build them and the browser app that
 * reads them (console/src imports these types). It may import only modules free of Node APIs, since the
 * console's type-check, which has no Node types, reads every file this one reaches.
 */

export type { DecisionDocument, ExplainedRule };

export type ConsoleRole = 'viewer' | 'admin';

export interface ConsoleFeatures {
  /** Scratch Rego editing in the playground (`PDP_CONSOLE_DEV=true`). */
  scratchPolicies: boolean;
  audit: boolean;
  tools: boolean;
}

/** `GET …/session`: who the console is talking to and what it may show; never the key or token itself. */
export interface ConsoleSession {
  role: ConsoleRole;
  authenticated: boolean;
  /** Who signed in, with an API key or a JWT; null when the PDP runs without authentication. */
  caller: { via: 'api_key' | 'jwt'; id: string; name: string; tenant: string; expires_at: string | null } | null;
  key: { id: string; name: string; tenant: string } | null;
  features: ConsoleFeatures;
}

export const PLAYGROUND_ENTRYPOINTS = ['mcp/gateway/decision', 'mcp/a2a/decision'] as const;
export type PlaygroundEntrypoint = (typeof PLAYGROUND_ENTRYPOINTS)[number];

export interface PlaygroundExample {
  name: string;
  entrypoint: PlaygroundEntrypoint;
  input: unknown;
}

/** What the playground shows for one evaluation: the decision as the PDP would read it, and why. */
export interface PlaygroundResult {
  entrypoint: PlaygroundEntrypoint;
  revision: string;
  engine: 'native' | 'wasm';
  outcome: 'defined' | 'undefined' | 'error';
  /** The decision read fail-closed, exactly as `/v1/authorize` answers. */
  decision: DecisionDocument;
  /** The document the policy produced, unchanged (undefined when it produced none). */
  document: unknown;
  explanation: ExplainedRule[];
  error?: string;
  duration_ms: number;
}

export type PolicyTestOutcome = 'pass' | 'fail' | 'error' | 'skip';

export interface PolicyTestCase {
  name: string;
  file: string;
  row: number;
  outcome: PolicyTestOutcome;
  message?: string;
  duration_ms: number;
}

export interface PolicyFileCoverage {
  file: string;
  percent: number;
  covered: number[];
  not_covered: number[];
}

/** One run of the test files against the active bundle's policies, as the Policy tests page shows it. */
export interface PolicyTestReport {
  revision: string | null;
  bundle: string;
  tests_dir: string;
  summary: Record<PolicyTestOutcome, number> & { total: number };
  tests: PolicyTestCase[];
  coverage: { percent: number; files: PolicyFileCoverage[] };
}

/** How signed bundles are checked, without the key itself. */
export interface SignaturePolicy {
  required: boolean;
  algorithm?: string;
  keyId?: string;
}

export interface BundleReport {
  source: string;
  source_kind: 'directory or file' | 'http';
  active: { revision: string; engine: string; entrypoints: readonly string[]; activated_at: string } | null;
  last_check_at: string | null;
  last_error: { message: string; at: string } | null;
  /** Bundles are activated only after their signature verified, so the active one is `verified` when signatures are required. */
  signature: SignaturePolicy & { status: 'verified' | 'not_checked' | 'no_bundle' };
  history: ({ kind: 'activated'; revision: string; engine: string; at: string } | { kind: 'failed'; message: string; at: string })[];
}

/** What the console shows per SIEM sink, read from the audit service's `audit_siem_*` metrics. */
export interface SinkHealth {
  sink: string;
  lag_seconds: number | null;
  breaker: 'closed' | 'half-open' | 'open' | 'unknown';
  dead_letters: number | null;
  delivered_total: number | null;
}

export interface ScratchModule {
  file: string;
  source: string;
}

export interface ReplayedDecision {
  event_id: string;
  occurred_at: string;
  principal: string | null;
  summary: string;
  active: boolean;
  scratch: boolean;
  changed: boolean;
}

/** `POST …/playground/scratch/compare`: the input and the recently audited decisions on both bundles. */
export interface ScratchComparison {
  active: PlaygroundResult;
  scratch: PlaygroundResult;
  recent: { replayed: number; changed: number; decisions: ReplayedDecision[] };
}

/** `GET …/audit/sinks`: sink health, and the dead letters when the PDP's audit key may list them. */
export interface SinksReport {
  sinks: SinkHealth[];
  dead_letters: DeadLetter[] | null;
  dead_letters_available: boolean;
}
