import fs from 'node:fs';
import { parseSinks } from '../../audit/siem/sink-config';
import { envFile, filesUnder, repoPath, yamlFile } from './support/ops-files';

interface ComposeService {
  image?: string;
  build?: { context: string; target?: string };
  command?: string[];
  environment?: Record<string, string>;
  env_file?: string[];
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
}

interface Compose {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

const compose = yamlFile<Compose>('docker-compose.yml');
const services = Object.entries(compose.services);
const isOneShot = (service: ComposeService): boolean => service.restart === 'no';
// Names whose values are credentials: they may only come from .env through ${…}.
const SECRET_NAME = /PASSWORD|TOKEN|SECRET|API_KEY|DATABASE_URL|SINKS/;

describe('docker-compose.yml', () => {
  it('runs the whole stack', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['audit', 'bundle-build', 'bundle-server', 'demo-mcp', 'grafana', 'migrate', 'pdp', 'postgres', 'prometheus', 'proxy', 'siem-receiver'].sort(),
    );
  });

  it('gives every long-running service a healthcheck and waits on one-shots to complete', () => {
    for (const [name, service] of services) {
      if (isOneShot(service)) expect([name, service.healthcheck?.disable]).toEqual([name, true]);
      else expect([name, service.healthcheck?.test?.length ?? 0]).not.toEqual([name, 0]);
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const target = compose.services[dependency];
        expect([name, dependency, target !== undefined]).toEqual([name, dependency, true]);
        expect([name, dependency, condition]).toEqual([name, dependency, isOneShot(target!) ? 'service_completed_successfully' : 'service_healthy']);
      }
    }
  });

  it('starts the services only after their dependencies: migrations before audit, bundle server before PDP, PDP before proxy', () => {
    expect(Object.keys(compose.services.audit!.depends_on!)).toContain('migrate');
    expect(Object.keys(compose.services.pdp!.depends_on!)).toContain('bundle-server');
    expect(Object.keys(compose.services.proxy!.depends_on!)).toEqual(expect.arrayContaining(['pdp', 'audit', 'demo-mcp']));
    expect(compose.services.migrate!.command).toEqual(['migrate']);
    expect(compose.services['bundle-build']!.command!.slice(0, 2)).toEqual(['bundle', 'build']);
  });

  it('keeps secrets out of the file: credentials come from .env, which .env.example documents', () => {
    const example = envFile('.env.example');
    for (const [name, service] of services) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        if (SECRET_NAME.test(variable)) expect([name, variable, /\$\{[A-Z_]+/.test(value)]).toEqual([name, variable, true]);
      }
      for (const file of service.env_file ?? []) {
        expect(Object.keys(envFile(file)).filter((variable) => SECRET_NAME.test(variable))).toEqual([]);
      }
    }
    const text = fs.readFileSync(repoPath('docker-compose.yml'), 'utf8');
    const required = [...text.matchAll(/\$\{([A-Z_]+)(:?[?-])?/g)].map((match) => match[1]!);
    for (const variable of new Set(required)) expect([variable, variable in example]).toEqual([variable, true]);
    expect(fs.readFileSync(repoPath('.gitignore'), 'utf8').split('\n')).toContain('.env');
  });

  it('publishes ports on the loopback address only', () => {
    for (const [name, service] of services) {
      for (const port of service.ports ?? []) expect([name, port.startsWith('127.0.0.1:')]).toEqual([name, true]);
    }
  });

  it('mounts files that exist and named volumes that are declared', () => {
    for (const [name, service] of services) {
      for (const file of service.env_file ?? []) expect([name, file, fs.existsSync(repoPath(file))]).toEqual([name, file, true]);
      for (const volume of service.volumes ?? []) {
        const [source] = volume.split(':');
        if (source!.startsWith('./')) expect([name, source, fs.existsSync(repoPath(source!))]).toEqual([name, source, true]);
        else expect([name, source, source! in compose.volumes]).toEqual([name, source, true]);
      }
    }
  });

  it('points the proxy at the demo MCP server and the PDP at the bundle server', () => {
    const servers = JSON.parse(fs.readFileSync(repoPath('deploy/compose/mcp-servers.json'), 'utf8')) as { mcpServers: Record<string, { url: string }> };
    const urls = Object.values(servers.mcpServers).map((server) => new URL(server.url));
    expect(urls.map((url) => url.hostname)).toEqual(['demo-mcp']);
    expect(new URL(envFile('deploy/compose/pdp.env').PDP_BUNDLE!).hostname).toBe('bundle-server');
    expect(compose.services['demo-mcp']!.build!.target).toBe('demo-mcp');
  });

  it('forwards audit events to the HEC receiver with a sink the audit service accepts', () => {
    const example = envFile('.env.example');
    const text = compose.services.audit!.environment!.AUDIT_SINKS!.replace(/\$\{([A-Z_]+)\}/g, (_whole, name: string) => example[name]!);
    const [sink, ...others] = parseSinks(text);
    expect(others).toEqual([]);
    expect(sink).toMatchObject({ type: 'splunk_hec', token: example.SIEM_HEC_TOKEN });
    const url = new URL((sink as { url: string }).url);
    expect(`${url.hostname}:${url.port}`).toBe(`siem-receiver:${compose.services['siem-receiver']!.environment!.PORT}`);
  });

  it('scrapes every service with Prometheus and loads the alert rules it mounts', () => {
    const prometheus = yamlFile<{ rule_files: string[]; scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }> }>('deploy/prometheus/prometheus.yml');
    const targets = prometheus.scrape_configs.flatMap((job) => job.static_configs.flatMap((config) => config.targets));
    for (const target of targets) {
      const [host] = target.split(':');
      if (host !== '127.0.0.1') expect([target, host! in compose.services]).toEqual([target, true]);
    }
    expect(targets).toEqual(expect.arrayContaining(['pdp:8181', 'proxy:8000', 'audit:8282']));
    const rulesMount = compose.services.prometheus!.volumes!.find((volume) => volume.startsWith('./grafana/alerts:'))!;
    expect(prometheus.rule_files).toEqual([`${rulesMount.split(':')[1]}/*.yml`]);
    expect(filesUnder('grafana/alerts', ['.yml']).length).toBeGreaterThan(0);
  });
});

describe('Dockerfile', () => {
  const text = fs.readFileSync(repoPath('Dockerfile'), 'utf8');
  const runtime = text.slice(text.indexOf('AS runtime'));

  it('builds in one stage and runs production dependencies as a non-root user in the last', () => {
    expect(text).toMatch(/FROM \$\{NODE_IMAGE\} AS build[\s\S]*npm ci[\s\S]*npm run build/);
    expect(text).toMatch(/AS prod-deps[\s\S]*npm ci --omit=dev/);
    expect(text.lastIndexOf('FROM ')).toBe(text.indexOf('FROM ${NODE_IMAGE} AS runtime'));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK [\s\S]*deploy\/docker\/healthcheck\.js/m);
    expect(runtime).not.toMatch(/npm install|npm ci(?! --omit=dev)/);
  });

  it('copies only paths that exist and that .dockerignore lets through', () => {
    const ignored = fs.readFileSync(repoPath('.dockerignore'), 'utf8').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
    const copied = [...text.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => match[1]!.split(/\s+/));
    for (const source of copied) {
      expect([source, fs.existsSync(repoPath(source))]).toEqual([source, true]);
      expect(ignored).not.toContain(source);
    }
  });
});
