import type { Browser, Page } from 'playwright-core';
import { createSubjectTokenVerifier } from '../../pdp/principals/subject-token-verifier';
import { AUDIENCE, ISSUER, startTestIdp, type TestIdp } from '../../pdp/test/support/jwks-server';
import { chromiumAvailable, launchChromium, screenshot } from './support/browser';
import { startConsoleStack, type ConsoleStack } from './support/console-stack';

const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

jest.setTimeout(60_000);

describeInBrowser('console sign-in with a JWT, in a real browser', () => {
  let idp: TestIdp;
  let stack: ConsoleStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    idp = await startTestIdp();
    stack = await startConsoleStack({ tokens: createSubjectTokenVerifier({ jwksUrl: idp.jwksUrl, issuer: ISSUER, audience: AUDIENCE, clockToleranceSeconds: 0 }) });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await idp?.close();
  });

  it('refuses an expired token on the sign-in page, saying why', async () => {
    const expired = await idp.sign({ sub: 'u-42', preferred_username: 'dana', tenant: 'default', mcp_authz_role: 'admin' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    await page.goto(`${stack.url}/console/`);
    await page.getByLabel('API key or token (JWT)').fill(expired);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'token rejected: expired' }).waitFor();
  });

  it('signs in with a valid token: its user, tenant and role, never the token itself', async () => {
    const token = await idp.sign({ sub: 'u-42', preferred_username: 'dana', tenant: 'default', mcp_authz_role: 'admin' }, { expiresIn: '10m' });
    await page.getByLabel('API key or token (JWT)').fill(token);
    await screenshot(page, '00-sign-in-jwt');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Decision playground' }).waitFor();
    expect(await page.getByTestId('role').textContent()).toBe('admin');
    expect(await page.getByTestId('caller').textContent()).toMatch(/^dana \(default\) · token until /);
    expect(await page.content()).not.toContain(token);
    await screenshot(page, '00-signed-in-jwt');
  });
});
