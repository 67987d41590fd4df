import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../commands/conformance';
import { captureIO as capture } from './capture-io';

describe('mcp-authz conformance', () => {
  it('fails with a message when the directory does not exist', async () => {
    const io = capture();
    expect(await run({ dir: path.join(os.tmpdir(), 'no-such-conformance-dir'), json: false, verbose: false }, io)).toBe(1);
    expect(io.err).toContain('not a directory');
  });

  it('fails with a message on a malformed case file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
    fs.mkdirSync(path.join(dir, 'cat'));
    fs.writeFileSync(path.join(dir, 'cat', 'bad.json'), '{"cases": [');
    const io = capture();
    expect(await run({ dir, json: true, verbose: false }, io)).toBe(1);
    expect(io.err).toMatch(/mcp-authz conformance: .+/);
  });
});
