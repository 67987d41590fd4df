import { useEffect, useState } from 'preact/hooks';
import type { ConsoleClient } from '../api/console-client';
import type { Entrypoint, PlaygroundExample, PlaygroundResult } from '../api/console-types';
import { ErrorNotice } from '../components/error-notice';
import { useLoad } from '../components/use-load';
import { DecisionResult } from './decision-result';
import { formatInput, parseInputText } from './playground-input';
import { ScratchPolicyPanel } from './scratch-policy-panel';
import type { PlaygroundSeed } from './playground-seed';

const ENTRYPOINT_LABELS: Record<Entrypoint, string> = {
  'mcp/gateway/decision': 'mcp.gateway (MCP requests)',
  'mcp/a2a/decision': 'mcp.a2a (agent to agent)',
};

/** Decision playground: pick an entrypoint, edit an input, see the decision and which rules made it. */
export interface PlaygroundProps {
  client: ConsoleClient;
  seed?: PlaygroundSeed | null;
  /** Show the scratch policy editor (development mode, admins). */
  scratch?: boolean;
}

export function PlaygroundPage({ client, seed, scratch = false }: PlaygroundProps) {
  const examples = useLoad(() => client.get<{ examples: PlaygroundExample[] }>('/playground/examples'), [client]);
  const [entrypoint, setEntrypoint] = useState<Entrypoint>(seed?.entrypoint ?? 'mcp/gateway/decision');
  const [text, setText] = useState(seed ? formatInput(seed.input) : '');
  const [source, setSource] = useState<string>(seed?.source ?? '');
  const [result, setResult] = useState<PlaygroundResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!seed && text === '' && examples.data && examples.data.examples.length > 0) load(examples.data.examples[0]);
    // The first example fills an empty editor once; later edits are the user's.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [examples.data]);

  function load(example: PlaygroundExample) {
    setEntrypoint(example.entrypoint);
    setText(formatInput(example.input));
    setSource(`example: ${example.name}`);
    setResult(null);
  }

  async function evaluate() {
    const parsed = parseInputText(text);
    if (!parsed.ok) {
      setError(new Error(parsed.message));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setResult(await client.post<PlaygroundResult>('/playground/evaluate', { entrypoint, input: parsed.input }));
    } catch (failure) {
      setError(failure);
      setResult(null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="page">
      <h1>Decision playground</h1>
      <p class="lead">Evaluates an input against the active bundle with the explanation on. Nothing is cached or written to the audit trail.</p>
      <div class="columns">
        <form
          class="card"
          aria-label="Playground input"
          onSubmit={(event) => {
            event.preventDefault();
            void evaluate();
          }}
        >
          <fieldset class="entrypoints">
            <legend>Entrypoint</legend>
            {(Object.keys(ENTRYPOINT_LABELS) as Entrypoint[]).map((value) => (
              <label key={value} class="radio">
                <input type="radio" name="entrypoint" value={value} checked={entrypoint === value} onChange={() => setEntrypoint(value)} />
                <code>data.{value.split('/').join('.')}</code> <span class="hint">{ENTRYPOINT_LABELS[value]}</span>
              </label>
            ))}
          </fieldset>
          <label for="example">Start from an example</label>
          <select
            id="example"
            value=""
            onChange={(event) => {
              const example = examples.data?.examples[Number(event.currentTarget.value)];
              if (example) load(example);
            }}
          >
            <option value="">Choose an example…</option>
            {(examples.data?.examples ?? []).map((example, index) => (
              <option key={example.name} value={String(index)}>
                {example.name}
              </option>
            ))}
          </select>
          <label for="input">
            Input <span class="hint">{source}</span>
          </label>
          <textarea
            id="input"
            class="code-editor"
            spellcheck={false}
            rows={22}
            value={text}
            onInput={(event) => setText(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                event.preventDefault();
                void evaluate();
              }
            }}
            aria-describedby="input-help"
          />
          <p id="input-help" class="hint">
            JSON, as the PDP passes it to the policy as <code>input</code>. Ctrl+Enter evaluates.
          </p>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Evaluating…' : 'Evaluate'}
          </button>
          <ErrorNotice error={examples.error} />
        </form>
        <div>
          <ErrorNotice error={error} />
          {result ? <DecisionResult result={result} /> : <p class="card hint">The decision appears here.</p>}
        </div>
      </div>
      {scratch && <ScratchPolicyPanel client={client} entrypoint={entrypoint} inputText={text} />}
    </div>
  );
}
