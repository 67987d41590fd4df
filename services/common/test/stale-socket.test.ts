import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { removeStaleSocket } from '../lifecycle/stale-socket';
import { useTempDir } from './support/temp-dir';

/** A socket file whose process died without closing it, as a crashed PDP leaves one. */
function leaveStaleSocket(socketPath: string): void {
  spawnSync(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`]);
}

describe('removeStaleSocket', () => {
  const dir = useTempDir('stale-socket-');

  it('removes a socket nobody answers on, so listening on the path works', async () => {
    const socketPath = path.join(dir.path, 'pdp.sock');
    leaveStaleSocket(socketPath);
    expect(fs.lstatSync(socketPath).isSocket()).toBe(true);
    await removeStaleSocket(socketPath);
    expect(fs.existsSync(socketPath)).toBe(false);
  });

  it('leaves alone a socket someone answers on, a file that is no socket, and a path with nothing', async () => {
    const live = path.join(dir.path, 'live.sock');
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(live, resolve));
    await removeStaleSocket(live);
    expect(fs.existsSync(live)).toBe(true);
    await new Promise((resolve) => server.close(resolve));

    const plain = path.join(dir.path, 'plain');
    fs.writeFileSync(plain, 'not a socket');
    await removeStaleSocket(plain);
    expect(fs.readFileSync(plain, 'utf8')).toBe('not a socket');

    await expect(removeStaleSocket(path.join(dir.path, 'absent.sock'))).resolves.toBeUndefined();
  });
});
