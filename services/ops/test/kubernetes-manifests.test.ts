import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { parseSinks } from '../../audit/siem/sink-config';
import { apiKeysFileSchema } from '../../common/contracts/api-keys-file';
import { baseManifests, repoPath, yamlDocuments, yamlFile, type KubernetesObject } from './support/ops-files';

interface Probe {
  httpGet?: { path: string; port: string | number };
}

interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: Array<{ name: string; containerPort: number }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
}

interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean };
  containers: Container[];
  volumes?: Array<{
    name: string;
    emptyDir?: unknown;
    secret?: { secretName: string; items?: Array<{ key: string }> };
    configMap?: { name: string };
    persistentVolumeClaim?: { claimName: string };
  }>;
}

interface Kustomization {
  resources?: string[];
  patches?: Array<{ path?: string; patch?: string; target?: { kind?: string; name?: string } }>;
}

const manifests = baseManifests().map(({ object }) => object);
const ofKind = (kind: string): KubernetesObject[] => manifests.filter((object) => object.kind === kind);
const podTemplate = (object: KubernetesObject): { metadata: { labels: Record<string, string> }; spec: PodSpec } =>
  (object.spec as { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } }).template;
const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);
const deployments = ofKind('Deployment');
const podLabels = [...deployments, ...ofKind('Job')].map((object) => podTemplate(object).metadata.labels);

describe('Kubernetes base', () => {
  it('has a Deployment and a Service for each service', () => {
    expect(deployments.map((object) => object.metadata.name).sort()).toEqual(['audit', 'pdp', 'proxy']);
    expect(ofKind('Service').map((object) => object.metadata.name).sort()).toEqual(['audit', 'pdp', 'proxy']);
  });

  it.each(['pdp', 'proxy', 'audit'])('%s: probes, resources and a locked-down security context', (name) => {
    const pod = podTemplate(deployments.find((object) => object.metadata.name === name)!).spec;
    const [container] = pod.containers;
    expect(container!.readinessProbe?.httpGet?.path).toBe('/ready');
    expect(container!.livenessProbe?.httpGet?.path).toBe('/health');
    expect(Object.keys(container!.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(container!.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(container!.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    // With a read-only root, ./.data (spools, last good bundle) must be a writable volume.
    const data = container!.volumeMounts?.find((mount) => mount.mountPath === '/app/.data');
    expect(pod.volumes?.find((volume) => volume.name === data?.name)?.emptyDir).toBeDefined();
    expect(container!.args).toEqual(['serve', name]);
  });

  it('runs the audit service with the young generation its benchmark was measured with', () => {
    const [container] = podTemplate(deployments.find((object) => object.metadata.name === 'audit')!).spec.containers;
    const nodeOptions = container!.env?.find((variable) => variable.name === 'NODE_OPTIONS');
    expect(nodeOptions?.value).toBe('--max-semi-space-size=32');
    expect(fs.readFileSync(repoPath('deploy/compose/audit.env'), 'utf8')).toMatch(/^NODE_OPTIONS=--max-semi-space-size=32$/m);
  });

  it('autoscales the PDP and the proxy and protects every service with a disruption budget', () => {
    expect(ofKind('HorizontalPodAutoscaler').map((object) => (object.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name).sort()).toEqual(['pdp', 'proxy']);
    const budgets = ofKind('PodDisruptionBudget').map((object) => (object.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels);
    for (const deployment of deployments) {
      expect([deployment.metadata.name, budgets.some((selector) => matches(selector, podTemplate(deployment).metadata.labels))]).toEqual([deployment.metadata.name, true]);
    }
  });

  it('Services and the ServiceMonitor reach pods through the named port "http"', () => {
    for (const service of ofKind('Service')) {
      const spec = service.spec as { selector: Record<string, string>; ports: Array<{ name: string; targetPort: string }> };
      const pods = deployments.filter((deployment) => matches(spec.selector, podTemplate(deployment).metadata.labels));
      expect([service.metadata.name, pods.length]).toEqual([service.metadata.name, 1]);
      expect(podTemplate(pods[0]!).spec.containers[0]!.ports!.map((port) => port.name)).toContain(spec.ports[0]!.targetPort);
    }
    const [monitor] = ofKind('ServiceMonitor');
    expect((monitor!.spec as { endpoints: Array<{ port: string; path: string }> }).endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
  });

  it('NetworkPolicies: default deny, proxy → PDP, PDP and proxy → audit, PDP → proxy, audit → Postgres', () => {
    const policies = new Map(ofKind('NetworkPolicy').map((object) => [object.metadata.name, object.spec as Record<string, any>]));
    expect(policies.get('default-deny')).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    for (const [name, spec] of policies) {
      const selector = spec.podSelector.matchLabels as Record<string, string> | undefined;
      if (selector) expect([name, podLabels.some((labels) => matches(selector, labels))]).toEqual([name, true]);
    }
    const ingressFrom = (policy: string) =>
      (policies.get(policy)!.ingress as Array<{ from?: Array<{ podSelector?: { matchLabels: Record<string, string> } }> }>).flatMap((rule) =>
        (rule.from ?? []).map((peer) => peer.podSelector?.matchLabels['app.kubernetes.io/name']).filter(Boolean),
      );
    expect(ingressFrom('pdp')).toEqual(['proxy']);
    expect(ingressFrom('audit').sort()).toEqual(['pdp', 'proxy']);
    const auditEgressPorts = (policies.get('audit')!.egress as Array<{ ports: Array<{ port: number }> }>).flatMap((rule) => rule.ports.map((port) => port.port));
    expect(auditEgressPorts).toContain(5432);
    // The console's Tools page: the PDP calls the proxy's tool pins API, which the proxy admits on its port.
    const egressTo = (policy: string, target: string) =>
      (policies.get(policy)!.egress as Array<{ to?: Array<{ podSelector?: { matchLabels: Record<string, string> } }>; ports: Array<{ port: number }> }>)
        .filter((rule) => (rule.to ?? []).some((peer) => peer.podSelector?.matchLabels['app.kubernetes.io/name'] === target))
        .flatMap((rule) => rule.ports.map((port) => port.port));
    expect(egressTo('pdp', 'proxy')).toEqual([8000]);
    const proxyIngress = policies.get('proxy')!.ingress as Array<{ from?: unknown[]; ports: Array<{ port: number }> }>;
    expect(proxyIngress.some((rule) => rule.from === undefined && rule.ports.some((port) => port.port === 8000))).toBe(true);
  });

  it('the PDP console reaches the proxy Service (PROXY_URL) with its key from the client-keys Secret', () => {
    const pdpConfig = ofKind('ConfigMap').find((object) => object.metadata.name === 'mcp-authz-pdp')!;
    const proxyUrl = new URL(pdpConfig.data!.PROXY_URL!);
    const proxyService = ofKind('Service').find((object) => object.metadata.name === 'proxy')!;
    expect(proxyUrl.hostname.split('.').slice(0, 2)).toEqual(['proxy', 'mcp-authz']);
    expect(Number(proxyUrl.port)).toBe((proxyService.spec as { ports: Array<{ port: number }> }).ports[0]!.port);
    const pdpEnv = podTemplate(deployments.find((object) => object.metadata.name === 'pdp')!).spec.containers[0]!.env ?? [];
    expect(pdpEnv.find((variable) => variable.name === 'PROXY_API_KEY')?.valueFrom?.secretKeyRef).toMatchObject({ name: 'mcp-authz-client-keys', key: 'PROXY_API_KEY' });
  });

  it('proxy pods share one tool pins file on a ReadWriteMany volume (an approval through any pod holds on all)', () => {
    const proxyConfig = ofKind('ConfigMap').find((object) => object.metadata.name === 'mcp-authz-proxy')!;
    const pinsFile = proxyConfig.data!.PROXY_PINS_FILE!;
    const pod = podTemplate(deployments.find((object) => object.metadata.name === 'proxy')!).spec;
    const mount = pod.containers[0]!.volumeMounts!.find((candidate) => pinsFile.startsWith(`${candidate.mountPath}/`))!;
    expect(mount.readOnly).not.toBe(true);
    const claimName = pod.volumes!.find((volume) => volume.name === mount.name)!.persistentVolumeClaim!.claimName;
    const claim = ofKind('PersistentVolumeClaim').find((object) => object.metadata.name === claimName)!;
    expect((claim.spec as { accessModes: string[] }).accessModes).toEqual(['ReadWriteMany']);
  });

  it('every Secret key the workloads use is in deploy/secrets.example.yaml, whose keys files are valid', () => {
    const examples = new Map(
      (yamlDocuments('deploy/secrets.example.yaml') as Array<KubernetesObject & { stringData: Record<string, string> }>).map((secret) => [secret.metadata.name, secret.stringData]),
    );
    const used = [...deployments, ...ofKind('Job')].flatMap((workload) => {
      const pod = podTemplate(workload).spec;
      return [
        ...(pod.volumes ?? []).flatMap((volume) => (volume.secret ? (volume.secret.items ?? []).map((item) => [volume.secret!.secretName, item.key]) : [])),
        ...pod.containers.flatMap((container) => container.env ?? []).flatMap((variable) => {
          const ref = variable.valueFrom?.secretKeyRef;
          return ref ? [[ref.name, ref.key]] : [];
        }),
      ];
    });
    expect(used.length).toBeGreaterThan(5);
    for (const [name, key] of used) expect([name, key, examples.get(name!)?.[key!] !== undefined]).toEqual([name, key, true]);
    for (const file of ['pdp.json', 'proxy.json', 'audit.json']) {
      expect(apiKeysFileSchema.safeParse(JSON.parse(examples.get('mcp-authz-api-keys')![file]!)).success).toBe(true);
    }
    expect(parseSinks(examples.get('mcp-authz-audit-sinks')!.AUDIT_SINKS).map((sink) => sink.type)).toEqual(['splunk_hec']);
  });

  it('carries the alert rules of grafana/alerts as a PrometheusRule, unchanged', () => {
    const [rule] = ofKind('PrometheusRule');
    expect(rule!.spec).toEqual(yamlFile('grafana/alerts/mcp-authz.rules.yml'));
  });

  it('mounts only ConfigMaps that exist and names its Secrets in docs/operations.md', () => {
    const configMaps = new Set(ofKind('ConfigMap').map((object) => object.metadata.name));
    const docs = fs.readFileSync(repoPath('docs/operations.md'), 'utf8');
    for (const workload of [...deployments, ...ofKind('Job')]) {
      const pod = podTemplate(workload).spec;
      for (const volume of pod.volumes ?? []) {
        if (volume.configMap) expect(configMaps).toContain(volume.configMap.name);
        if (volume.secret) expect(docs).toContain(volume.secret.secretName);
      }
      for (const variable of pod.containers.flatMap((container) => container.env ?? [])) {
        const secret = variable.valueFrom?.secretKeyRef?.name;
        if (secret) expect(docs).toContain(secret);
      }
    }
  });
});

describe('kustomize overlays', () => {
  const folders = ['deploy/base', 'deploy/overlays/dev', 'deploy/overlays/prod'];

  it.each(folders)('%s references files that exist, and patches name base objects', (folder) => {
    const kustomization = yamlFile<Kustomization>(path.join(folder, 'kustomization.yaml'));
    for (const resource of kustomization.resources ?? []) expect([resource, fs.existsSync(repoPath(folder, resource))]).toEqual([resource, true]);
    for (const patch of kustomization.patches ?? []) {
      if (patch.path) {
        expect([patch.path, fs.existsSync(repoPath(folder, patch.path))]).toEqual([patch.path, true]);
        for (const document of YAML.parseAllDocuments(fs.readFileSync(repoPath(folder, patch.path), 'utf8'))) {
          const object = document.toJS() as KubernetesObject;
          expect([object.kind, object.metadata.name, manifests.some((base) => base.kind === object.kind && base.metadata.name === object.metadata.name)]).toEqual([object.kind, object.metadata.name, true]);
        }
      }
      if (patch.target?.kind) expect(manifests.some((base) => base.kind === patch.target!.kind)).toBe(true);
    }
  });

  const kubectl = (() => {
    try {
      execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!kubectl) console.log('kubectl not installed: kustomize rendering of the overlays is not checked');

  (kubectl ? it.each(folders) : it.skip.each(folders))('kubectl kustomize %s renders', (folder) => {
    const rendered = YAML.parseAllDocuments(execFileSync('kubectl', ['kustomize', repoPath(folder)], { encoding: 'utf8' })).map((document) => document.toJS() as KubernetesObject);
    expect(rendered.filter((object) => object.kind === 'Deployment').length).toBe(3);
    if (folder.endsWith('dev')) {
      expect(rendered.filter((object) => object.kind === 'PodDisruptionBudget')).toEqual([]);
      // ReadWriteOnce tool pins: a single proxy pod, replaced rather than rolled.
      const claim = rendered.find((object) => object.kind === 'PersistentVolumeClaim' && object.metadata.name === 'proxy-tool-pins')!;
      expect((claim.spec as { accessModes: string[] }).accessModes).toEqual(['ReadWriteOnce']);
      const proxyScaler = rendered.find((object) => object.kind === 'HorizontalPodAutoscaler' && object.metadata.name === 'proxy')!;
      expect(proxyScaler.spec).toMatchObject({ minReplicas: 1, maxReplicas: 1 });
      const proxy = rendered.find((object) => object.kind === 'Deployment' && object.metadata.name === 'proxy')!;
      expect(proxy.spec!.strategy).toEqual({ type: 'Recreate' });
    }
    if (folder.endsWith('prod')) {
      const pdpConfig = rendered.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'mcp-authz-pdp')!;
      expect(pdpConfig.data?.PDP_WORKERS).toBe('2');
    }
  });
});
