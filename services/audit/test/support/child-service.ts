import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface ChildService {
  url: string;
  process: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const REGISTER = path.join(REPO_ROOT, 'services/common/register-typescript.js');
const ENTRY = path.join(__dirname, 'audit-child.ts');

/** Starts the audit service in a child process and waits for it to listen. */
export function startChildService(cwd: string, env: Record<string, string | undefined>): Promise<ChildService> {
  const child = spawn(process.execPath, ['-r', REGISTER, ENTRY], {
    cwd,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', AUDIT_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const { url } = JSON.parse(line) as { url?: string };
        if (url) resolve({ url, process: child, exited });
      } catch {
        // not the line we wait for
      }
    });
    void exited.then((code) => reject(new Error(`audit child exited with ${code} before listening: ${stderr}`)));
  });
}
