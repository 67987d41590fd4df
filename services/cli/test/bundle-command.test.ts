import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../commands/bundle-build';
import { loadBundle } from '../../rego/loader';
import { toJSON } from '../../rego/value';
import { captureIO } from './capture-io';

describe('mcp-authz bundle build', () => {
  it('writes an OPA bundle with the given revision', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bb-'));
    fs.writeFileSync(path.join(dir, 'policy.rego'), 'package mcp.gateway\n\ndecision := {"allow": true}\n');
    fs.writeFileSync(path.join(dir, 'data.json'), '{"servers": {"a": 1}}');
    const out = path.join(dir, 'out', 'bundle.tar.gz');
    const io = captureIO();
    expect(await run({ dir, output: out, revision: 'rev-1' }, io)).toBe(0);
    expect(io.out).toContain('rev-1');
    const bundle = await loadBundle(out);
    expect(bundle.manifest).toMatchObject({ revision: 'rev-1', roots: [''] });
    expect(toJSON(bundle.data)).toEqual({ servers: { a: 1 } });
    expect(bundle.modules.map((m) => m.file)).toEqual(['policy.rego']);
  });

  it('fails with a message when the directory is missing', async () => {
    const io = captureIO();
    expect(await run({ dir: '/no/such/dir', output: path.join(os.tmpdir(), 'x.tar.gz') }, io)).toBe(1);
    expect(io.err).toContain('not a directory');
  });
});
