import fs from 'node:fs';
import { baseManifests, envFile, filesUnder, repoPath, yamlDocuments, yamlFile, type KubernetesObject } from './support/ops-files';
import { ENV_SCHEMAS, roleOf, variablesReadBy, type ContainerRole } from './support/service-environment';

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  env_file?: string[];
}

interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: Array<{ name: string }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
}

const OUR_IMAGE = /^mcp-authz(:|$)/;

function unreadVariables(role: ContainerRole, names: Iterable<string>): string[] {
  const read = variablesReadBy(role);
  return [...names].filter((name) => !read.has(name));
}

function podContainers(object: KubernetesObject): Container[] {
  const spec = object.spec as { template?: { spec?: { containers?: Container[] } } } | undefined;
  return spec?.template?.spec?.containers ?? [];
}

describe('every environment variable set for an mcp-authz container is one its service reads', () => {
  it('docker-compose.yml and its env files', () => {
    const compose = yamlFile<{ services: Record<string, ComposeService> }>('docker-compose.yml');
    const ours = Object.entries(compose.services).filter(([, service]) => service.image !== undefined && OUR_IMAGE.test(service.image));
    expect(ours.map(([name]) => name).sort()).toEqual(['audit', 'bundle-build', 'migrate', 'pdp', 'proxy']);
    const problems = ours.flatMap(([name, service]) => {
      const names = [...Object.keys(service.environment ?? {}), ...(service.env_file ?? []).flatMap((file) => Object.keys(envFile(file)))];
      return unreadVariables(roleOf(service.command ?? ['serve']), names).map((variable) => `${name}: ${variable}`);
    });
    expect(problems).toEqual([]);
  });

  it('the Dockerfile ENV defaults', () => {
    const text = fs.readFileSync(repoPath('Dockerfile'), 'utf8');
    const runtime = text.slice(text.indexOf('AS runtime'));
    const names = [...runtime.matchAll(/^ENV\s+((?:\\\n|.)*)$/gm)].flatMap((match) => [...match[1]!.matchAll(/([A-Z_][A-Z0-9_]*)=/g)].map((name) => name[1]!));
    expect(names).toContain('PDP_HOST');
    expect(unreadVariables('all', names)).toEqual([]);
  });

  it('the Kubernetes Deployments and Jobs, with the ConfigMaps they load (base and overlays)', () => {
    const manifests = baseManifests().map(({ object }) => object);
    const configMaps = new Map(manifests.filter((object) => object.kind === 'ConfigMap').map((object) => [object.metadata.name, object]));
    const consumers = new Map<string, ContainerRole[]>();
    const problems: string[] = [];
    let checkedContainers = 0;
    for (const workload of manifests.filter((object) => ['Deployment', 'Job'].includes(object.kind))) {
      for (const container of podContainers(workload).filter((candidate) => OUR_IMAGE.test(candidate.image))) {
        checkedContainers += 1;
        const role = roleOf(container.args ?? ['serve']);
        const names = (container.env ?? []).map((variable) => variable.name);
        for (const source of container.envFrom ?? []) {
          if (!source.configMapRef) continue;
          const configMap = configMaps.get(source.configMapRef.name);
          if (!configMap) problems.push(`${workload.metadata.name}: ConfigMap ${source.configMapRef.name} is not in deploy/base`);
          names.push(...Object.keys(configMap?.data ?? {}));
          consumers.set(source.configMapRef.name, [...(consumers.get(source.configMapRef.name) ?? []), role]);
        }
        problems.push(...unreadVariables(role, names).map((variable) => `${workload.kind} ${workload.metadata.name}: ${variable}`));
      }
    }
    expect(checkedContainers).toBe(4);

    // Overlay patches of those ConfigMaps may only set what their consumers read.
    for (const file of filesUnder('deploy/overlays', ['.yaml'])) {
      for (const object of yamlDocuments(file) as KubernetesObject[]) {
        if (object.kind !== 'ConfigMap') continue;
        const roles = consumers.get(object.metadata.name) ?? [];
        if (roles.length === 0) problems.push(`${file}: ConfigMap ${object.metadata.name} is loaded by no mcp-authz container`);
        for (const role of roles) problems.push(...unreadVariables(role, Object.keys(object.data ?? {})).map((variable) => `${file}: ${variable}`));
      }
    }
    expect(problems).toEqual([]);
  });

  it('knows every environment schema the services parse (a new settings module must be added here)', () => {
    const parsed = filesUnder('services', ['.ts'])
      .filter((file) => !file.includes('/test/'))
      .flatMap((file) => [...fs.readFileSync(repoPath(file), 'utf8').matchAll(/\bparseEnv\((\w+)/g)].map((match) => match[1]!))
      .filter((name) => name !== 'schema');
    expect(parsed.length).toBeGreaterThan(0);
    expect([...new Set(parsed)].filter((name) => !(name in ENV_SCHEMAS))).toEqual([]);
  });

  it('flags a variable no service reads (the check itself)', () => {
    expect(unreadVariables('pdp', ['PDP_PORT', 'PDP_BUNDLE_TOKEN', 'PROXY_CONFIG', 'PDP_PROT'])).toEqual(['PROXY_CONFIG', 'PDP_PROT']);
    expect(unreadVariables('migrate', ['DATABASE_URL'])).toEqual([]);
  });
});
