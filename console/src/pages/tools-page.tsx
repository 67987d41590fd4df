import { useState } from 'preact/hooks';
import type { ConsoleClient } from '../api/console-client';
import type { ConsoleRole, PinnedTool } from '../api/console-types';
import { ErrorNotice } from '../components/error-notice';
import { TimeText } from '../components/time-text';
import { useLoad } from '../components/use-load';
import { definitionLines, diffLines } from './definition-diff';

const STATUS_CLASS = { approved: 'badge-ok', changed: 'badge-warn', rejected: 'badge-fail' } as const;

/** Tools: every pinned tool of every upstream; changed definitions wait here for an admin's decision. */
export function ToolsPage({ client, role }: { client: ConsoleClient; role: ConsoleRole }) {
  const tools = useLoad(() => client.get<{ source: string; tools: PinnedTool[] }>('/tools'), [client]);
  const [onlyChanged, setOnlyChanged] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);

  async function decide(tool: PinnedTool, action: 'approve' | 'reject') {
    setError(null);
    setMessage(null);
    try {
      await client.post('/tools/' + action, { server: tool.server, tool: tool.tool, observed_hash: tool.observed_hash });
      setMessage(`${tool.server}/${tool.tool}: ${action === 'approve' ? 'new definition approved — the proxy serves the tool again within a second' : 'change rejected — the tool stays hidden'}`);
      tools.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  const all = tools.data?.tools ?? [];
  const changed = all.filter((tool) => tool.status === 'changed');
  const shown = onlyChanged ? changed : all;
  const servers = [...new Set(shown.map((tool) => tool.server))];
  return (
    <div class="page">
      <h1>Tools</h1>
      <p class="lead">
        The proxy pins each tool's definition the first time it sees it. A changed definition hides the tool until it is approved here (or with{' '}
        <code>mcp-authz tools approve</code>).
      </p>
      <div class="toolbar">
        <button type="button" onClick={tools.reload}>
          Refresh
        </button>
        <label class="checkbox">
          <input type="checkbox" checked={onlyChanged} onChange={(event) => setOnlyChanged(event.currentTarget.checked)} /> Only changed tools ({changed.length})
        </label>
        {tools.data && <span class="hint">Proxy: {tools.data.source}</span>}
      </div>
      <ErrorNotice error={tools.error ?? error} />
      {message && (
        <p class="notice notice-ok" role="status">
          {message}
        </p>
      )}
      {tools.data && all.length === 0 && <p class="card hint">No tool pinned yet: the proxy pins tools when it first lists an upstream's tools.</p>}
      {servers.map((server) => (
        <section class="card" key={server} aria-label={`Server ${server}`}>
          <h2>
            <code>{server}</code>
          </h2>
          <table class="table" data-testid={`tools-${server}`}>
            <thead>
              <tr>
                <th scope="col">Tool</th>
                <th scope="col">Status</th>
                <th scope="col">Pinned definition</th>
                <th scope="col">Seen</th>
                {role === 'admin' && <th scope="col">Decision</th>}
              </tr>
            </thead>
            <tbody>
              {shown
                .filter((tool) => tool.server === server)
                .map((tool) => (
                  <ToolRow key={tool.tool} tool={tool} role={role} onDecide={decide} />
                ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}

function ToolRow({ tool, role, onDecide }: { tool: PinnedTool; role: ConsoleRole; onDecide: (tool: PinnedTool, action: 'approve' | 'reject') => void }) {
  const differs = tool.status !== 'approved';
  return (
    <tr data-testid={`tool-${tool.server}-${tool.tool}`}>
      <td>
        <code>{tool.tool}</code>
      </td>
      <td>
        <span class={`badge ${STATUS_CLASS[tool.status]}`}>{tool.status.toUpperCase()}</span>
      </td>
      <td>
        <code class="hash" title={tool.approved_hash}>
          {tool.approved_hash}
        </code>
        <div class="hint">
          approved <TimeText at={tool.approved_at} />
        </div>
        {differs && (
          <>
            <div class="hint">now offered:</div>
            <code class="hash" title={tool.observed_hash}>
              {tool.observed_hash}
            </code>
            <DefinitionDiff tool={tool} />
          </>
        )}
      </td>
      <td>
        <TimeText at={tool.observed_at} />
      </td>
      {role === 'admin' && (
        <td class="actions">
          {tool.status !== 'approved' && (
            <button type="button" class="primary" onClick={() => onDecide(tool, 'approve')} aria-label={`Approve the new definition of ${tool.server}/${tool.tool}`}>
              Approve
            </button>
          )}
          {tool.status === 'changed' && (
            <button type="button" class="danger" onClick={() => onDecide(tool, 'reject')} aria-label={`Reject the new definition of ${tool.server}/${tool.tool}`}>
              Reject
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

function DefinitionDiff({ tool }: { tool: PinnedTool }) {
  if (tool.approved_definition === undefined || tool.observed_definition === undefined) {
    return <p class="hint">The pins record definition hashes only, so there is no diff to show; compare with the upstream server's tool listing.</p>;
  }
  const lines = diffLines(definitionLines(tool.approved_definition), definitionLines(tool.observed_definition));
  return (
    <details open>
      <summary>Definition diff</summary>
      <pre class="diff" aria-label={`Definition diff of ${tool.tool}`}>
        {lines.map((line, index) => (
          <div key={index} class={`diff-${line.kind}`}>
            {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
            {line.text}
          </div>
        ))}
      </pre>
    </details>
  );
}
