import { useState } from 'preact/hooks';
import type { ConsoleClient } from '../api/console-client';
import type { PolicyTestReport, TestOutcome } from '../api/console-types';
import { ErrorNotice } from '../components/error-notice';
import { formatDuration } from './playground-input';

const OUTCOME_LABELS: Record<TestOutcome, string> = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skip: 'SKIP' };

/** Policy tests: run the opa-tests against the active bundle's policies; results per test, coverage per file. */
export function PolicyTestsPage({ client }: { client: ConsoleClient }) {
  const [report, setReport] = useState<PolicyTestReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [onlyProblems, setOnlyProblems] = useState(false);

  async function run() {
    setBusy(true);
    setError(null);
    try {
      setReport(await client.post<PolicyTestReport>('/policy-tests/run'));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const tests = report ? report.tests.filter((test) => !onlyProblems || test.outcome === 'fail' || test.outcome === 'error') : [];
  return (
    <div class="page">
      <h1>Policy tests</h1>
      <p class="lead">Runs every <code>test_*</code> rule of the policy tests against the active bundle's policies, with line coverage.</p>
      <div class="toolbar">
        <button type="button" class="primary" onClick={() => void run()} disabled={busy}>
          {busy ? 'Running…' : report ? 'Run again' : 'Run tests'}
        </button>
        {report && (
          <label class="checkbox">
            <input type="checkbox" checked={onlyProblems} onChange={(event) => setOnlyProblems(event.currentTarget.checked)} /> Only failures and errors
          </label>
        )}
      </div>
      <ErrorNotice error={error} />
      {report && (
        <>
          <section class="card" aria-label="Summary">
            <dl class="facts facts-inline" data-testid="test-summary">
              <dt>Passed</dt>
              <dd class="ok">{report.summary.pass}</dd>
              <dt>Failed</dt>
              <dd class={report.summary.fail > 0 ? 'bad' : ''}>{report.summary.fail}</dd>
              <dt>Errors</dt>
              <dd class={report.summary.error > 0 ? 'bad' : ''}>{report.summary.error}</dd>
              <dt>Skipped</dt>
              <dd>{report.summary.skip}</dd>
              <dt>Coverage</dt>
              <dd data-testid="coverage-total">{report.coverage.percent.toFixed(1)}%</dd>
              <dt>Revision</dt>
              <dd>
                <code>{report.revision ?? 'none'}</code>
              </dd>
            </dl>
          </section>
          <div class="columns">
            <section class="card" aria-label="Tests">
              <h2>Tests ({tests.length})</h2>
              <table class="table" data-testid="test-results">
                <thead>
                  <tr>
                    <th scope="col">Result</th>
                    <th scope="col">Test</th>
                    <th scope="col">Where</th>
                    <th scope="col" class="num">Time</th>
                  </tr>
                </thead>
                <tbody>
                  {tests.map((test) => (
                    <tr key={test.name}>
                      <td>
                        <span class={`badge badge-${test.outcome}`}>{OUTCOME_LABELS[test.outcome]}</span>
                      </td>
                      <td>
                        <code>{test.name.replace(/^data\./, '')}</code>
                        {test.message && <div class="message">{test.message}</div>}
                      </td>
                      <td>
                        <code>
                          {test.file}:{test.row}
                        </code>
                      </td>
                      <td class="num">{formatDuration(test.duration_ms)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section class="card" aria-label="Coverage per file">
              <h2>Coverage per file</h2>
              <table class="table" data-testid="coverage">
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col" class="num">Covered</th>
                    <th scope="col">Lines not covered</th>
                  </tr>
                </thead>
                <tbody>
                  {report.coverage.files.map((file) => (
                    <tr key={file.file}>
                      <td>
                        <code>{file.file}</code>
                      </td>
                      <td class="num">
                        <meter min={0} max={100} low={80} high={95} optimum={100} value={file.percent} aria-label={`${file.file} coverage`} /> {file.percent.toFixed(1)}%
                      </td>
                      <td class="lines">{file.not_covered.length === 0 ? '—' : file.not_covered.join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
        </>
      )}
    </div>
  );
}
