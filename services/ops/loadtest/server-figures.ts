/** The sum of one metric's samples in a Prometheus text exposition, over the label sets containing `label` (all when omitted). */
export function metricTotal(exposition: string, name: string, label?: string): number {
  let total = 0;
  for (const match of exposition.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm'))) {
    if (label === undefined || (match[1] ?? '').includes(label)) total += Number(match[2]);
  }
  return total;
}

export interface ServerFigures {
  pdp_decisions: number;
  pdp_decision_errors: number;
  audit_events_stored: number;
  audit_chain_intact: boolean;
  audit_events_verified: number;
  audit_client_events_dropped: number;
  audit_client_events_spooled: number;
}

async function text(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

/**
 * What the services themselves report after the run: decisions made, events stored, the audit hash
 * chain verified end to end, and whether any producer dropped or still spools audit events.
 */
export async function collectServerFigures(urls: { pdp: string; audit: string; proxy: string }): Promise<ServerFigures> {
  const [pdp, audit, proxy] = await Promise.all([text(`${urls.pdp}/metrics`), text(`${urls.audit}/metrics`), text(`${urls.proxy}/metrics`)]);
  const verify = JSON.parse(await text(`${urls.audit}/v1/verify?tenant=default`)) as { ok: boolean; checked: number };
  return {
    pdp_decisions: metricTotal(pdp, 'pdp_decisions_total'),
    pdp_decision_errors: metricTotal(pdp, 'pdp_decisions_total', 'result="error"'),
    audit_events_stored: metricTotal(audit, 'audit_events_ingested_total'),
    audit_chain_intact: verify.ok,
    audit_events_verified: verify.checked,
    audit_client_events_dropped: metricTotal(pdp, 'audit_client_events_dropped_total') + metricTotal(proxy, 'audit_client_events_dropped_total'),
    audit_client_events_spooled: metricTotal(pdp, 'audit_client_spool_events') + metricTotal(proxy, 'audit_client_spool_events'),
  };
}
