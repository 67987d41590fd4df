import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium, screenshot } from './support/browser';
import { AUDIT_KEY_OF_THE_PDP, startAuditService, type AuditService } from './support/audit-service';
import { ADMIN_KEY, startConsoleStack, type ConsoleStack } from './support/console-stack';
import { sampleDecisions } from './support/sample-events';

const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

// A browser and two services share two cores with the rest of the suite on CI.
jest.setTimeout(60_000);

describeInBrowser('the scratch policy editor (development mode)', () => {
  let audit: AuditService;
  let stack: ConsoleStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    audit = await startAuditService();
    await audit.record(sampleDecisions(12));
    stack = await startConsoleStack({ audit: { url: audit.url, apiKey: AUDIT_KEY_OF_THE_PDP }, settings: { devMode: true } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await audit?.close();
  });

  it('compares an edited copy of the bundle with the active one on the input and on the audited decisions', async () => {
    await page.goto(`${stack.url}/console/`);
    await page.getByLabel('API key or token (JWT)').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Scratch policy (development mode)' }).waitFor();
    await page.getByText('example: Developer calls a tool').waitFor();
    await page.getByLabel('File').selectOption('mcp/gateway.rego');
    const editor = page.getByLabel('Rego');
    const source = await editor.inputValue();
    await editor.fill(`${source}\ndeny_reasons contains "everything is closed for maintenance" if input.resource.server == "everything"\n`);
    await page.getByRole('button', { name: 'Compare with the active bundle' }).click();
    await page.getByTestId('scratch-recent').waitFor();
    const verdicts = await page.getByRole('region', { name: 'Scratch copy' }).getByTestId('decision').textContent();
    expect(verdicts).toBe('DENY');
    expect(await page.getByRole('region', { name: 'Active bundle' }).getByTestId('decision').textContent()).toBe('ALLOW');
    expect(await page.getByText('Last audited decisions: 8 of 12 would change').count()).toBe(1);
    await screenshot(page, '09-playground-scratch');
  });
});
