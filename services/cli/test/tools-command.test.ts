import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { approve, list } from '../commands/tools';
import { readToolPinsFile, writeToolPinsFile } from '../../proxy/pinning/tool-pins-file';
import { captureIO } from './capture-io';

describe('mcp-authz tools approve|list', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tools-cli-'));
    file = path.join(dir, 'tool-pins.json');
    const at = '2026-01-01T00:00:00Z';
    writeToolPinsFile(file, {
      servers: {
        everything: {
          echo: { approved: 'sha256:old', approved_at: at, observed: 'sha256:new', observed_at: at },
          'get-sum': { approved: 'sha256:same', approved_at: at, observed: 'sha256:same', observed_at: at },
          fetch: { approved: 'sha256:v1', approved_at: at, observed: 'sha256:v2', observed_at: at, rejected: { hash: 'sha256:v2', at, by: 'alice (console)' } },
        },
      },
    });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists changed definitions', async () => {
    const io = captureIO();
    expect(await list({ changed: true, file }, io)).toBe(0);
    expect(io.out).toContain('CHANGED  everything/echo');
    expect(io.out).not.toContain('get-sum');
  });

  it('shows a definition rejected in the console as REJECTED, not CHANGED', async () => {
    const io = captureIO();
    expect(await list({ file }, io)).toBe(0);
    expect(io.out).toBe(['CHANGED  everything/echo  sha256:new', 'REJECTED everything/fetch  sha256:v2', 'ok       everything/get-sum  sha256:same', ''].join('\n'));
    const json = captureIO();
    expect(await list({ changed: true, json: true, file }, json)).toBe(0);
    expect(JSON.parse(json.out)).toEqual([
      expect.objectContaining({ tool: 'echo', status: 'changed', changed: true }),
      expect.objectContaining({ tool: 'fetch', status: 'rejected', changed: true }),
    ]);
  });

  it('approves every changed tool of a server, not a rejected one unless named', async () => {
    const io = captureIO();
    expect(await approve({ server: 'everything', file }, io)).toBe(0);
    expect(io.out).toBe('approved everything/echo\n');
    expect(readToolPinsFile(file).servers.everything.fetch.approved).toBe('sha256:v1');
    expect(await approve({ server: 'everything', tool: 'fetch', file }, io)).toBe(0);
    expect(readToolPinsFile(file).servers.everything.fetch).toMatchObject({ approved: 'sha256:v2' });
    expect(readToolPinsFile(file).servers.everything.fetch.rejected).toBeUndefined();
    // The approval was written under the file's lock, released afterwards.
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
    expect(readToolPinsFile(file).servers.everything.echo.approved).toBe('sha256:new');
  });

  it('fails for an unknown server or tool', async () => {
    const io = captureIO();
    expect(await approve({ server: 'nowhere', file }, io)).toBe(1);
    expect(await approve({ server: 'everything', tool: 'missing', file }, io)).toBe(1);
    expect(io.err).toContain('no tool missing');
  });
});
