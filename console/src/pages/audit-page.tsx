import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleClient } from '../api/console-client';
import type { AuditEvent, ConsoleRole, EventPage, SinksReport, VerifyResult } from '../api/console-types';
import { ErrorNotice } from '../components/error-notice';
import { JsonView } from '../components/json-view';
import { TimeText } from '../components/time-text';
import { useLoad } from '../components/use-load';
import { hrefOf } from '../routing/hash-route';
import { auditQueryOf, filtersFromParams, type AuditFilterForm } from './audit-filters';

const PAGE_SIZE = '25';

/** Audit explorer: filter the trail, page through it, read one event, verify the chain, export, watch SIEM delivery. */
export function AuditPage({ client, params, role }: { client: ConsoleClient; params: URLSearchParams; role: ConsoleRole }) {
  const [form, setForm] = useState<AuditFilterForm>(() => filtersFromParams(params));
  const [applied, setApplied] = useState<AuditFilterForm>(form);
  // Keyset pagination: the cursors of the pages before this one, to go back without offsets.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const page = useLoad(() => client.get<EventPage>('/audit/events', { ...auditQueryOf(applied), limit: PAGE_SIZE, cursor }), [client, applied, cursor]);
  const [selected, setSelected] = useState<AuditEvent | null>(null);

  useEffect(() => setSelected(null), [applied, cursor]);

  const field = (name: keyof AuditFilterForm, label: string, type: 'text' | 'datetime-local' = 'text') => (
    <div class="field">
      <label for={`filter-${name}`}>{label}</label>
      {type === 'text' ? (
        <input id={`filter-${name}`} type="text" value={form[name]} onInput={(event) => setForm({ ...form, [name]: event.currentTarget.value })} />
      ) : (
        <input id={`filter-${name}`} type="datetime-local" value={form[name]} onInput={(event) => setForm({ ...form, [name]: event.currentTarget.value })} />
      )}
    </div>
  );

  return (
    <div class="page">
      <h1>Audit explorer</h1>
      <form
        class="card filters"
        aria-label="Filters"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(form);
          setCursors([undefined]);
        }}
      >
        {field('principal', 'Principal')}
        {field('agent', 'Agent')}
        <div class="field">
          <label for="filter-decision">Decision</label>
          <select id="filter-decision" value={form.decision} onChange={(event) => setForm({ ...form, decision: event.currentTarget.value as AuditFilterForm['decision'] })}>
            <option value="">any</option>
            <option value="allow">allow</option>
            <option value="deny">deny</option>
          </select>
        </div>
        {field('server', 'Server')}
        {field('tool', 'Tool')}
        {field('action', 'Action')}
        <div class="field">
          <label for="filter-event_type">Event type</label>
          <select id="filter-event_type" value={form.event_type} onChange={(event) => setForm({ ...form, event_type: event.currentTarget.value as AuditFilterForm['event_type'] })}>
            <option value="">any</option>
            <option value="decision">decision</option>
            <option value="mcp_request">mcp_request</option>
            <option value="admin">admin</option>
          </select>
        </div>
        {field('from', 'From', 'datetime-local')}
        {field('to', 'To', 'datetime-local')}
        <div class="field field-actions">
          <button type="submit" class="primary">
            Search
          </button>
        </div>
      </form>
      <ErrorNotice error={page.error} />
      <div class="columns">
        <section class="card" aria-label="Events">
          <div class="section-header">
            <h2>Events</h2>
            <ExportLinks client={client} query={auditQueryOf(applied)} />
          </div>
          <table class="table table-clickable" data-testid="audit-events">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Decision</th>
                <th scope="col">Principal</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
              </tr>
            </thead>
            <tbody>
              {(page.data?.events ?? []).map((event) => (
                <tr key={event.event_id} aria-current={selected?.event_id === event.event_id ? 'true' : undefined}>
                  <td>
                    <button type="button" class="link" onClick={() => setSelected(event)} aria-label={`Show event ${event.event_id}`}>
                      <TimeText at={event.occurred_at} />
                    </button>
                  </td>
                  <td>{event.decision ? <span class={`badge badge-${event.decision}`}>{event.decision.toUpperCase()}</span> : <span class="hint">{event.event_type}</span>}</td>
                  <td>{event.principal?.id ?? event.agent_id ?? '—'}</td>
                  <td>
                    <code>{event.action ?? '—'}</code>
                  </td>
                  <td>{[event.server, event.tool ?? event.uri ?? event.prompt].filter(Boolean).join(' / ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.data && page.data.events.length === 0 && <p class="hint">No event matches.</p>}
          <div class="pager">
            <button type="button" disabled={cursors.length <= 1 || page.loading} onClick={() => setCursors(cursors.slice(0, -1))}>
              Newer
            </button>
            <span class="hint">Page {cursors.length}</span>
            <button type="button" disabled={!page.data?.next_cursor || page.loading} onClick={() => setCursors([...cursors, page.data!.next_cursor!])}>
              Older
            </button>
          </div>
        </section>
        <div>
          {selected ? <EventDetail event={selected} /> : <p class="card hint">Choose an event to see its details.</p>}
          <ChainStatus client={client} />
        </div>
      </div>
      <SiemSinks client={client} role={role} />
    </div>
  );
}

function EventDetail({ event }: { event: AuditEvent }) {
  const rows: [string, unknown][] = [
    ['Event id', event.event_id],
    ['Type', event.event_type],
    ['Tenant', event.tenant],
    ['Occurred', event.occurred_at],
    ['Decision', event.decision],
    ['Reason', event.reason],
    ['Principal', event.principal ? `${event.principal.id} (${event.principal.type ?? 'unknown type'})` : undefined],
    ['Agent', event.agent_id],
    ['Action', event.action],
    ['Server', event.server],
    ['Tool', event.tool],
    ['URI', event.uri],
    ['Prompt', event.prompt],
    ['Revision', event.revision],
    ['Decision id', event.decision_id],
    ['Request id', event.request_id],
    ['Session id', event.session_id],
    ['Latency', event.latency_ms === undefined ? undefined : `${event.latency_ms} ms`],
    ['Outcome', event.outcome],
    ['Chain position', event.seq],
  ];
  return (
    <section class="card" aria-label="Event detail" data-testid="event-detail">
      <div class="section-header">
        <h2>Event</h2>
        <a class="button" href={hrefOf('playground', { event: event.event_id })}>
          Open in playground
        </a>
      </div>
      <dl class="facts">
        {rows
          .filter(([, value]) => value !== undefined && value !== null && value !== '')
          .map(([label, value]) => (
            <Fragment key={label}>
              <dt>{label}</dt>
              <dd>
                <code>{String(value)}</code>
              </dd>
            </Fragment>
          ))}
      </dl>
      <h3>Payload (secrets redacted before storage)</h3>
      <JsonView value={event.payload ?? null} label="Event payload" />
    </section>
  );
}

function ChainStatus({ client }: { client: ConsoleClient }) {
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function verify() {
    setBusy(true);
    setError(null);
    try {
      setResult(await client.get<VerifyResult>('/audit/verify'));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="card" aria-label="Hash chain">
      <div class="section-header">
        <h2>Hash chain</h2>
        <button type="button" onClick={() => void verify()} disabled={busy}>
          {busy ? 'Verifying…' : 'Verify chain'}
        </button>
      </div>
      <ErrorNotice error={error} />
      {result ? (
        <p data-testid="chain-status" role="status">
          <span class={`badge ${result.ok ? 'badge-ok' : 'badge-fail'}`}>{result.ok ? 'INTACT' : 'BROKEN'}</span> {result.checked} events checked
          {result.first_broken && (
            <>
              {' '}
              — first break in tenant <code>{result.first_broken.tenant}</code> at position {result.first_broken.seq}: {result.first_broken.reason}
            </>
          )}
        </p>
      ) : (
        <p class="hint">Recomputes every event's hash link for your tenant.</p>
      )}
    </section>
  );
}

function ExportLinks({ client, query }: { client: ConsoleClient; query: Record<string, string | undefined> }) {
  const [error, setError] = useState<unknown>(null);
  const download = (format: 'ndjson' | 'csv') => {
    setError(null);
    client.download('/audit/export', { ...query, format }, `audit-events.${format}`).catch(setError);
  };
  return (
    <div class="export">
      <span class="hint">Export the matching events:</span>
      <button type="button" onClick={() => download('ndjson')}>
        NDJSON
      </button>
      <button type="button" onClick={() => download('csv')}>
        CSV
      </button>
      <ErrorNotice error={error} />
    </div>
  );
}

const BREAKER_CLASS = { closed: 'badge-ok', 'half-open': 'badge-warn', open: 'badge-fail', unknown: 'badge-skip' } as const;

function SiemSinks({ client, role }: { client: ConsoleClient; role: ConsoleRole }) {
  const report = useLoad(() => client.get<SinksReport>('/audit/sinks'), [client]);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function redrive(sink?: string) {
    setError(null);
    setMessage(null);
    try {
      const answer = await client.post<{ redriven: number }>('/audit/dead-letters/redrive', sink ? { sink } : {});
      setMessage(`${answer.redriven} dead letter${answer.redriven === 1 ? '' : 's'} queued for delivery again`);
      report.reload();
    } catch (failure) {
      setError(failure);
    }
  }
  const data = report.data;
  return (
    <section class="card" aria-label="SIEM delivery">
      <div class="section-header">
        <h2>SIEM delivery</h2>
        <button type="button" onClick={report.reload}>
          Refresh
        </button>
      </div>
      <ErrorNotice error={report.error ?? error} />
      {message && (
        <p class="notice notice-ok" role="status">
          {message}
        </p>
      )}
      {data && data.sinks.length === 0 && <p class="hint">No SIEM sink is configured on the audit service (AUDIT_SINKS).</p>}
      {data && data.sinks.length > 0 && (
        <table class="table" data-testid="siem-sinks">
          <thead>
            <tr>
              <th scope="col">Sink</th>
              <th scope="col" class="num">Lag</th>
              <th scope="col">Breaker</th>
              <th scope="col" class="num">Dead letters</th>
              <th scope="col" class="num">Delivered</th>
              {role === 'admin' && <th scope="col">Re-drive</th>}
            </tr>
          </thead>
          <tbody>
            {data.sinks.map((sink) => (
              <tr key={sink.sink}>
                <td>
                  <code>{sink.sink}</code>
                </td>
                <td class="num">{sink.lag_seconds === null ? '—' : `${sink.lag_seconds.toFixed(1)} s`}</td>
                <td>
                  <span class={`badge ${BREAKER_CLASS[sink.breaker]}`}>{sink.breaker}</span>
                </td>
                <td class="num">{sink.dead_letters ?? '—'}</td>
                <td class="num">{sink.delivered_total ?? '—'}</td>
                {role === 'admin' && (
                  <td>
                    <button type="button" disabled={!sink.dead_letters} onClick={() => void redrive(sink.sink)}>
                      Re-drive {sink.sink}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.dead_letters && data.dead_letters.length > 0 && (
        <>
          <h3>Dead letters</h3>
          <table class="table" data-testid="dead-letters">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Sink</th>
                <th scope="col" class="num">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Given up</th>
              </tr>
            </thead>
            <tbody>
              {data.dead_letters.map((letter) => (
                <tr key={`${letter.sink}/${letter.event_id}`}>
                  <td>
                    <code>{letter.event_id}</code>
                  </td>
                  <td>{letter.sink}</td>
                  <td class="num">{letter.attempts}</td>
                  <td>{letter.last_error ?? '—'}</td>
                  <td>
                    <TimeText at={letter.dead_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {data && !data.dead_letters_available && <p class="hint">The audit service does not list dead letters (no SIEM forwarder running).</p>}
    </section>
  );
}
