import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh directory under the system's temp directory for each test of the enclosing describe block, removed after it. */
export function useTempDir(prefix: string): { readonly path: string } {
  let current: string | undefined;
  beforeEach(() => {
    current = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterEach(() => {
    if (current !== undefined) fs.rmSync(current, { recursive: true, force: true });
    current = undefined;
  });
  return {
    get path() {
      if (current === undefined) throw new Error('the temp directory exists only while a test runs');
      return current;
    },
  };
}
