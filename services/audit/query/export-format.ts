import type { StoredAuditEvent } from '../../common/contracts/audit-event';

export type ExportFormat = 'ndjson' | 'csv';

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** CSV columns: the event's flat fields, then the payload as JSON, then the chain. */
export const CSV_COLUMNS = [
  'event_id', 'tenant', 'seq', 'event_type', 'occurred_at', 'received_at', 'decision', 'principal_id', 'principal_type',
  'agent_id', 'action', 'server', 'tool', 'uri', 'prompt', 'reason', 'revision', 'decision_id', 'request_id',
  'session_id', 'latency_ms', 'outcome', 'error', 'payload', 'prev_hash', 'hash',
] as const;

export function exportHeader(format: ExportFormat): string {
  return format === 'csv' ? `${CSV_COLUMNS.join(',')}\r\n` : '';
}

export function exportLine(format: ExportFormat, event: StoredAuditEvent): string {
  return format === 'csv' ? csvLine(event) : `${JSON.stringify(event)}\n`;
}

function csvLine(event: StoredAuditEvent): string {
  const flat: Record<string, unknown> = {
    ...event,
    principal_id: event.principal?.id,
    principal_type: event.principal?.type,
    payload: event.payload === undefined ? undefined : JSON.stringify(event.payload),
  };
  return `${CSV_COLUMNS.map((column) => csvCell(flat[column])).join(',')}\r\n`;
}

/**
 * RFC 4180 quoting, plus a leading `'` on cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`):
 * audit exports end up in spreadsheets, and event fields come from callers.
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
