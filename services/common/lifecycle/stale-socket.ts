import fs from 'node:fs/promises';
import net from 'node:net';

/**
 * Removes a socket file a process that died without closing left behind, so listening on the path
 * succeeds; a socket someone still answers on is left alone (listening then fails with EADDRINUSE).
 * Anything at the path that is not a socket is left alone too.
 */
export async function removeStaleSocket(socketPath: string): Promise<void> {
  const stat = await fs.lstat(socketPath).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!stat?.isSocket()) return;
  if (await answers(socketPath)) return;
  await fs.rm(socketPath, { force: true });
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
