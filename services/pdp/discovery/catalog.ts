import type { ServerSummary, ToolSummary } from '../contracts/discovery';

/**
 * The MCP server catalog in a bundle's data: `data.mcp_config.servers` (see policies/data.json),
 * `{name: {description, owners, sensitivity, tools: {name: {description, sensitivity}}}}`.
 */
export interface Catalog {
  servers: ServerSummary[];
  tools(server: string): ToolSummary[];
}

type Entry = Record<string, unknown>;

export function catalogOf(data: unknown): Catalog {
  const servers = objectAt(data, ['mcp_config', 'servers']) ?? {};
  return {
    servers: Object.entries(servers).map(([name, entry]) => serverSummary(name, asEntry(entry))),
    tools(server) {
      const tools = objectAt(servers, [server, 'tools']) ?? {};
      return Object.entries(tools).map(([name, entry]) => toolSummary(server, name, asEntry(entry)));
    },
  };
}

function serverSummary(name: string, entry: Entry): ServerSummary {
  const summary: ServerSummary = { name };
  if (typeof entry.description === 'string') summary.description = entry.description;
  if (typeof entry.sensitivity === 'string') summary.sensitivity = entry.sensitivity;
  if (Array.isArray(entry.owners)) summary.owners = entry.owners.filter((owner): owner is string => typeof owner === 'string');
  return summary;
}

function toolSummary(server: string, name: string, entry: Entry): ToolSummary {
  const summary: ToolSummary = { server, name };
  if (typeof entry.description === 'string') summary.description = entry.description;
  if (typeof entry.sensitivity === 'string') summary.sensitivity = entry.sensitivity;
  return summary;
}

function objectAt(value: unknown, path: readonly string[]): Record<string, unknown> | undefined {
  let node = value;
  for (const key of path) node = isEntry(node) ? node[key] : undefined;
  return isEntry(node) ? node : undefined;
}

function asEntry(value: unknown): Entry {
  return isEntry(value) ? value : {};
}

function isEntry(value: unknown): value is Entry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
