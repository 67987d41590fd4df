/** A decision as the audit service records it (GUIDE "Audit events"); never carries parameters or tokens. */
export interface DecisionEvent {
  event_id: string;
  event_type: 'decision';
  occurred_at: string;
  tenant: string;
  decision?: 'allow' | 'deny';
  principal?: { id: string; type: string };
  agent_id?: string;
  action?: string;
  server?: string;
  tool?: string;
  uri?: string;
  prompt?: string;
  reason?: string;
  revision?: string;
  decision_id: string;
  request_id?: string;
  session_id?: string;
  latency_ms: number;
  payload?: Record<string, unknown>;
}

/** Hands decisions to the audit pipeline; must return at once (it queues, never waits for the audit service). */
export interface DecisionRecorder {
  record(event: DecisionEvent): void;
}

export const discardingRecorder: DecisionRecorder = { record: () => undefined };
