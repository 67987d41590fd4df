/**
 * An event as stored and hashed: validated, masked and redacted, `occurred_at` normalised to UTC with
 * millisecond precision (what both Postgres and JavaScript dates keep exactly). Absent fields are left out or,
 * in a freshly prepared event, undefined (JSON.stringify leaves those out too).
 * Its canonical JSON is what the chain hashes, both at ingest and at verification.
 */
export interface ChainedEvent {
  event_id: string;
  event_type: string;
  occurred_at: string;
  tenant: string;
  decision?: string;
  principal?: { id: string; type?: string };
  agent_id?: string;
  action?: string;
  server?: string;
  tool?: string;
  uri?: string;
  prompt?: string;
  reason?: string;
  revision?: string;
  decision_id?: string;
  request_id?: string;
  session_id?: string;
  latency_ms?: number;
  outcome?: string;
  error?: string;
  payload?: Record<string, unknown>;
}

/** Top-level text fields copied as they are between the event and its row. */
export const TEXT_FIELDS = [
  'decision',
  'agent_id',
  'action',
  'server',
  'tool',
  'uri',
  'prompt',
  'reason',
  'revision',
  'decision_id',
  'request_id',
  'session_id',
  'outcome',
  'error',
] as const;

export type TextField = (typeof TEXT_FIELDS)[number];
