import { fork } from 'node:child_process';
import path from 'node:path';

/** A Splunk HEC endpoint for benchmarks, in its own process: accepts every batch at once and counts the events in it. */
export interface CountingHec {
  url: string;
  /** Its process, whose CPU time the benchmark reports apart from the service's. */
  pid: number;
  events(): number;
  /** Batches received so far. */
  requests(): number;
  close(): Promise<void>;
}

export async function startCountingHec(token: string): Promise<CountingHec> {
  const child = fork(path.join(__dirname, 'counting-hec-server.ts'), [], {
    execArgv: ['-r', path.join(__dirname, '../../../common/register-typescript.js')],
    env: { PATH: process.env.PATH, COUNTING_HEC_TOKEN: token },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let events = 0;
  let requests = 0;
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (message: { url?: string; events?: number; requests?: number }) => {
      if (message.url) resolve(message.url);
      if (message.events !== undefined) events = message.events;
      if (message.requests !== undefined) requests = message.requests;
    });
    child.once('exit', (code) => reject(new Error(`the counting HEC exited with ${code}`)));
  });
  return {
    url,
    pid: child.pid as number,
    events: () => events,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

/** Waits until `count()` reaches `target`; resolves to the seconds it took, or undefined on timeout. */
export async function secondsUntil(count: () => number, target: number, timeoutMs: number): Promise<number | undefined> {
  const started = Date.now();
  while (count() < target) {
    if (Date.now() - started > timeoutMs) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return (Date.now() - started) / 1000;
}
