import type { PlaygroundResult } from '../api/console-types';
import { JsonView } from '../components/json-view';
import { formatDuration } from './playground-input';

/** Longer explanations start folded, so the decision and its reasons stay in view. */
const EXPLANATION_OPEN_UP_TO = 12;

/** One evaluation: the decision first (what the proxy would do), then why. */
export function DecisionResult({ result, title = 'Decision' }: { result: PlaygroundResult; title?: string }) {
  const { decision } = result;
  return (
    <section class="card result" aria-label={title} aria-live="polite">
      <header class="result-header">
        <h2>{title}</h2>
        <span class={`badge ${decision.allow ? 'badge-allow' : 'badge-deny'}`} data-testid="decision">
          {decision.allow ? 'ALLOW' : 'DENY'}
        </span>
      </header>
      <dl class="facts">
        <dt>Outcome</dt>
        <dd>{result.outcome}</dd>
        <dt>Cache TTL</dt>
        <dd data-testid="cache-ttl">{decision.cache_ttl} s</dd>
        <dt>Evaluation time</dt>
        <dd data-testid="duration">{formatDuration(result.duration_ms)}</dd>
        <dt>Revision</dt>
        <dd>
          <code>{result.revision}</code> ({result.engine} engine)
        </dd>
      </dl>
      {result.error && (
        <p class="notice notice-error" role="alert">
          {result.error}
        </p>
      )}
      <h3>Reasons</h3>
      <ul class="reasons" data-testid="reasons">
        {decision.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
      {decision.filtered_parameters && (
        <>
          <h3>Filtered parameters</h3>
          <p class="hint">What the proxy forwards upstream instead of the arguments the client sent.</p>
          <JsonView value={decision.filtered_parameters} label="Filtered parameters" />
        </>
      )}
      {decision.obligations && (
        <>
          <h3>Obligations</h3>
          <JsonView value={decision.obligations} label="Obligations" />
        </>
      )}
      <details class="explanation" open={result.explanation.length <= EXPLANATION_OPEN_UP_TO}>
        <summary>
          Explanation: {result.explanation.length} rule{result.explanation.length === 1 ? '' : 's'} fired
        </summary>
        {result.explanation.length === 0 ? (
          <p class="hint">No rule body succeeded{result.engine === 'wasm' ? ' (the wasm engine does not explain)' : ''}.</p>
        ) : (
          <table class="table" data-testid="explanation">
            <caption class="visually-hidden">Rules whose body succeeded</caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Location</th>
              </tr>
            </thead>
            <tbody>
              {result.explanation.map((rule, index) => (
                <tr key={`${rule.rule}@${rule.location}#${index}`}>
                  <td>
                    <code>{rule.rule}</code>
                  </td>
                  <td>
                    <code>{rule.location}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
      <details>
        <summary>Document the policy produced</summary>
        <JsonView value={result.document} label="Policy document" />
      </details>
    </section>
  );
}
