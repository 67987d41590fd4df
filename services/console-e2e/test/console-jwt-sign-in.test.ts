import { createSubjectTokenVerifier } from '../../pdp/principals/subject-token-verifier';
import { AUDIENCE, ISSUER, startTestIdp, type TestIdp } from '../../pdp/test/support/jwks-server';
import { screenshot } from './support/browser';
import { describeInBrowser, useConsoleInBrowser } from './support/console-in-browser';
import { startConsoleStack } from './support/console-stack';

jest.setTimeout(60_000);

describeInBrowser('console sign-in with a JWT, in a real browser', () => {
  let idp: TestIdp;
  const ui = useConsoleInBrowser(async (closeAfterwards) => {
    idp = closeAfterwards(await startTestIdp());
    return startConsoleStack({ tokens: createSubjectTokenVerifier({ jwksUrl: idp.jwksUrl, issuer: ISSUER, audience: AUDIENCE, clockToleranceSeconds: 0 }) });
  });

  it('refuses an expired token on the sign-in page, saying why', async () => {
    const expired = await idp.sign({ sub: 'u-42', preferred_username: 'dana', tenant: 'default', mcp_authz_role: 'admin' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    await ui.page.goto(`${ui.stack.url}/console/`);
    await ui.page.getByLabel('API key or token (JWT)').fill(expired);
    await ui.page.getByRole('button', { name: 'Sign in' }).click();
    await ui.page.getByRole('alert').filter({ hasText: 'token rejected: expired' }).waitFor();
  });

  it('signs in with a valid token: its user, tenant and role, never the token itself', async () => {
    const token = await idp.sign({ sub: 'u-42', preferred_username: 'dana', tenant: 'default', mcp_authz_role: 'admin' }, { expiresIn: '10m' });
    await ui.page.getByLabel('API key or token (JWT)').fill(token);
    await screenshot(ui.page, '00-sign-in-jwt');
    await ui.page.getByRole('button', { name: 'Sign in' }).click();
    await ui.page.getByRole('heading', { name: 'Decision playground' }).waitFor();
    expect(await ui.page.getByTestId('role').textContent()).toBe('admin');
    expect(await ui.page.getByTestId('caller').textContent()).toMatch(/^dana \(default\) · token until /);
    expect(await ui.page.content()).not.toContain(token);
    await screenshot(ui.page, '00-signed-in-jwt');
  });
});
