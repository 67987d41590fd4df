import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, spawnTs, type SpawnedTs } from '../../common/test/support/child-process';

const WORKERS = 2;
const QUESTIONS = 20;

/** One POST on its own connection, so the cluster's round-robin hands questions to every worker; over `socketPath` when given. */
function authorizeOnNewConnection(url: string, socketPath?: string): Promise<{ status: number; body: { allow: boolean; revision: string } }> {
  const body = JSON.stringify({ server_name: 'everything', tool_name: 'echo', principal: { id: 'alice', type: 'user' }, context: { ip: '127.0.0.1' } });
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/v1/authorize`, { socketPath, method: 'POST', agent: false, headers: { 'content-type': 'application/json', connection: 'close' } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function seriesValue(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((row) => row.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe(`PDP_WORKERS=${WORKERS}`, () => {
  let cwd: string;
  let pdp: SpawnedTs;
  let url: string;
  let socketPath: string;

  beforeAll(async () => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-authz-pdp-cluster-'));
    socketPath = path.join(cwd, 'pdp.sock');
    // The audit service is not running: decisions are spooled under cwd, never waited for.
    const env = {
      LOG_LEVEL: 'info',
      PDP_PORT: '0',
      PDP_SOCKET: socketPath,
      PDP_WORKERS: String(WORKERS),
      PDP_BUNDLE: path.join(REPO_ROOT, 'policies'),
      AUDIT_URL: 'http://127.0.0.1:9',
    };
    pdp = spawnTs('services/cli/main.ts', ['serve', 'pdp'], { env, cwd });
    const line = await pdp.waitForLine((_line, json) => json?.msg === 'pdp cluster listening');
    url = (JSON.parse(line) as { url: string }).url;
  }, 60_000);

  afterAll(async () => {
    pdp.child.kill('SIGTERM');
    await pdp.exited;
    expect(fs.existsSync(socketPath)).toBe(false);
    fs.rmSync(cwd, { recursive: true, force: true });
  }, 30_000);

  it('serves the port from that many worker processes', () => {
    const children = execFileSync('pgrep', ['-P', String(pdp.child.pid)], { encoding: 'utf8' }).trim().split('\n');
    expect(children).toHaveLength(WORKERS);
  });

  it('answers every question, and /metrics on the shared port counts the decisions of all workers', async () => {
    for (let n = 0; n < QUESTIONS; n++) {
      const answer = await authorizeOnNewConnection(url);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ allow: true, revision: 'mcp-authz-example-1' });
    }
    const metrics = await (await fetch(`${url}/metrics`)).text();
    // One worker alone saw about half of them: the sum shows the scrape reports the whole cluster.
    expect(seriesValue(metrics, 'pdp_decisions_total{entrypoint="mcp/gateway/decision",result="allow",service="pdp"}')).toBe(QUESTIONS);
    // An info gauge stays 1 however many workers report it.
    expect(seriesValue(metrics, 'pdp_bundle_info{revision="mcp-authz-example-1",engine="native",source="' + path.join(REPO_ROOT, 'policies') + '",service="pdp"}')).toBe(1);
  });

  it('answers on PDP_SOCKET as well, which only its owner may connect to', async () => {
    expect(fs.statSync(socketPath).mode & 0o777).toBe(0o600);
    for (let n = 0; n < 4; n++) {
      const answer = await authorizeOnNewConnection('http://localhost', socketPath);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ allow: true, revision: 'mcp-authz-example-1' });
    }
  });
});
