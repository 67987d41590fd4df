import type { AuditEventInput } from '../../common/audit-client';
import type { ActiveBundle } from '../engines/decision-engine';

/** A decision's audit event: the shared audit contract (`event_type: decision`, never tokens). */
export type DecisionEvent = AuditEventInput & { event_type: 'decision'; event_id: string; decision_id: string };

/** What OPA puts in a decision log besides the event: the input and result, masked by `system.log.mask`. */
export interface DecisionLog {
  input: unknown;
  result: unknown;
  /** The bundle that decided: its `system.log.mask` rule masks the log. */
  bundle: ActiveBundle | null;
  /** The decision cache's key (revision, entrypoint, canonical input) when one was computed. */
  cacheKey?: string;
}

/**
 * Hands decisions to the audit pipeline; must return at once (it queues, never waits for the audit service).
 * It takes the event over: the caller builds a new one per decision and does not touch it afterwards.
 */
export interface DecisionRecorder {
  record(event: DecisionEvent, log?: DecisionLog): void;
}
