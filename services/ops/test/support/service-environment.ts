import { auditEnvSchema, pdpEnvSchema, proxyEnvSchema } from '../../../common';
import { bundleEnvSchema } from '../../../pdp/bundles/bundle-settings';
import { consoleEnvSchema } from '../../../pdp/console/console-settings';
import { pdpSettingsEnvSchema } from '../../../pdp/pdp-settings';
import { proxySettingsEnvSchema } from '../../../proxy/config/proxy-settings';

/** What an mcp-authz container runs, from its command line (`serve pdp`, `migrate`, …). */
export type ContainerRole = 'pdp' | 'proxy' | 'audit' | 'all' | 'migrate' | 'bundle';

// Read by Node.js and Express themselves rather than by our configuration schemas.
const RUNTIME_VARIABLES = ['NODE_ENV', 'NODE_OPTIONS', 'TZ'];

const keysOf = (...schemas: Array<{ shape: Record<string, unknown> }>): string[] => schemas.flatMap((schema) => Object.keys(schema.shape));

/** Every environment schema the services parse, by the name they have in the sources. */
export const ENV_SCHEMAS = {
  pdpEnvSchema,
  pdpSettingsEnvSchema,
  bundleEnvSchema,
  consoleEnvSchema,
  proxyEnvSchema,
  proxySettingsEnvSchema,
  auditEnvSchema,
};

const READ_BY: Record<Exclude<ContainerRole, 'all'>, readonly string[]> = {
  pdp: keysOf(pdpEnvSchema, pdpSettingsEnvSchema, bundleEnvSchema, consoleEnvSchema),
  proxy: keysOf(proxyEnvSchema, proxySettingsEnvSchema),
  audit: keysOf(auditEnvSchema),
  // `mcp-authz migrate` loads the audit configuration for DATABASE_URL.
  migrate: keysOf(auditEnvSchema),
  bundle: [],
};

/** The environment variables a container with this role reads (its services' config schemas, plus Node's own). */
export function variablesReadBy(role: ContainerRole): Set<string> {
  const services = role === 'all' ? (['pdp', 'proxy', 'audit'] as const) : [role];
  return new Set([...RUNTIME_VARIABLES, ...services.flatMap((service) => READ_BY[service])]);
}

/** `serve pdp` → pdp, `serve` → all, `migrate` → migrate, `bundle build …` → bundle. */
export function roleOf(command: readonly string[]): ContainerRole {
  const [verb, target] = command;
  if (verb === 'serve') return (target && !target.startsWith('-') ? target : 'all') as ContainerRole;
  if (verb === 'migrate' || verb === 'bundle') return verb;
  throw new Error(`unknown mcp-authz command in a manifest: ${command.join(' ')}`);
}
