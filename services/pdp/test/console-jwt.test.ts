import type { RequestHandler } from 'express';
import type { JWTPayload } from 'jose';
import request from 'supertest';
import { hashApiKey } from '../../common';
import type { AuditEventInput } from '../../common/contracts/audit-event';
import type { AuditApiClient } from '../console/audit/audit-api-client';
import { DEFAULT_CONSOLE_TOKEN_CLAIMS, loadConsoleSettings, type ConsoleTokenClaims } from '../console/console-settings';
import type { PinnedTool, ToolApprovals } from '../console/tools/tool-approvals';
import { createSubjectTokenVerifier } from '../principals/subject-token-verifier';
import { consolePdp } from './support/console-pdp';
import { AUDIENCE, ISSUER, startTestIdp, type TestIdp } from './support/jwks-server';

const VIEWER_KEY = 'mcpz_jwt-test-viewer';
const KEYS = [{ id: 'key_v', name: 'viewer', tenant: 'default', sha256: hashApiKey(VIEWER_KEY), created_at: '2026-01-01T00:00:00Z' }];
const CHANGED: PinnedTool = {
  server: 'everything',
  tool: 'echo',
  approved_hash: 'sha256:v1',
  approved_at: '2026-11-01T08:00:00.000Z',
  observed_hash: 'sha256:v2',
  observed_at: '2026-11-18T09:30:00.000Z',
  status: 'changed',
};

/** Tool approvals that remember who decided what. */
function recordingTools(): ToolApprovals & { decisions: string[] } {
  const decisions: string[] = [];
  return {
    source: 'test',
    decisions,
    list: async () => [CHANGED],
    approve: async (server, tool, _hash, by) => (decisions.push(`approve ${server}/${tool} by ${by}`), { ...CHANGED, status: 'approved', approved_hash: 'sha256:v2' }),
    reject: async (server, tool, _hash, by) => (decisions.push(`reject ${server}/${tool} by ${by}`), { ...CHANGED, status: 'rejected' }),
  };
}

/** An audit service that answers what the console asks and keeps the queries and posted events. */
function recordingAudit(): AuditApiClient & { queries: Record<string, string>[]; events: AuditEventInput[]; redrives: number } {
  const audit = {
    queries: [] as Record<string, string>[],
    events: [] as AuditEventInput[],
    redrives: 0,
    async get(_path: string, query: Record<string, string> = {}) {
      audit.queries.push(query);
      return { status: 200, body: { events: [], next_cursor: null } };
    },
    async post(path: string, body: unknown) {
      if (path === '/v1/dead-letters/redrive') {
        audit.redrives += 1;
        return { status: 200, body: { redriven: 2 } };
      }
      audit.events.push(...(body as { events: AuditEventInput[] }).events);
      return { status: 202, body: { accepted: 1 } };
    },
    stream: async () => ({ status: 200, headers: {}, body: null }),
    metrics: async () => '',
  };
  return audit;
}

describe('console sign-in with a JWT', () => {
  let idp: TestIdp;
  beforeAll(async () => {
    idp = await startTestIdp();
  });
  afterAll(() => idp.close());

  function jwtConsolePdp(options: { claims?: ConsoleTokenClaims; authenticate?: RequestHandler | null } = {}) {
    const tools = recordingTools();
    const audit = recordingAudit();
    const { app } = consolePdp({
      keys: KEYS,
      authenticate: options.authenticate,
      tokens: createSubjectTokenVerifier({ jwksUrl: idp.jwksUrl, issuer: ISSUER, audience: AUDIENCE, clockToleranceSeconds: 0 }),
      consoleSettings: { tokenClaims: options.claims ?? DEFAULT_CONSOLE_TOKEN_CLAIMS },
      tools,
      audit,
    });
    return { app, tools, audit };
  }

  const token = (claims: JWTPayload, options?: Parameters<TestIdp['sign']>[1]) => idp.sign({ sub: 'u-123', preferred_username: 'carol', tenant: 'acme', ...claims }, options);
  const approveEcho = { server: 'everything', tool: 'echo', observed_hash: 'sha256:v2' };

  it('signs a viewer in: role, name and tenant from the claims, never the token', async () => {
    const { app, audit } = jwtConsolePdp();
    const viewer = await token({ mcp_authz_role: 'viewer' });
    const session = await request(app).get('/console/api/session').set('Authorization', `Bearer ${viewer}`);
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ role: 'viewer', authenticated: true, key: null, caller: { via: 'jwt', id: 'u-123', name: 'carol', tenant: 'acme' } });
    expect(Date.parse(session.body.caller.expires_at)).toBeGreaterThan(Date.now());
    expect(JSON.stringify(session.body)).not.toContain(viewer);

    expect((await request(app).get('/console/api/bundles').set('Authorization', `Bearer ${viewer}`)).status).toBe(200);
    const events = await request(app).get('/console/api/audit/events').query({ tenant: 'globex' }).set('Authorization', `Bearer ${viewer}`);
    expect(events.status).toBe(200);
    expect(audit.queries.at(-1)).toMatchObject({ tenant: 'acme' });
  });

  it('lets a token for every tenant (*) see every tenant, like an operator key', async () => {
    const { app, audit } = jwtConsolePdp();
    const operator = await token({ mcp_authz_role: 'viewer', tenant: '*' });
    const events = await request(app).get('/console/api/audit/events').query({ tenant: 'globex' }).set('Authorization', `Bearer ${operator}`);
    expect(events.status).toBe(200);
    expect(audit.queries.at(-1)).toEqual({ tenant: 'globex' });
  });

  it('does not let a viewer approve tools or re-drive dead letters (403)', async () => {
    const { app, tools, audit } = jwtConsolePdp();
    const viewer = await token({ mcp_authz_role: 'viewer' });
    const approve = await request(app).post('/console/api/tools/approve').set('Authorization', `Bearer ${viewer}`).send(approveEcho);
    expect(approve.status).toBe(403);
    expect(approve.body.error.code).toBe('forbidden');
    expect((await request(app).post('/console/api/audit/dead-letters/redrive').set('Authorization', `Bearer ${viewer}`).send({})).status).toBe(403);
    expect(tools.decisions).toEqual([]);
    expect(audit.redrives).toBe(0);
  });

  it('lets an admin approve and re-drive, and records the user (not a key) in the audit trail', async () => {
    const { app, tools, audit } = jwtConsolePdp();
    const admin = await token({ mcp_authz_role: ['viewer', 'admin'] });
    const approve = await request(app).post('/console/api/tools/approve').set('Authorization', `Bearer ${admin}`).send(approveEcho);
    expect(approve.status).toBe(200);
    expect(tools.decisions).toEqual(['approve everything/echo by carol (u-123)']);
    expect((await request(app).post('/console/api/audit/dead-letters/redrive').set('Authorization', `Bearer ${admin}`).send({})).status).toBe(200);
    expect(audit.redrives).toBe(1);
    expect(audit.events[0]).toMatchObject({ event_type: 'admin', action: 'tool.approve', tenant: 'acme', principal: { id: 'u-123', type: 'user' }, payload: { user_name: 'carol' } });
    expect(JSON.stringify(audit.events)).not.toContain(admin);
  });

  it('reads the role from a configured claim, a list or a nested path, mapped to viewer or admin', async () => {
    const settings = loadConsoleSettings({ PDP_CONSOLE_ROLE_CLAIM: 'realm_access.roles', PDP_CONSOLE_ADMIN_ROLES: 'mcp-authz-admin, secops-lead', PDP_CONSOLE_VIEWER_ROLES: 'mcp-authz-viewer', PDP_CONSOLE_TENANT_CLAIM: 'org' });
    const { app } = jwtConsolePdp({ claims: settings.tokenClaims });
    const lead = await token({ realm_access: { roles: ['developer', 'secops-lead'] }, org: 'globex' });
    expect((await request(app).get('/console/api/session').set('Authorization', `Bearer ${lead}`)).body).toMatchObject({ role: 'admin', caller: { tenant: 'globex' } });
    const reader = await token({ realm_access: { roles: ['mcp-authz-viewer'] }, org: 'globex' });
    expect((await request(app).get('/console/api/session').set('Authorization', `Bearer ${reader}`)).body.role).toBe('viewer');
    const untenanted = await idp.sign({ sub: 'u-9', realm_access: { roles: ['mcp-authz-viewer'] } });
    expect((await request(app).get('/console/api/session').set('Authorization', `Bearer ${untenanted}`)).body.caller.tenant).toBe('default');
  });

  it('refuses a verified token that gives no console role (403), or no usable tenant (403)', async () => {
    const { app } = jwtConsolePdp();
    const noRole = await request(app).get('/console/api/session').set('Authorization', `Bearer ${await token({ roles: ['admin'] })}`);
    expect(noRole.status).toBe(403);
    expect(noRole.body.error.message).toContain('mcp_authz_role');
    const otherRole = await request(app).get('/console/api/session').set('Authorization', `Bearer ${await token({ mcp_authz_role: 'superuser' })}`);
    expect(otherRole.status).toBe(403);
    const badTenant = await request(app).get('/console/api/session').set('Authorization', `Bearer ${await token({ mcp_authz_role: 'admin', tenant: 'a b/c' })}`);
    expect(badTenant.status).toBe(403);
  });

  it('refuses expired, foreign and forged tokens with 401 and a JSON error', async () => {
    const { app } = jwtConsolePdp();
    const cases: [string, Promise<string>, string][] = [
      ['expired', token({ mcp_authz_role: 'admin' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }), 'token rejected: expired'],
      ['another issuer', token({ mcp_authz_role: 'admin' }, { issuer: 'https://evil.test' }), 'token rejected: claim iss is not acceptable'],
      ['another audience', token({ mcp_authz_role: 'admin' }, { audience: 'someone-else' }), 'token rejected: claim aud is not acceptable'],
    ];
    for (const [, signed, message] of cases) {
      const res = await request(app).get('/console/api/session').set('Authorization', `Bearer ${await signed}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthorized', message, details: [] } });
    }
    const [header, , signature] = (await token({ mcp_authz_role: 'viewer' })).split('.');
    const forgedClaims = Buffer.from(JSON.stringify({ sub: 'u-123', mcp_authz_role: 'admin', iss: ISSUER, aud: AUDIENCE, exp: 9999999999 })).toString('base64url');
    const forged = await request(app).get('/console/api/session').set('Authorization', `Bearer ${header}.${forgedClaims}.${signature}`);
    expect(forged.status).toBe(401);
    expect(forged.body.error.message).toBe('token rejected: signature does not verify');
  });

  it('still takes API keys, and a JWT opens the console only, not the decision APIs', async () => {
    const { app } = jwtConsolePdp();
    expect((await request(app).get('/console/api/session').set('X-API-Key', VIEWER_KEY)).body).toMatchObject({ role: 'viewer', caller: { via: 'api_key', id: 'key_v' } });
    expect((await request(app).get('/console/api/session')).status).toBe(401);
    const admin = await token({ mcp_authz_role: 'admin' });
    const decision = await request(app).get('/v1/servers').set('Authorization', `Bearer ${admin}`);
    expect(decision.status).toBe(401);
  });

  it('verifies a JWT even when the PDP runs without keys, so a bad token is not the trusted loopback caller', async () => {
    const { app } = jwtConsolePdp({ authenticate: null });
    expect((await request(app).get('/console/api/session')).body).toMatchObject({ role: 'admin', authenticated: false });
    const expired = await token({ mcp_authz_role: 'admin' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    expect((await request(app).get('/console/api/session').set('Authorization', `Bearer ${expired}`)).status).toBe(401);
    const viewer = await token({ mcp_authz_role: 'viewer' });
    expect((await request(app).get('/console/api/session').set('Authorization', `Bearer ${viewer}`)).body).toMatchObject({ role: 'viewer', authenticated: true });
  });
});
