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
  siem_events_delivered: number;
  siem_events_received: number;
  siem_lag_seconds: number;
  /** Seconds from the end of the load until the SIEM receiver had every stored event (null: not within the wait). */
  siem_catch_up_seconds: number | null;
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
export async function collectServerFigures(urls: { pdp: string; audit: string; proxy: string; siem: string }, siemCatchUpSeconds: number | null): Promise<ServerFigures> {
  const [pdp, audit, proxy, siem] = await Promise.all([text(`${urls.pdp}/metrics`), text(`${urls.audit}/metrics`), text(`${urls.proxy}/metrics`), text(`${urls.siem}/metrics`)]);
  const verify = JSON.parse(await text(`${urls.audit}/v1/verify?tenant=default`)) as { ok: boolean; checked: number };
  return {
    pdp_decisions: metricTotal(pdp, 'pdp_decisions_total'),
    pdp_decision_errors: metricTotal(pdp, 'pdp_decisions_total', 'result="error"'),
    audit_events_stored: metricTotal(audit, 'audit_events_ingested_total'),
    audit_chain_intact: verify.ok,
    audit_events_verified: verify.checked,
    audit_client_events_dropped: metricTotal(pdp, 'audit_client_events_dropped_total') + metricTotal(proxy, 'audit_client_events_dropped_total'),
    audit_client_events_spooled: metricTotal(pdp, 'audit_client_spool_events') + metricTotal(proxy, 'audit_client_spool_events'),
    siem_events_delivered: metricTotal(audit, 'audit_siem_events_delivered_total'),
    siem_events_received: metricTotal(siem, 'hec_receiver_events_total'),
    siem_lag_seconds: metricTotal(audit, 'audit_siem_lag_seconds'),
    siem_catch_up_seconds: siemCatchUpSeconds,
  };
}

const CATCH_UP_POLL_MS = 250;

/**
 * Waits until the SIEM receiver holds as many events as the audit service stored (forwarding caught up
 * with ingest); the seconds it took, or null when it did not within `limitSeconds`.
 */
export async function waitForSiemCatchUp(urls: { audit: string; siem: string }, limitSeconds: number): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < limitSeconds * 1000) {
    const [audit, siem] = await Promise.all([text(`${urls.audit}/metrics`), text(`${urls.siem}/metrics`)]);
    const stored = metricTotal(audit, 'audit_events_ingested_total');
    if (stored > 0 && metricTotal(siem, 'hec_receiver_events_total') >= stored) return (Date.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
  }
  return null;
}
