import type { ConsoleClient } from '../api/console-client';
import type { BundleReport } from '../api/console-types';
import { ErrorNotice } from '../components/error-notice';
import { TimeText } from '../components/time-text';
import { useLoad } from '../components/use-load';

const SIGNATURE_TEXT: Record<BundleReport['signature']['status'], string> = {
  verified: 'Verified: the bundle was activated only after its signature checked out',
  not_checked: 'Not checked: no verification key is configured (PDP_BUNDLE_VERIFICATION_KEY)',
  no_bundle: 'No bundle active',
};

/** Bundles: which revision decides now, where it came from, and what happened before. */
export function BundlesPage({ client }: { client: ConsoleClient }) {
  const report = useLoad(() => client.get<BundleReport>('/bundles'), [client]);
  const data = report.data;
  return (
    <div class="page">
      <h1>Bundles</h1>
      <div class="toolbar">
        <button type="button" onClick={report.reload} disabled={report.loading}>
          Refresh
        </button>
      </div>
      <ErrorNotice error={report.error} />
      {data && (
        <>
          {data.last_error && (
            <div class="notice notice-error" role="alert">
              <strong>Last load failed</strong> (<TimeText at={data.last_error.at} />): {data.last_error.message}
              {data.active && ' — the active bundle stays in force.'}
            </div>
          )}
          <section class="card" aria-label="Active bundle">
            <h2>Active bundle</h2>
            <dl class="facts" data-testid="bundle-facts">
              <dt>Revision</dt>
              <dd>{data.active ? <code data-testid="active-revision">{data.active.revision}</code> : <span class="bad">none: every request is denied</span>}</dd>
              <dt>Engine</dt>
              <dd>{data.active?.engine ?? '—'}</dd>
              <dt>Entrypoints</dt>
              <dd>{data.active ? data.active.entrypoints.map((entrypoint) => <code key={entrypoint} class="chip">{entrypoint}</code>) : '—'}</dd>
              <dt>Source</dt>
              <dd>
                <code>{data.source}</code> <span class="hint">({data.source_kind})</span>
              </dd>
              <dt>Activated</dt>
              <dd>
                <TimeText at={data.active?.activated_at} />
              </dd>
              <dt>Last check</dt>
              <dd>
                <TimeText at={data.last_check_at} />
              </dd>
              <dt>Signature</dt>
              <dd>
                <span class={`badge ${data.signature.status === 'verified' ? 'badge-ok' : 'badge-warn'}`}>{data.signature.status.replace('_', ' ')}</span>{' '}
                {SIGNATURE_TEXT[data.signature.status]}
                {data.signature.required && (
                  <span class="hint">
                    {' '}
                    ({data.signature.algorithm}
                    {data.signature.keyId ? `, key id ${data.signature.keyId}` : ''})
                  </span>
                )}
              </dd>
            </dl>
          </section>
          <section class="card" aria-label="History">
            <h2>History</h2>
            {data.history.length === 0 ? (
              <p class="hint">Nothing loaded since this PDP process started.</p>
            ) : (
              <table class="table" data-testid="bundle-history">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">What</th>
                    <th scope="col">Detail</th>
                  </tr>
                </thead>
                <tbody>
                  {data.history.map((entry, index) => (
                    <tr key={`${entry.at}#${index}`}>
                      <td>
                        <TimeText at={entry.at} />
                      </td>
                      <td>
                        <span class={`badge ${entry.kind === 'activated' ? 'badge-ok' : 'badge-fail'}`}>{entry.kind === 'activated' ? 'ACTIVATED' : 'REFUSED'}</span>
                      </td>
                      <td>
                        {entry.kind === 'activated' ? (
                          <>
                            revision <code>{entry.revision}</code> ({entry.engine})
                          </>
                        ) : (
                          entry.message
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p class="hint">History is kept in memory by this PDP process (the last 50 loads).</p>
          </section>
        </>
      )}
    </div>
  );
}
