import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from './browser';
import type { ConsoleStack } from './console-stack';

/** `describe` where Chromium is installed; elsewhere `describe.skip`, saying why. */
export const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

/** What a test starts besides the console (an audit service, a proxy, an identity provider). */
export interface Closeable {
  close(): Promise<void>;
}

export interface ConsoleInBrowser {
  /** The PDP serving the console (after the block's beforeAll). */
  readonly stack: ConsoleStack;
  /** One Chromium page, shared by the block's tests in order. */
  readonly page: Page;
}

const VIEWPORT = { width: 1360, height: 900 };
// A browser and two services share two cores with the rest of the suite on CI.
const START_TIMEOUT_MS = 60_000;

/**
 * For the enclosing describe block: `start` brings up the console's stack and what it depends on, handing
 * each dependency to `closeAfterwards`; then Chromium opens one page. After the block the browser is closed
 * first, then the stack and the dependencies in the reverse order of their start.
 */
export function useConsoleInBrowser(start: (closeAfterwards: <T extends Closeable>(service: T) => T) => Promise<ConsoleStack>): ConsoleInBrowser {
  const started: Closeable[] = [];
  let browser: Browser | undefined;
  let stack: ConsoleStack | undefined;
  let page: Page | undefined;

  beforeAll(async () => {
    stack = await start((service) => {
      started.push(service);
      return service;
    });
    started.push(stack);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: VIEWPORT });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    for (const service of started.reverse()) await service.close();
  });

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started: use it inside the describe block's tests`);
    return value;
  };
  return {
    get stack() {
      return ready(stack, 'the console stack');
    },
    get page() {
      return ready(page, 'the browser page');
    },
  };
}
