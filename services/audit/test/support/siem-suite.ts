import { startSiemHarness, type SiemHarness, type SiemHarnessOptions } from './siem-harness';
import { openTestDatabase, type Engine, type TestDatabase } from './test-database';

/** What the SIEM tests of one engine share: one database for the describe block, a harness and fake receivers per test. */
export interface SiemSuite {
  /** A harness over the block's database, closed after the test (which empties the outbox for the next one). */
  startHarness(sinks: unknown[], options?: SiemHarnessOptions): Promise<SiemHarness>;
  /** Runs `close` after the test, once its harness is closed (a fake receiver's). */
  closeAfterTest(close: () => Promise<void>): void;
}

/** Opens the database before the enclosing describe block's tests and drops it after them. */
export function useSiemSuite(engine: Engine): SiemSuite {
  let testDatabase: TestDatabase | undefined;
  let harness: SiemHarness | undefined;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    testDatabase = await openTestDatabase(engine);
  });
  afterAll(() => testDatabase?.drop());
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    for (const close of closers.splice(0)) await close();
  });

  return {
    async startHarness(sinks, options) {
      if (!testDatabase) throw new Error('the SIEM suite is used before its beforeAll ran');
      harness = await startSiemHarness(testDatabase, sinks, options);
      return harness;
    },
    closeAfterTest(close) {
      closers.push(close);
    },
  };
}
