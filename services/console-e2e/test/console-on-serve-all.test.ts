import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readToolPinsFile } from '../../proxy/pinning/tool-pins-file';
import { waitForCount } from './support/browser';
import { describeInBrowser, useConsoleInBrowser } from './support/console-in-browser';
import { ECHO_V2, writeChangedPins } from './support/pins-file';
import { startServeAll, type ServeAll } from './support/serve-all';

// Three services in one process, their first start (migrations, bundle compile) and a browser.
jest.setTimeout(90_000);

/**
 * The "done when": every page works against the real services as `npm start` runs them, each
 * finding the others by its defaults (no API keys on loopback, so the console treats the caller as admin).
 */
describeInBrowser('the console on `serve all` (npm start)', () => {
  // Decisions of this run only, whatever else the audit database holds.
  const principal = `e2e-${randomUUID().slice(0, 8)}`;
  const pinsFile = writeChangedPins();
  let services: ServeAll;
  const ui = useConsoleInBrowser(async () => {
    services = await startServeAll({ pinsFile, databaseUrl: process.env.DATABASE_URL });
    for (const tool of ['echo', 'get-env']) {
      const response = await fetch(`${services.pdpUrl}/v1/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'tools/call', server_name: 'everything', tool_name: tool, principal: { id: principal }, context: { ip: '10.0.0.1' } }),
      });
      expect(response.status).toBe(200);
    }
    await auditedDecisions(services.auditUrl, principal, 2);
    return { url: services.pdpUrl, close: () => services.close() };
  });
  afterAll(() => fs.rmSync(path.dirname(pinsFile), { recursive: true, force: true }));

  it('opens without a key on loopback, as admin, and decides an example in the playground', async () => {
    await ui.page.goto(`${ui.stack.url}/console/`);
    await ui.page.getByRole('heading', { name: 'Decision playground' }).waitFor();
    expect(await ui.page.getByTestId('role').textContent()).toBe('admin');
    await ui.page.getByText('example: Developer calls a tool').waitFor();
    await ui.page.getByRole('button', { name: 'Evaluate' }).click();
    await ui.page.getByTestId('decision').waitFor();
    expect(await ui.page.getByTestId('decision').textContent()).toBe('ALLOW');
  });

  it('runs the policy tests and shows the active bundle', async () => {
    await ui.page.getByRole('link', { name: 'Policy tests' }).click();
    await ui.page.getByRole('button', { name: 'Run tests' }).click();
    await ui.page.getByTestId('test-results').waitFor();
    expect(await ui.page.getByTestId('test-results').textContent()).not.toContain('FAIL');
    await ui.page.getByRole('link', { name: 'Bundles' }).click();
    await ui.page.getByTestId('active-revision').waitFor();
    expect(await ui.page.getByTestId('active-revision').textContent()).toBe('mcp-authz-example-1');
  });

  it('finds the decisions the PDP recorded in the audit service, and verifies the chain', async () => {
    await ui.page.getByRole('link', { name: 'Audit' }).click();
    await ui.page.getByLabel('Principal').fill(principal);
    await ui.page.getByRole('button', { name: 'Search' }).click();
    // The unfiltered list shows first; the search's answer replaces it.
    const rows = ui.page.getByTestId('audit-events').locator('tbody tr');
    await waitForCount(rows.filter({ hasText: principal }), 2);
    await waitForCount(rows, 2);
    expect(await ui.page.getByTestId('audit-events').textContent()).toContain('get-env');
    await ui.page.getByRole('button', { name: 'Verify chain' }).click();
    await ui.page.getByTestId('chain-status').waitFor();
  });

  it('approves a changed tool through the proxy’s API, which writes its pins file', async () => {
    await ui.page.getByRole('link', { name: 'Tools' }).click();
    await ui.page.getByTestId('tool-everything-echo').waitFor();
    expect(await ui.page.getByTestId('tool-everything-echo').textContent()).toContain('CHANGED');
    await ui.page.getByRole('button', { name: 'Approve the new definition of everything/echo' }).click();
    await ui.page.getByTestId('tool-everything-echo').getByText('APPROVED', { exact: true }).waitFor();
    expect(readToolPinsFile(pinsFile).servers.everything!.echo!.approved).toBe(ECHO_V2);
  });
});

/** Waits until the audit service holds `count` decisions of `principal` (the PDP sends them in batches). */
async function auditedDecisions(auditUrl: string, principal: string, count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`${auditUrl}/v1/events?principal=${encodeURIComponent(principal)}&event_type=decision`);
    const body = (await response.json()) as { events?: unknown[] };
    if ((body.events?.length ?? 0) >= count) return;
    if (Date.now() > deadline) throw new Error(`the audit service holds ${body.events?.length ?? 0} of ${count} decisions of ${principal} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
