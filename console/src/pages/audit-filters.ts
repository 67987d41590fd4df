import { localTimeToIso } from './playground-seed';

/** The audit explorer's filter form, as typed (times in the reader's local time). */
export interface AuditFilterForm {
  principal: string;
  agent: string;
  decision: '' | 'allow' | 'deny';
  server: string;
  tool: string;
  action: string;
  event_type: '' | 'decision' | 'mcp_request' | 'admin';
  from: string;
  to: string;
}

export const EMPTY_FILTERS: AuditFilterForm = { principal: '', agent: '', decision: '', server: '', tool: '', action: '', event_type: '', from: '', to: '' };

/** The form as `GET /v1/events` query parameters: blanks left out, times as RFC 3339. */
export function auditQueryOf(form: AuditFilterForm): Record<string, string | undefined> {
  return {
    principal: form.principal.trim() || undefined,
    agent: form.agent.trim() || undefined,
    decision: form.decision || undefined,
    server: form.server.trim() || undefined,
    tool: form.tool.trim() || undefined,
    action: form.action.trim() || undefined,
    event_type: form.event_type || undefined,
    from: localTimeToIso(form.from),
    to: localTimeToIso(form.to),
  };
}

/** Filters from the page's URL (`#/audit?decision=deny`), so a filtered view can be linked. */
export function filtersFromParams(params: URLSearchParams): AuditFilterForm {
  const form = { ...EMPTY_FILTERS };
  for (const name of Object.keys(form) as (keyof AuditFilterForm)[]) {
    const value = params.get(name);
    if (value !== null) (form as Record<string, string>)[name] = value;
  }
  return form;
}
