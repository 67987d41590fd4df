import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { Header } from 'tar';
import { loadBundle, loadBundleArchive, loadBundleDir, loadPaths, LoaderError, readDocument } from '../loader';
import { buildBundle } from '../bundle';
import { BigNum, toJSON, type ObjectValue } from '../value';

function tree(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loader-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** A gzipped tar with the given raw entries (names not sanitised), for hostile-archive tests. */
function rawArchive(entries: { path: string; body?: string; type?: 'File' | 'SymbolicLink'; linkpath?: string }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.body ?? '');
    const header = new Header({ path: e.path, mode: 0o644, size: e.type === 'SymbolicLink' ? 0 : body.length, mtime: new Date(0), type: e.type ?? 'File', linkpath: e.linkpath });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block);
    if (e.type !== 'SymbolicLink' && body.length > 0) {
      blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

describe('loadPaths (opa -d)', () => {
  it('places data by directory, merges files and collects modules', async () => {
    const dir = tree({
      'data.json': '{"top": 1, "a": {"x": 1}}',
      'a/b/data.json': '{"y": 2}',
      'a/b/more.yaml': 'z: [1, 2]\n',
      'policy.rego': 'package p\n',
      'sub/policy_test.rego': 'package p\n',
      'README.md': 'ignored',
      '.hidden/data.json': '{"h": 1}',
    });
    const loaded = await loadPaths([dir]);
    expect(toJSON(loaded.data)).toEqual({ top: 1, a: { x: 1, b: { y: 2, z: [1, 2] } } });
    expect(loaded.modules.map((m) => path.relative(dir, m.file)).sort()).toEqual(['policy.rego', path.join('sub', 'policy_test.rego')]);
    expect(loaded.manifest).toBeNull();
  });

  it('puts a data file given directly at the root and keeps big numbers exact', async () => {
    const dir = tree({ 'x.json': '{"n": 123456789012345678901234567890}' });
    const loaded = await loadPaths([path.join(dir, 'x.json')]);
    expect((loaded.data as ObjectValue).get('n')).toBeInstanceOf(BigNum);
  });

  it('follows symbolic links to files and directories, once', async () => {
    const target = tree({ 'lib.rego': 'package lib\n', 'data.json': '{"v": 1}' });
    const dir = tree({ 'main.rego': 'package main\n' });
    fs.symlinkSync(target, path.join(dir, 'linked'));
    fs.symlinkSync(dir, path.join(dir, 'linked', 'loop'));
    const loaded = await loadPaths([dir]);
    expect(loaded.modules.map((m) => path.relative(dir, m.file)).sort()).toEqual([path.join('linked', 'lib.rego'), 'main.rego']);
    expect(toJSON(loaded.data)).toEqual({ linked: { v: 1 } });
  });

  it('reports conflicting data with both files', async () => {
    const dir = tree({ 'data.json': '{"a": {"b": 1}}', 'a/data.json': '{"b": 2}' });
    await expect(loadPaths([dir])).rejects.toThrow(/conflicts with .*data\.json at data\.a\.b/);
  });

  it('reports missing paths and bad JSON', async () => {
    await expect(loadPaths(['/no/such/path'])).rejects.toThrow(LoaderError);
    const dir = tree({ 'data.json': '{"a": ' });
    await expect(loadPaths([dir])).rejects.toThrow(/data\.json/);
  });

  it('reads input documents as JSON or YAML', () => {
    const dir = tree({ 'i.json': '{"a": 1}', 'i.yaml': 'a: 2\n' });
    expect(toJSON(readDocument(path.join(dir, 'i.json')))).toEqual({ a: 1 });
    expect(toJSON(readDocument(path.join(dir, 'i.yaml')))).toEqual({ a: 2 });
  });
});

describe('bundles', () => {
  const files = {
    '.manifest': JSON.stringify({ revision: 'r1', roots: ['mcp', 'roles'], wasm: [{ entrypoint: 'mcp/gateway/decision', module: '/policy.wasm' }] }),
    'mcp/gateway/policy.rego': 'package mcp.gateway\n',
    'roles/data.json': '{"admin": ["*"]}',
    'roles/other.json': '{"not": "bundle data"}',
    'policy.wasm': Buffer.from([0, 97, 115, 109]),
    '.signatures.json': '{"signatures": ["jwt"]}',
  };

  it('reads a bundle directory: manifest, data.json by directory, modules, wasm, signatures, file digests', () => {
    const loaded = loadBundleDir(tree(files));
    expect(loaded.manifest).toEqual({ revision: 'r1', roots: ['mcp', 'roles'], wasm: [{ entrypoint: 'mcp/gateway/decision', module: '/policy.wasm' }] });
    expect(toJSON(loaded.data)).toEqual({ roles: { admin: ['*'] } });
    expect(loaded.modules.map((m) => m.file)).toEqual(['mcp/gateway/policy.rego']);
    expect(loaded.wasm).toEqual(Buffer.from([0, 97, 115, 109]));
    expect(loaded.signatures).toEqual({ signatures: ['jwt'] });
    expect([...loaded.files.keys()].sort()).toEqual(['.manifest', 'mcp/gateway/policy.rego', 'policy.wasm', 'roles/data.json', 'roles/other.json']);
    expect(loaded.files.get('roles/data.json')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses modules and data outside the manifest roots', () => {
    expect(() => loadBundleDir(tree({ ...files, 'other/p.rego': 'package other\n' }))).toThrow(/outside the manifest roots/);
    expect(() => loadBundleDir(tree({ ...files, 'data.json': '{"elsewhere": 1}' }))).toThrow(/outside the manifest roots/);
  });

  it('round-trips through bundle build and the archive reader', async () => {
    const dir = tree({ 'data.json': '{"a": 1}', 'x/data.json': '{"b": 2}', 'p.rego': 'package p\n', 'x/q.rego': 'package x\n' });
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-')), 'b.tar.gz');
    const built = await buildBundle(dir, out, { revision: 'v7' });
    expect(built.entries).toEqual(['.manifest', 'data.json', 'p.rego', 'x/q.rego']);
    const loaded = await loadBundle(out);
    expect(loaded.manifest?.revision).toBe('v7');
    expect(toJSON(loaded.data)).toEqual({ a: 1, x: { b: 2 } });
    expect(loaded.modules.map((m) => [m.file, m.source])).toEqual([
      ['p.rego', 'package p\n'],
      ['x/q.rego', 'package x\n'],
    ]);
  });

  it('loads .tar.gz bundles given as -d paths', async () => {
    const dir = tree({ 'data.json': '{"a": 1}', 'p.rego': 'package p\n' });
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-')), 'b.tar.gz');
    await buildBundle(dir, out);
    const loaded = await loadPaths([out]);
    expect(toJSON(loaded.data)).toEqual({ a: 1 });
    expect(loaded.modules).toHaveLength(1);
  });

  it('refuses archive entries that escape the bundle, links and oversized entries', async () => {
    await expect(loadBundleArchive(rawArchive([{ path: '../evil.rego', body: 'package evil' }]))).rejects.toThrow(/escapes the bundle/);
    await expect(loadBundleArchive(rawArchive([{ path: 'a/../../evil.rego', body: 'package evil' }]))).rejects.toThrow(/escapes the bundle/);
    await expect(loadBundleArchive(rawArchive([{ path: 'link.rego', type: 'SymbolicLink', linkpath: '/etc/passwd' }]))).rejects.toThrow(/only regular files/);
    await expect(loadBundleArchive(rawArchive([{ path: 'big.json', body: 'x'.repeat(100) }]), { maxEntryBytes: 10, maxTotalBytes: 1000 })).rejects.toThrow(/larger than/);
    await expect(loadBundleArchive(Buffer.from('not a tarball at all'))).rejects.toThrow(LoaderError);
  });

  it('accepts leading-slash entry names as OPA writes them', async () => {
    const loaded = await loadBundleArchive(rawArchive([{ path: '/data.json', body: '{"a": 1}' }, { path: '/p.rego', body: 'package p\n' }]));
    expect(toJSON(loaded.data)).toEqual({ a: 1 });
    expect(loaded.modules.map((m) => m.file)).toEqual(['p.rego']);
  });
});
