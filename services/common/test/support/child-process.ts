import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');
const REGISTER_TS = path.join(REPO_ROOT, 'services/common/register-typescript.js');

export interface SpawnedTs {
  child: ChildProcessWithoutNullStreams;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line (parsed as JSON when it is) that satisfies the predicate. */
  waitForLine(predicate: (line: string, json: Record<string, unknown> | undefined) => boolean): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs a TypeScript entry point of this repository in a child process, with only the given environment. */
export function spawnTs(entry: string, args: string[] = [], options: { env?: Record<string, string>; cwd?: string } = {}): SpawnedTs {
  const child = spawn(process.execPath, ['-r', REGISTER_TS, path.resolve(REPO_ROOT, entry), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...options.env },
  });
  let out = '';
  let err = '';
  const waiters: Array<{ predicate: (line: string, json: Record<string, unknown> | undefined) => boolean; resolve: (line: string) => void }> = [];
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    pending += chunk.toString();
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      const json = parseJson(line);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(line, json)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitForLine: (predicate) =>
      new Promise((resolve, reject) => {
        waiters.push({ predicate, resolve });
        void exited.then(({ code }) => reject(new Error(`process exited (${code}) before the expected line; stderr:\n${err}\nstdout:\n${out}`)));
      }),
    exited,
  };
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
