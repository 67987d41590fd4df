import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium, screenshot } from './support/browser';
import { startConsoleStack, VIEWER_KEY, type ConsoleStack } from './support/console-stack';

const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

describeInBrowser('the console in a real browser', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startConsoleStack();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('asks for an API key, then shows the playground with the caller and role', async () => {
    await page.goto(`${stack.url}/console/`);
    await page.getByLabel('API key').fill(VIEWER_KEY);
    await screenshot(page, '00-sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Decision playground' }).waitFor();
    expect(await page.getByTestId('role').textContent()).toBe('viewer');
    expect(await page.content()).not.toContain(VIEWER_KEY);
  });

  it('evaluates the first example and shows an allow with filtered parameters and the explanation', async () => {
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
});
