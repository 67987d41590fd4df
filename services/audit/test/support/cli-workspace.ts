import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditEventInput } from '../../../common/contracts/audit-event';
import { createAuditStore } from '../../audit-store';
import { prepareBatch } from '../../ingest/batch-preparation';
import { createRedactor } from '../../ingest/redaction';
import { openMigratedDatabase } from '../../open-store';
import type { AuditDatabase } from '../../store/audit-database';

/** A working directory for the CLI's audit commands (their embedded database lives in its `.data`), and what they print. */
export interface CliWorkspace {
  readonly cwd: string;
  /** What the commands wrote to stdout since the test began or since `clearPrinted()`. */
  printed(): string;
  /** What they wrote to stderr, likewise (kept out of the test output). */
  printedErrors(): string;
  clearPrinted(): void;
  /** Opens the embedded database the commands use, migrated, and closes it after `use`. */
  withDatabase<T>(use: (database: AuditDatabase) => Promise<T>): Promise<T>;
  /** Stores events as ingestion would (validated, redacted, chained), queued for these sinks. */
  store(events: AuditEventInput[], sinks?: string[]): Promise<void>;
}

/** A fresh directory for the enclosing describe block (removed after it); stdout and stderr captured per test. */
export function useCliWorkspace(prefix: string): CliWorkspace {
  let cwd: string | undefined;
  let output: string[] = [];
  let errors: string[] = [];
  const spies: jest.SpyInstance[] = [];
  const capture = (into: () => string[]) => (chunk: string | Uint8Array) => {
    into().push(String(chunk));
    return true;
  };

  beforeAll(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(() => {
    if (cwd) fs.rmSync(cwd, { recursive: true, force: true });
  });
  beforeEach(() => {
    output = [];
    errors = [];
    spies.push(jest.spyOn(process.stdout, 'write').mockImplementation(capture(() => output)));
    spies.push(jest.spyOn(process.stderr, 'write').mockImplementation(capture(() => errors)));
  });
  afterEach(() => {
    for (const spy of spies.splice(0)) spy.mockRestore();
  });

  const workspace: CliWorkspace = {
    get cwd() {
      if (!cwd) throw new Error('the CLI workspace is used before its beforeAll ran');
      return cwd;
    },
    printed: () => output.join(''),
    printedErrors: () => errors.join(''),
    clearPrinted() {
      output = [];
      errors = [];
    },
    async withDatabase(use) {
      const { database } = await openMigratedDatabase({ databaseUrl: undefined, dataDir: path.join(workspace.cwd, '.data') });
      try {
        return await use(database);
      } finally {
        await database.close();
      }
    },
    async store(events, sinks = []) {
      const pending = await prepareBatch([...events], createRedactor());
      await workspace.withDatabase((database) => createAuditStore(database, sinks).writer.write(pending));
    },
  };
  return workspace;
}
