import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../../common';
import { EVERYTHING_BIN } from './proxy-harness';

/** server-everything in its own process, serving Streamable HTTP (`/mcp`) and legacy SSE (`/sse`) variants. */
export interface EverythingOverHttp {
  url: string;
  stop(): Promise<void>;
}


export async function startEverythingOverHttp(transport: 'streamableHttp' | 'sse'): Promise<EverythingOverHttp> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [EVERYTHING_BIN, transport], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      if (/listening|running on port/i.test(chunk.toString())) resolve();
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server-everything ${transport} exited with ${code}`)));
  });
  const path = transport === 'sse' ? '/sse' : '/mcp';
  return {
    url: `http://127.0.0.1:${port}${path}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
