import { screenshot, waitForCount } from './support/browser';
import { AUDIT_KEY_OF_THE_PDP, startAuditService } from './support/audit-service';
import { describeInBrowser, useConsoleInBrowser } from './support/console-in-browser';
import { ADMIN_KEY, startConsoleStack, VIEWER_KEY } from './support/console-stack';
import { writeChangedPins } from './support/pins-file';
import { PROXY_KEY_OF_THE_PDP, startProxyService } from './support/proxy-service';
import { sampleDecisions } from './support/sample-events';

// A browser and two services share two cores with the rest of the suite on CI.
jest.setTimeout(60_000);

describeInBrowser('the console in a real browser', () => {
  const ui = useConsoleInBrowser(async (closeAfterwards) => {
    const audit = closeAfterwards(await startAuditService());
    await audit.record(sampleDecisions(40));
    const proxy = closeAfterwards(await startProxyService(writeChangedPins()));
    return startConsoleStack({ audit: { url: audit.url, apiKey: AUDIT_KEY_OF_THE_PDP }, proxy: { url: proxy.url, apiKey: PROXY_KEY_OF_THE_PDP } });
  });

  it('asks for an API key, then shows the playground with the caller and role', async () => {
    await ui.page.goto(`${ui.stack.url}/console/`);
    await ui.page.getByLabel('API key or token (JWT)').fill(VIEWER_KEY);
    await screenshot(ui.page, '00-sign-in');
    await ui.page.getByRole('button', { name: 'Sign in' }).click();
    await ui.page.getByRole('heading', { name: 'Decision playground' }).waitFor();
    expect(await ui.page.getByTestId('role').textContent()).toBe('viewer');
    expect(await ui.page.content()).not.toContain(VIEWER_KEY);
  });

  it('evaluates the first example and shows an allow with filtered parameters and the explanation', async () => {
    await ui.page.getByText('example: Developer calls a tool').waitFor();
    await ui.page.getByRole('button', { name: 'Evaluate' }).click();
    await ui.page.getByTestId('decision').waitFor();
    expect(await ui.page.getByTestId('decision').textContent()).toBe('ALLOW');
    expect(await ui.page.getByTestId('cache-ttl').textContent()).toBe('1800 s');
    expect(await ui.page.getByLabel('Filtered parameters').textContent()).toContain('"message": "hello"');
    expect(await ui.page.getByTestId('explanation').textContent()).toContain('data.mcp.gateway.allow');
    await screenshot(ui.page, '01-playground-allow');
  });

  it('shows a denial with its reasons after an edit of the input', async () => {
    const editor = ui.page.getByLabel(/^Input/);
    const input = JSON.parse(await editor.inputValue());
    input.principal.id = 'bob';
    input.resource.tool = 'get-env';
    await editor.fill(JSON.stringify(input, null, 2));
    await editor.press('Control+Enter');
    await ui.page.getByText('DENY', { exact: true }).waitFor();
    expect((await ui.page.getByTestId('reasons').textContent())?.length).toBeGreaterThan(0);
    await screenshot(ui.page, '02-playground-deny');
  });

  it('reports invalid JSON without calling the PDP', async () => {
    await ui.page.getByLabel(/^Input/).fill('{"principal": ');
    await ui.page.getByRole('button', { name: 'Evaluate' }).click();
    expect(await ui.page.getByRole('alert').textContent()).toContain('the input is not valid JSON');
  });

  it('runs the policy tests and shows results per test and coverage per file', async () => {
    await ui.page.getByRole('link', { name: 'Policy tests' }).click();
    await ui.page.getByRole('button', { name: 'Run tests' }).click();
    await ui.page.getByTestId('test-results').waitFor();
    const rows = await ui.page.getByTestId('test-results').locator('tbody tr').count();
    expect(rows).toBeGreaterThan(10);
    expect(await ui.page.getByTestId('test-results').textContent()).not.toContain('FAIL');
    expect(await ui.page.getByTestId('coverage').textContent()).toContain('policies/mcp/gateway.rego');
    await screenshot(ui.page, '03-policy-tests');
  });

  it('shows the active bundle, its signature checking and its history', async () => {
    await ui.page.getByRole('link', { name: 'Bundles' }).click();
    await ui.page.getByTestId('active-revision').waitFor();
    expect(await ui.page.getByTestId('active-revision').textContent()).toBe('mcp-authz-example-1');
    expect(await ui.page.getByTestId('bundle-history').textContent()).toContain('ACTIVATED');
    await screenshot(ui.page, '04-bundles');
  });

  it('filters the audit trail, pages through it and shows an event with its payload', async () => {
    await ui.page.getByRole('link', { name: 'Audit' }).click();
    await ui.page.getByTestId('audit-events').locator('tbody tr').first().waitFor();
    expect(await ui.page.getByTestId('audit-events').locator('tbody tr').count()).toBe(25);
    await ui.page.getByRole('button', { name: 'Older' }).click();
    await ui.page.getByText('Page 2').waitFor();
    // The older page replaces the rows once it arrives: 40 events, 25 a page.
    await waitForCount(ui.page.getByTestId('audit-events').locator('tbody tr'), 15);
    await ui.page.getByLabel('Decision').selectOption('deny');
    await ui.page.getByRole('button', { name: 'Search' }).click();
    await ui.page.getByText('Page 1').waitFor();
    await waitForCount(ui.page.getByTestId('audit-events').locator('tbody tr'), 13);
    const decisions = await ui.page.getByTestId('audit-events').locator('tbody tr td:nth-child(2)').allTextContents();
    expect(new Set(decisions)).toEqual(new Set(['DENY']));
    await ui.page.getByTestId('audit-events').locator('tbody tr button').first().click();
    await ui.page.getByTestId('event-detail').waitFor();
    expect(await ui.page.getByLabel('Event payload').textContent()).toContain('"tool": "get-env"');
    await ui.page.getByRole('button', { name: 'Verify chain' }).click();
    await ui.page.getByTestId('chain-status').waitFor();
    expect(await ui.page.getByTestId('chain-status').textContent()).toContain('INTACT');
    await screenshot(ui.page, '05-audit');
  });

  it('opens an audited request in the playground and decides it again', async () => {
    await ui.page.getByRole('link', { name: 'Open in playground' }).click();
    await ui.page.getByRole('heading', { name: 'Decision playground' }).waitFor();
    const input = JSON.parse(await ui.page.getByLabel(/^Input/).inputValue());
    expect(input).toMatchObject({ principal: { id: 'bob' }, resource: { tool: 'get-env' } });
    await ui.page.getByRole('button', { name: 'Evaluate' }).click();
    await ui.page.getByTestId('decision').waitFor();
    expect(await ui.page.getByTestId('decision').textContent()).toBe('DENY');
    await screenshot(ui.page, '06-playground-from-audit');
  });

  it('shows viewers the changed tool without approve buttons', async () => {
    await ui.page.getByRole('link', { name: 'Tools' }).click();
    await ui.page.getByTestId('tool-everything-echo').waitFor();
    expect(await ui.page.getByTestId('tool-everything-echo').textContent()).toContain('CHANGED');
    // The change itself, as a diff of the approved and the offered definition.
    const diff = ui.page.getByLabel('Definition diff of echo');
    expect(await diff.locator('.diff-added').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^\+ .*read ~\/\.aws\/credentials/)]));
    expect(await diff.locator('.diff-removed').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^- .*"Echoes back the input"/)]));
    expect(await ui.page.getByRole('button', { name: /Approve/ }).count()).toBe(0);
  });

  it('lets an admin approve the changed tool', async () => {
    await ui.page.getByRole('button', { name: 'Sign out' }).click();
    await ui.page.getByLabel('API key or token (JWT)').fill(ADMIN_KEY);
    await ui.page.getByRole('button', { name: 'Sign in' }).click();
    await ui.page.getByTestId('role').waitFor();
    expect(await ui.page.getByTestId('role').textContent()).toBe('admin');
    await ui.page.getByTestId('tool-everything-echo').waitFor();
    await screenshot(ui.page, '07-tools-changed');
    await ui.page.getByRole('button', { name: 'Approve the new definition of everything/echo' }).click();
    await ui.page.getByRole('status').filter({ hasText: 'approved' }).waitFor();
    await ui.page.getByTestId('tool-everything-echo').getByText('APPROVED', { exact: true }).waitFor();
    expect(await ui.page.getByRole('button', { name: 'Approve the new definition of everything/echo' }).count()).toBe(0);
    await screenshot(ui.page, '08-tools-approved');
  });
});
