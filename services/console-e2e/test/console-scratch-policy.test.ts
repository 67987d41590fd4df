import { screenshot } from './support/browser';
import { AUDIT_KEY_OF_THE_PDP, startAuditService } from './support/audit-service';
import { describeInBrowser, useConsoleInBrowser } from './support/console-in-browser';
import { ADMIN_KEY, startConsoleStack } from './support/console-stack';
import { sampleDecisions } from './support/sample-events';

// A browser and two services share two cores with the rest of the suite on CI.
jest.setTimeout(60_000);

describeInBrowser('the scratch policy editor (development mode)', () => {
  const ui = useConsoleInBrowser(async (closeAfterwards) => {
    const audit = closeAfterwards(await startAuditService());
    await audit.record(sampleDecisions(12));
    return startConsoleStack({ audit: { url: audit.url, apiKey: AUDIT_KEY_OF_THE_PDP }, settings: { devMode: true } });
  });

  it('compares an edited copy of the bundle with the active one on the input and on the audited decisions', async () => {
    await ui.page.goto(`${ui.stack.url}/console/`);
    await ui.page.getByLabel('API key or token (JWT)').fill(ADMIN_KEY);
    await ui.page.getByRole('button', { name: 'Sign in' }).click();
    await ui.page.getByRole('heading', { name: 'Scratch policy (development mode)' }).waitFor();
    await ui.page.getByText('example: Developer calls a tool').waitFor();
    await ui.page.getByLabel('File').selectOption('mcp/gateway.rego');
    const editor = ui.page.getByLabel('Rego');
    const source = await editor.inputValue();
    await editor.fill(`${source}\ndeny_reasons contains "everything is closed for maintenance" if input.resource.server == "everything"\n`);
    await ui.page.getByRole('button', { name: 'Compare with the active bundle' }).click();
    await ui.page.getByTestId('scratch-recent').waitFor();
    const verdicts = await ui.page.getByRole('region', { name: 'Scratch copy' }).getByTestId('decision').textContent();
    expect(verdicts).toBe('DENY');
    expect(await ui.page.getByRole('region', { name: 'Active bundle' }).getByTestId('decision').textContent()).toBe('ALLOW');
    expect(await ui.page.getByText('Last audited decisions: 8 of 12 would change').count()).toBe(1);
    await screenshot(ui.page, '09-playground-scratch');
  });
});
