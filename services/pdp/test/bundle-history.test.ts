import fs from 'node:fs';
import path from 'node:path';
import { createMetricsRegistry, loadPdpConfig } from '../../common';
import type { BundleHistoryEntry } from '../bundles/bundle-history';
import { fileBundleHistory } from '../bundles/bundle-history-file';
import type { BundleSource } from '../bundles/bundle-source';
import { openBundleSource } from '../bundles/open-bundle-source';
import { revisionBundle, silentLogger, tempDir, writeBundleDir } from './support/bundle-fixtures';
import { eventually } from './support/bundle-waits';

function activated(revision: string, second: number): BundleHistoryEntry {
  return { kind: 'activated', revision, engine: 'native', at: new Date(Date.UTC(2026, 10, 22, 8, 0, second)) };
}

function revisions(entries: BundleHistoryEntry[]): string[] {
  return entries.map((entry) => (entry.kind === 'activated' ? entry.revision : `failed: ${entry.message}`));
}

describe('the bundle history file', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = tempDir('mcp-authz-history-');
    file = path.join(dir, 'cache', 'history.jsonl');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const history = (writer: boolean, limit = 5) => fileBundleHistory({ file, writer, logger: silentLogger(), limit });

  it('survives a restart: a new process reads what the previous one recorded, newest first', () => {
    const before = history(true);
    before.record(activated('r1', 1));
    before.record({ kind: 'failed', message: 'compile: bad rego', at: new Date(Date.UTC(2026, 10, 22, 8, 0, 2)) });
    before.record(activated('r2', 3));

    const after = history(true);
    expect(revisions(after.entries())).toEqual(['r2', 'failed: compile: bad rego', 'r1']);
    expect(after.entries()[0]!.at.toISOString()).toBe('2026-11-22T08:00:03.000Z');
    after.record(activated('r3', 4));
    expect(revisions(after.entries())).toEqual(['r3', 'r2', 'failed: compile: bad rego', 'r1']);
  });

  it('is written by one worker and read by all: the others show its list and add nothing', () => {
    const worker0 = history(true);
    const worker1 = history(false);
    worker0.record(activated('r1', 1));
    worker1.record(activated('r1', 1));
    expect(revisions(worker1.entries())).toEqual(['r1']);
    worker0.record(activated('r2', 2));
    worker1.record(activated('r2', 2));
    expect(revisions(worker1.entries())).toEqual(['r2', 'r1']);
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('stays bounded: it shows the newest entries up to the limit and compacts the file at twice the limit', () => {
    const writer = history(true, 5);
    for (let second = 1; second <= 23; second += 1) writer.record(activated(`r${second}`, second));
    expect(revisions(writer.entries())).toEqual(['r23', 'r22', 'r21', 'r20', 'r19']);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').length;
    expect(lines).toBeGreaterThanOrEqual(5);
    expect(lines).toBeLessThanOrEqual(10);
    expect(revisions(history(false, 5).entries())).toEqual(['r23', 'r22', 'r21', 'r20', 'r19']);
  });

  it('skips lines it cannot read', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const good = JSON.stringify({ kind: 'activated', revision: 'r1', engine: 'wasm', at: '2026-11-22T08:00:00.000Z' });
    fs.writeFileSync(file, `not json\n${good}\n{"kind":"activated"}\n{"kind":"exploded","at":"2026-11-22T08:00:00Z"}\n`);
    expect(history(false).entries()).toEqual([{ kind: 'activated', revision: 'r1', engine: 'wasm', at: new Date('2026-11-22T08:00:00.000Z') }]);
  });

  it('keeps the history in memory when the file cannot be written', () => {
    fs.writeFileSync(path.join(dir, 'cache'), 'a file where the folder should be');
    const writer = history(true);
    writer.record(activated('r1', 1));
    writer.record(activated('r2', 2));
    expect(revisions(writer.entries())).toEqual(['r2', 'r1']);
  });
});

describe('bundle history through openBundleSource', () => {
  let dir: string;
  const opened: BundleSource[] = [];
  beforeEach(() => {
    dir = tempDir();
    fs.mkdirSync(path.join(dir, 'policies'));
  });
  afterEach(async () => {
    for (const source of opened.splice(0)) await source.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function start(workerIndex: string): Promise<BundleSource> {
    const env = { PDP_BUNDLE_WATCH_INTERVAL_MS: '25', PDP_WORKER_INDEX: workerIndex };
    const source = await openBundleSource(loadPdpConfig({ PDP_BUNDLE: './policies' }, dir), {
      logger: silentLogger(),
      registry: createMetricsRegistry({ service: 'pdp', processMetrics: false }),
      env,
      cwd: dir,
    });
    opened.push(source);
    return source;
  }

  it('keeps activations across a restart, beside the bundle cache, and every worker lists them once', async () => {
    writeBundleDir(path.join(dir, 'policies'), revisionBundle('r1'));
    const first = await start('0');
    writeBundleDir(path.join(dir, 'policies'), revisionBundle('r2'));
    await eventually(() => first.status().activeRevision === 'r2');
    await first.close();

    const [worker0, worker1] = [await start('0'), await start('1')];
    expect(worker1.status().activeRevision).toBe('r2');
    expect(revisions(worker0.status().history)).toEqual(['r2', 'r2', 'r1']);
    expect(revisions(worker1.status().history)).toEqual(['r2', 'r2', 'r1']);
    expect(fs.readdirSync(path.join(dir, '.data', 'bundles'))).toHaveLength(1);
  });
});
