import type { Page } from 'playwright-core';
import { AUDIT_KEY_OF_THE_PDP, startAuditService } from './support/audit-service';
import { describeInBrowser, useConsoleInBrowser } from './support/console-in-browser';
import { ADMIN_KEY, startConsoleStack } from './support/console-stack';
import { writeChangedPins } from './support/pins-file';
import { PROXY_KEY_OF_THE_PDP, startProxyService } from './support/proxy-service';
import { sampleDecisions } from './support/sample-events';

jest.setTimeout(60_000);

/** Each page by its link in the top bar and its heading, as an admin sees it (every control there). */
const PAGES = [
  { link: 'Playground', heading: 'Decision playground', ready: 'example: Developer calls a tool' },
  { link: 'Policy tests', heading: 'Policy tests' },
  { link: 'Bundles', heading: 'Bundles' },
  { link: 'Audit', heading: 'Audit explorer', ready: 'Verify chain' },
  { link: 'Tools', heading: 'Tools', ready: 'Approve the new definition of everything/echo' },
];

/** Controls in an ARIA snapshot that have no accessible name: `- textbox` or `- button [disabled]` rather than `- textbox "Principal"`. */
const UNNAMED_CONTROL = /^\s*- '?(textbox|combobox|listbox|button|checkbox|radio|link|searchbox|spinbutton|slider|switch|tab)(?:\s*\[[^\]]*\])*\s*(?::.*)?$/gm;

/** Presses Tab until the focused element's ARIA snapshot (`- link "Audit"`) matches; fails after `limit` presses. */
async function tabTo(page: Page, target: RegExp, limit = 40): Promise<void> {
  const seen: string[] = [];
  for (let presses = 0; presses < limit; presses += 1) {
    await page.keyboard.press('Tab');
    const focus = page.locator(':focus');
    const focused = (await focus.count()) === 0 ? '(the page itself)' : (await focus.ariaSnapshot()).split('\n')[0]!;
    if (target.test(focused)) return;
    seen.push(focused);
  }
  throw new Error(`${target} not reached with ${limit} presses of Tab; focus went to: ${seen.join(', ')}`);
}

describeInBrowser('the console’s accessibility', () => {
  const ui = useConsoleInBrowser(async (closeAfterwards) => {
    const audit = closeAfterwards(await startAuditService());
    await audit.record(sampleDecisions(5));
    const proxy = closeAfterwards(await startProxyService(writeChangedPins()));
    return startConsoleStack({ audit: { url: audit.url, apiKey: AUDIT_KEY_OF_THE_PDP }, proxy: { url: proxy.url, apiKey: PROXY_KEY_OF_THE_PDP }, settings: { devMode: true } });
  });

  it('signs in and moves between pages with the keyboard alone, the skip link first', async () => {
    await ui.page.goto(`${ui.stack.url}/console/`);
    await ui.page.getByLabel('API key or token (JWT)').waitFor();
    await tabTo(ui.page, /^- link "Skip to content"/, 1);
    await tabTo(ui.page, /^- textbox "API key or token \(JWT\)"/);
    await ui.page.keyboard.type(ADMIN_KEY);
    await ui.page.keyboard.press('Enter');
    await ui.page.getByRole('heading', { name: 'Decision playground' }).waitFor();
    await tabTo(ui.page, /^- link "Audit"/);
    await ui.page.keyboard.press('Enter');
    await ui.page.getByRole('heading', { name: 'Audit explorer' }).waitFor();
  });

  it.each(PAGES)('$link: every control has an accessible name', async ({ link, heading, ready }) => {
    await ui.page.getByRole('link', { name: link, exact: true }).click();
    await ui.page.getByRole('heading', { name: heading, exact: true }).first().waitFor();
    if (ready) await ui.page.getByText(ready).or(ui.page.getByRole('button', { name: ready })).first().waitFor();
    const snapshot = await ui.page.ariaSnapshot();
    expect(snapshot.match(UNNAMED_CONTROL) ?? []).toEqual([]);
  });
});
