import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium, screenshot, waitForCount } from './support/browser';
import { AUDIT_KEY_OF_THE_PDP, startAuditService, type AuditService } from './support/audit-service';
import { ADMIN_KEY, startConsoleStack, VIEWER_KEY, type ConsoleStack } from './support/console-stack';
import { writeChangedPins } from './support/pins-file';
import { PROXY_KEY_OF_THE_PDP, startProxyService, type ProxyService } from './support/proxy-service';
import { sampleDecisions } from './support/sample-events';

const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

// A browser and two services share two cores with the rest of the suite on CI.
jest.setTimeout(60_000);

describeInBrowser('the console in a real browser', () => {
  let audit: AuditService;
  let proxy: ProxyService;
  let stack: ConsoleStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    audit = await startAuditService();
    await audit.record(sampleDecisions(40));
    proxy = await startProxyService(writeChangedPins());
    stack = await startConsoleStack({ audit: { url: audit.url, apiKey: AUDIT_KEY_OF_THE_PDP }, proxy: { url: proxy.url, apiKey: PROXY_KEY_OF_THE_PDP } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await proxy?.close();
    await audit?.close();
  });

  it('asks for an API key, then shows the playground with the caller and role', async () => {
    await page.goto(`${stack.url}/console/`);
    await page.getByLabel('API key or token (JWT)').fill(VIEWER_KEY);
    await screenshot(page, '00-sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Decision playground' }).waitFor();
    expect(await page.getByTestId('role').textContent()).toBe('viewer');
    expect(await page.content()).not.toContain(VIEWER_KEY);
  });

  it('evaluates the first example and shows an allow with filtered parameters and the explanation', async () => {
    await page.getByText('example: Developer calls a tool').waitFor();
    await page.getByRole('button', { name: 'Evaluate' }).click();
    await page.getByTestId('decision').waitFor();
    expect(await page.getByTestId('decision').textContent()).toBe('ALLOW');
    expect(await page.getByTestId('cache-ttl').textContent()).toBe('1800 s');
    expect(await page.getByLabel('Filtered parameters').textContent()).toContain('"message": "hello"');
    expect(await page.getByTestId('explanation').textContent()).toContain('data.mcp.gateway.allow');
    await screenshot(page, '01-playground-allow');
  });

  it('shows a denial with its reasons after an edit of the input', async () => {
    const editor = page.getByLabel(/^Input/);
    const input = JSON.parse(await editor.inputValue());
    input.principal.id = 'bob';
    input.resource.tool = 'get-env';
    await editor.fill(JSON.stringify(input, null, 2));
    await editor.press('Control+Enter');
    await page.getByText('DENY', { exact: true }).waitFor();
    expect((await page.getByTestId('reasons').textContent())?.length).toBeGreaterThan(0);
    await screenshot(page, '02-playground-deny');
  });

  it('reports invalid JSON without calling the PDP', async () => {
    await page.getByLabel(/^Input/).fill('{"principal": ');
    await page.getByRole('button', { name: 'Evaluate' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('the input is not valid JSON');
  });

  it('runs the policy tests and shows results per test and coverage per file', async () => {
    await page.getByRole('link', { name: 'Policy tests' }).click();
    await page.getByRole('button', { name: 'Run tests' }).click();
    await page.getByTestId('test-results').waitFor();
    const rows = await page.getByTestId('test-results').locator('tbody tr').count();
    expect(rows).toBeGreaterThan(10);
    expect(await page.getByTestId('test-results').textContent()).not.toContain('FAIL');
    expect(await page.getByTestId('coverage').textContent()).toContain('policies/mcp/gateway.rego');
    await screenshot(page, '03-policy-tests');
  });

  it('shows the active bundle, its signature checking and its history', async () => {
    await page.getByRole('link', { name: 'Bundles' }).click();
    await page.getByTestId('active-revision').waitFor();
    expect(await page.getByTestId('active-revision').textContent()).toBe('mcp-authz-example-1');
    expect(await page.getByTestId('bundle-history').textContent()).toContain('ACTIVATED');
    await screenshot(page, '04-bundles');
  });

  it('filters the audit trail, pages through it and shows an event with its payload', async () => {
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByTestId('audit-events').locator('tbody tr').first().waitFor();
    expect(await page.getByTestId('audit-events').locator('tbody tr').count()).toBe(25);
    await page.getByRole('button', { name: 'Older' }).click();
    await page.getByText('Page 2').waitFor();
    // The older page replaces the rows once it arrives: 40 events, 25 a page.
    await waitForCount(page.getByTestId('audit-events').locator('tbody tr'), 15);
    await page.getByLabel('Decision').selectOption('deny');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('Page 1').waitFor();
    await waitForCount(page.getByTestId('audit-events').locator('tbody tr'), 13);
    const decisions = await page.getByTestId('audit-events').locator('tbody tr td:nth-child(2)').allTextContents();
    expect(new Set(decisions)).toEqual(new Set(['DENY']));
    await page.getByTestId('audit-events').locator('tbody tr button').first().click();
    await page.getByTestId('event-detail').waitFor();
    expect(await page.getByLabel('Event payload').textContent()).toContain('"tool": "get-env"');
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByTestId('chain-status').waitFor();
    expect(await page.getByTestId('chain-status').textContent()).toContain('INTACT');
    await screenshot(page, '05-audit');
  });

  it('opens an audited request in the playground and decides it again', async () => {
    await page.getByRole('link', { name: 'Open in playground' }).click();
    await page.getByRole('heading', { name: 'Decision playground' }).waitFor();
    const input = JSON.parse(await page.getByLabel(/^Input/).inputValue());
    expect(input).toMatchObject({ principal: { id: 'bob' }, resource: { tool: 'get-env' } });
    await page.getByRole('button', { name: 'Evaluate' }).click();
    await page.getByTestId('decision').waitFor();
    expect(await page.getByTestId('decision').textContent()).toBe('DENY');
    await screenshot(page, '06-playground-from-audit');
  });

  it('shows viewers the changed tool without approve buttons', async () => {
    await page.getByRole('link', { name: 'Tools' }).click();
    await page.getByTestId('tool-everything-echo').waitFor();
    expect(await page.getByTestId('tool-everything-echo').textContent()).toContain('CHANGED');
    expect(await page.getByRole('button', { name: /Approve/ }).count()).toBe(0);
  });

  it('lets an admin approve the changed tool', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key or token (JWT)').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('role').waitFor();
    expect(await page.getByTestId('role').textContent()).toBe('admin');
    await page.getByTestId('tool-everything-echo').waitFor();
    await screenshot(page, '07-tools-changed');
    await page.getByRole('button', { name: 'Approve the new definition of everything/echo' }).click();
    await page.getByRole('status').filter({ hasText: 'approved' }).waitFor();
    await page.getByTestId('tool-everything-echo').getByText('APPROVED', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Approve the new definition of everything/echo' }).count()).toBe(0);
    await screenshot(page, '08-tools-approved');
  });
});
