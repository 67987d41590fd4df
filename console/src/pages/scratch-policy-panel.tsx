import { useState } from 'preact/hooks';
import type { ConsoleClient } from '../api/console-client';
import type { Entrypoint, ScratchComparison, ScratchModule } from '../api/console-types';
import { ErrorNotice } from '../components/error-notice';
import { TimeText } from '../components/time-text';
import { useLoad } from '../components/use-load';
import { DecisionResult } from './decision-result';
import { parseInputText } from './playground-input';

const RECENT = 50;
const UNCHANGED_SHOWN = 5;

/** Every changed decision first, then a few unchanged ones for context. */
function shownReplays(decisions: ScratchComparison['recent']['decisions']) {
  const changed = decisions.filter((decision) => decision.changed);
  return [...changed, ...decisions.filter((decision) => !decision.changed).slice(0, UNCHANGED_SHOWN)];
}

/**
 * Development mode: edit the Rego of a scratch copy of the bundle and compare it with the active
 * bundle on the playground input and on the last audited decisions. The active bundle never changes.
 */
export function ScratchPolicyPanel({ client, entrypoint, inputText }: { client: ConsoleClient; entrypoint: Entrypoint; inputText: string }) {
  const modules = useLoad(() => client.get<{ modules: ScratchModule[]; revision: string | null }>('/playground/scratch/modules'), [client]);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [file, setFile] = useState<string>('');
  const [comparison, setComparison] = useState<ScratchComparison | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const files = modules.data?.modules ?? [];
  const current = file || files[0]?.file || '';
  const original = files.find((module) => module.file === current)?.source ?? '';
  const source = edits[current] ?? original;
  const edited = Object.keys(edits).filter((name) => edits[name] !== files.find((module) => module.file === name)?.source);

  async function compare() {
    const parsed = parseInputText(inputText);
    if (!parsed.ok) return setError(new Error(parsed.message));
    setBusy(true);
    setError(null);
    try {
      const changed = edited.map((name) => ({ file: name, source: edits[name] }));
      setComparison(await client.post<ScratchComparison>('/playground/scratch/compare', { entrypoint, input: parsed.input, modules: changed, recent: RECENT }));
    } catch (failure) {
      setError(failure);
      setComparison(null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card scratch" aria-label="Scratch policy">
      <h2>Scratch policy (development mode)</h2>
      <p class="hint">
        Edits apply to a copy of bundle {modules.data?.revision ? <code>{modules.data.revision}</code> : 'the active bundle'} for this comparison only.
      </p>
      <ErrorNotice error={modules.error} />
      <label for="scratch-file">File</label>
      <select id="scratch-file" value={current} onChange={(event) => setFile(event.currentTarget.value)}>
        {files.map((module) => (
          <option key={module.file} value={module.file}>
            {module.file}
            {edited.includes(module.file) ? ' (edited)' : ''}
          </option>
        ))}
      </select>
      <label for="scratch-source">Rego</label>
      <textarea id="scratch-source" class="code-editor" rows={18} spellcheck={false} value={source} onInput={(event) => setEdits({ ...edits, [current]: event.currentTarget.value })} />
      <div class="toolbar">
        <button type="button" class="primary" onClick={() => void compare()} disabled={busy || files.length === 0}>
          {busy ? 'Comparing…' : 'Compare with the active bundle'}
        </button>
        <button type="button" onClick={() => setEdits({})} disabled={edited.length === 0}>
          Discard edits ({edited.length})
        </button>
      </div>
      <ErrorNotice error={error} />
      {comparison && (
        <>
          <div class="columns">
            <DecisionResult result={comparison.active} title="Active bundle" />
            <DecisionResult result={comparison.scratch} title="Scratch copy" />
          </div>
          <h3>
            Last audited decisions: {comparison.recent.changed} of {comparison.recent.replayed} would change
          </h3>
          {comparison.recent.decisions.length > 0 && (
            <table class="table" data-testid="scratch-recent">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Request</th>
                  <th scope="col">Active</th>
                  <th scope="col">Scratch</th>
                </tr>
              </thead>
              <tbody>
                {shownReplays(comparison.recent.decisions).map((decision) => (
                  <tr key={decision.event_id} class={decision.changed ? 'changed' : ''}>
                    <td>
                      <TimeText at={decision.occurred_at} />
                    </td>
                    <td>{decision.principal ?? '—'}</td>
                    <td>
                      <code>{decision.summary}</code>
                    </td>
                    <td>
                      <span class={`badge ${decision.active ? 'badge-allow' : 'badge-deny'}`}>{decision.active ? 'ALLOW' : 'DENY'}</span>
                    </td>
                    <td>
                      <span class={`badge ${decision.scratch ? 'badge-allow' : 'badge-deny'}`}>{decision.scratch ? 'ALLOW' : 'DENY'}</span>
                      {decision.changed && <strong class="bad"> changed</strong>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
