import path from 'node:path';
import { ConfigError, formatConfigError } from '../config/config-error';
import { loadAuditConfig } from '../config/audit-config';
import { loadPdpConfig } from '../config/pdp-config';
import { loadProxyConfig } from '../config/proxy-config';

const cwd = '/srv/mcp-authz';

function configErrorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('service configuration from the environment', () => {
  it('uses the GUIDE defaults when nothing is set', () => {
    const pdp = loadPdpConfig({}, cwd);
    expect(pdp.listen).toEqual({ host: '127.0.0.1', port: 8181 });
    expect(pdp.bundle).toBe('./policies');
    expect(pdp.engine).toBe('auto');
    expect(pdp.auditUrl).toBe('http://127.0.0.1:8282');
    expect(pdp.auth).toEqual({ service: 'pdp', keysFile: path.join(cwd, '.data/api-keys/pdp.json'), keysFileExplicit: false, mode: 'auto' });

    const proxy = loadProxyConfig({}, cwd);
    expect(proxy.listen).toEqual({ host: '127.0.0.1', port: 8000 });
    expect(proxy.pdpUrl).toBe('http://127.0.0.1:8181');
    expect(proxy.serversFile).toBe(path.join(cwd, 'mcp-servers.json'));

    const audit = loadAuditConfig({}, cwd);
    expect(audit.listen).toEqual({ host: '127.0.0.1', port: 8282 });
    expect(audit.databaseUrl).toBeUndefined();
    expect(audit.dataDir).toBe(path.join(cwd, '.data'));
  });

  it('reads every variable it knows', () => {
    const proxy = loadProxyConfig(
      {
        PROXY_HOST: '0.0.0.0',
        PROXY_PORT: '9000',
        PROXY_CONFIG: 'conf/servers.json',
        PROXY_API_KEYS_FILE: '/etc/keys.json',
        PDP_URL: 'https://pdp.internal:8443',
        AUDIT_HOST: '10.0.0.7',
        AUDIT_PORT: '9999',
        LOG_LEVEL: 'debug',
      },
      cwd,
    );
    expect(proxy.listen).toEqual({ host: '0.0.0.0', port: 9000 });
    expect(proxy.serversFile).toBe(path.join(cwd, 'conf/servers.json'));
    expect(proxy.auth.keysFile).toBe('/etc/keys.json');
    expect(proxy.auth.keysFileExplicit).toBe(true);
    expect(proxy.pdpUrl).toBe('https://pdp.internal:8443');
    expect(proxy.auditUrl).toBe('http://10.0.0.7:9999');
    expect(proxy.logLevel).toBe('debug');
  });

  it('derives a reachable URL for a neighbour bound to every interface', () => {
    expect(loadProxyConfig({ PDP_HOST: '0.0.0.0', PDP_PORT: '7000' }, cwd).pdpUrl).toBe('http://127.0.0.1:7000');
    expect(loadPdpConfig({ AUDIT_HOST: '::1' }, cwd).auditUrl).toBe('http://[::1]:8282');
  });

  it('reaches a PDP on this host through a Unix socket: PDP_URL unix:/path, PDP_SOCKET resolved against the working directory', () => {
    expect(loadProxyConfig({ PDP_URL: 'unix:/run/mcp-authz/pdp.sock' }, cwd).pdpUrl).toBe('unix:/run/mcp-authz/pdp.sock');
    expect(loadProxyConfig({ PDP_URL: 'unix:///run/mcp-authz/pdp.sock' }, cwd).pdpUrl).toBe('unix:///run/mcp-authz/pdp.sock');
    expect(loadPdpConfig({}, cwd).socketPath).toBeUndefined();
    expect(loadPdpConfig({ PDP_SOCKET: 'run/pdp.sock' }, cwd).socketPath).toBe(path.join(cwd, 'run/pdp.sock'));
  });

  it.each([
    ['PDP_URL', 'unix:run/pdp.sock', () => loadProxyConfig({ PDP_URL: 'unix:run/pdp.sock' }, cwd)],
    ['PDP_URL', 'a socket path too long to bind', () => loadProxyConfig({ PDP_URL: `unix:/${'s'.repeat(120)}` }, cwd)],
    ['PDP_SOCKET', 'a socket path too long to bind', () => loadPdpConfig({ PDP_SOCKET: 's'.repeat(120) }, cwd)],
  ])('rejects %s: %s', (variable, _value, load) => {
    expect(configErrorOf(load).issues.map((issue) => issue.variable)).toEqual([variable]);
  });

  it('treats an empty value as unset', () => {
    expect(loadPdpConfig({ PDP_PORT: '' }, cwd).listen.port).toBe(8181);
  });

  it.each([
    ['PDP_PORT', 'abc'],
    ['PDP_PORT', '65536'],
    ['PDP_PORT', '-1'],
    ['PDP_ENGINE', 'fast'],
    ['AUDIT_URL', 'ftp://audit'],
    ['LOG_LEVEL', 'loud'],
    ['PDP_AUTH', 'maybe'],
  ])('rejects %s=%s and names the variable', (variable, value) => {
    const error = configErrorOf(() => loadPdpConfig({ [variable]: value }, cwd));
    expect(error.issues.map((issue) => issue.variable)).toEqual([variable]);
    expect(formatConfigError(error)).toContain(`${variable}: `);
  });

  it('reports every bad variable at once', () => {
    const error = configErrorOf(() => loadAuditConfig({ AUDIT_PORT: 'x', DATABASE_URL: 'mysql://db' }, cwd));
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual(['AUDIT_PORT', 'DATABASE_URL']);
  });

  it('does not echo a rejected value, which may be a secret', () => {
    const error = configErrorOf(() => loadAuditConfig({ DATABASE_URL: 'mysql://user:hunter2@db' }, cwd));
    expect(formatConfigError(error)).not.toContain('hunter2');
  });
});
