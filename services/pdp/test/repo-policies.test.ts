import path from 'node:path';
import request from 'supertest';
import { directoryBundleSource } from '../bundles/directory-bundle-source';
import { createNativeEngine } from '../engines/native-engine';
import { testPdp } from './support/test-app';

const POLICIES = path.resolve(__dirname, '../../../policies');
const RBAC = path.resolve(__dirname, '../bench/rbac-bundle');

function pdpOn(dir: string) {
  const source = directoryBundleSource(dir, createNativeEngine);
  const status = source.status();
  if (status.lastError) throw new Error(`bundle ${dir} did not load: ${status.lastError.message}`);
  return testPdp({ bundle: source.current() });
}

const alice = { id: 'alice', type: 'user' };
const bob = { id: 'bob', type: 'user' };

describe('the native engine on the repository policies', () => {
  const { app, recorded } = pdpOn(POLICIES);

  it('activates the bundle at its manifest revision', async () => {
    const res = await request(app).get('/health?bundles');
    expect(res.status).toBe(200);
    expect(res.body.bundle.active_revision).toBe('mcp-authz-example-1');
  });

  it('allows a developer to call a demo tool and removes secrets from the parameters', async () => {
    const res = await request(app)
      .post('/v1/authorize')
      .send({ server_name: 'everything', tool_name: 'echo', principal: alice, parameters: { message: 'hi', api_key: 'k-123' }, context: { ip: '127.0.0.1' } });
    expect(res.body).toMatchObject({ allow: true, cache_ttl: 1800, revision: 'mcp-authz-example-1' });
    expect(res.body.filtered_parameters).toHaveProperty('message', 'hi');
    expect(JSON.stringify(res.body.filtered_parameters)).not.toContain('k-123');
    expect(recorded.at(-1)).toMatchObject({ decision: 'allow', principal: { id: 'alice' } });
  });

  it('denies an analyst a tool outside the role, with a reason', async () => {
    const res = await request(app).post('/v1/authorize').send({ server_name: 'everything', tool_name: 'get-env', principal: bob, context: { ip: '127.0.0.1' } });
    expect(res.body.allow).toBe(false);
    expect(res.body.reasons.length).toBeGreaterThan(0);
    expect(res.body.cache_ttl).toBe(0);
  });

  it('denies malformed input with a reason instead of an error', async () => {
    const res = await request(app).post('/v1/data/mcp/gateway/decision').send({ input: { principal: 'nobody' } });
    expect(res.status).toBe(200);
    expect(res.body.result.allow).toBe(false);
    expect(res.body.result.reasons).toContain('principal must be an object');
  });

  it('explains which rules produced the decision', async () => {
    const res = await request(app).post('/v1/authorize').send({ server_name: 'everything', tool_name: 'echo', principal: alice, explain: true });
    const rules = res.body.explanation.map((entry: { rule: string }) => entry.rule);
    expect(rules).toEqual(expect.arrayContaining(['data.mcp.gateway.decision', 'data.mcp.gateway.allow']));
    for (const entry of res.body.explanation) expect(entry.location).toMatch(/^mcp\/[a-z_]+\.rego:\d+$/);
  });

  it('decides agent-to-agent calls', async () => {
    const res = await request(app)
      .post('/v1/authorize-a2a')
      .send({ source_agent_id: 'planner-agent', target_agent_id: 'research-agent', capability: 'query', source_agent: { trust_level: 'trusted', environment: 'prod' } });
    expect(res.body.revision).toBe('mcp-authz-example-1');
    expect(typeof res.body.allow).toBe('boolean');
    expect(res.body.reasons.length).toBeGreaterThan(0);
  });

  it('lists the servers and tools a developer may use', async () => {
    const servers = await request(app).get('/v1/servers').set('x-principal', JSON.stringify(alice));
    const names = servers.body.servers.map((server: { name: string }) => server.name);
    expect(names).toContain('everything');
    expect(names).not.toContain('postgres');
    const tools = await request(app).get('/v1/tools?server_name=everything').set('x-principal', JSON.stringify(alice));
    const toolNames = tools.body.tools.map((tool: { name: string }) => tool.name);
    expect(toolNames).toContain('echo');
    expect(toolNames).not.toContain('get-env');
  });
});

describe('the native engine on the benchmark RBAC policy', () => {
  const { app } = pdpOn(RBAC);

  it('answers through the OPA data API', async () => {
    const allowed = await request(app).post('/v1/data/rbac/decision').send({ input: { user: 'bob', action: 'update', type: 'finance' } });
    expect(allowed.body.result).toEqual({ allow: true, reasons: ['granted by role'], cache_ttl: 300 });
    const denied = await request(app).post('/v1/data/rbac/allow').send({ input: { user: 'eve', action: 'update', type: 'dog' } });
    expect(denied.body.result).toBe(false);
  });
});
