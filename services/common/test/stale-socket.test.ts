import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { removeStaleSocket } from '../lifecycle/stale-socket';

/** A socket file whose process died without closing it, as a crashed PDP leaves one. */
function leaveStaleSocket(socketPath: string): void {
  spawnSync(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`]);
}

describe('removeStaleSocket', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stale-socket-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('removes a socket nobody answers on, so listening on the path works', async () => {
    const socketPath = path.join(dir, 'pdp.sock');
    leaveStaleSocket(socketPath);
    expect(fs.lstatSync(socketPath).isSocket()).toBe(true);
    await removeStaleSocket(socketPath);
    expect(fs.existsSync(socketPath)).toBe(false);
  });

  it('leaves alone a socket someone answers on, a file that is no socket, and a path with nothing', async () => {
    const live = path.join(dir, 'live.sock');
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(live, resolve));
    await removeStaleSocket(live);
    expect(fs.existsSync(live)).toBe(true);
    await new Promise((resolve) => server.close(resolve));

    const plain = path.join(dir, 'plain');
    fs.writeFileSync(plain, 'not a socket');
    await removeStaleSocket(plain);
    expect(fs.readFileSync(plain, 'utf8')).toBe('not a socket');

    await expect(removeStaleSocket(path.join(dir, 'absent.sock'))).resolves.toBeUndefined();
  });
});
