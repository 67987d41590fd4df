import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import type { Upstream } from '../upstreams/upstream';
import type { UpstreamPool } from '../upstreams/upstream-pool';

/**
 * What the upstreams offer, as last listed: tools by name (to know a called tool and its definition),
 * which server listed a resource URI, and each server's URI templates (to route reads on `/mcp`).
 * Every list call goes to the upstream and refreshes what is kept.
 */
export interface UpstreamCatalog {
  tools(upstream: Upstream): Promise<Tool[]>;
  /** A tool as last listed; lists again once when it is not known. */
  tool(upstream: Upstream, name: string): Promise<Tool | undefined>;
  prompts(upstream: Upstream): Promise<Prompt[]>;
  resources(upstream: Upstream): Promise<Resource[]>;
  templates(upstream: Upstream): Promise<ResourceTemplate[]>;
  /** The server among `servers` that listed `uri` or has a template matching it; lists again once when none does. */
  ownerOf(servers: readonly string[], uri: string): Promise<string | undefined>;
  /** Drops a server's tools (its list changed or it went away). */
  forgetTools(server: string): void;
}

export function createUpstreamCatalog(pool: () => UpstreamPool): UpstreamCatalog {
  const tools = new Map<string, Map<string, Tool>>();
  const resourceOwners = new Map<string, string>();
  const templates = new Map<string, UriTemplate[]>();

  const catalog: UpstreamCatalog = {
    async tools(upstream) {
      const listed = await allPages<Tool>(upstream, 'tools/list', 'tools');
      tools.set(upstream.name, new Map(listed.map((tool) => [tool.name, tool])));
      return listed;
    },
    async tool(upstream, name) {
      const known = tools.get(upstream.name)?.get(name);
      if (known) return known;
      await catalog.tools(upstream);
      return tools.get(upstream.name)?.get(name);
    },
    prompts: (upstream) => allPages<Prompt>(upstream, 'prompts/list', 'prompts'),
    async resources(upstream) {
      const listed = await allPages<Resource>(upstream, 'resources/list', 'resources');
      for (const resource of listed) if (!resourceOwners.has(resource.uri)) resourceOwners.set(resource.uri, upstream.name);
      return listed;
    },
    async templates(upstream) {
      const listed = await allPages<ResourceTemplate>(upstream, 'resources/templates/list', 'resourceTemplates');
      templates.set(upstream.name, listed.map((template) => new UriTemplate(template.uriTemplate)));
      return listed;
    },
    async ownerOf(servers, uri) {
      const lookup = () => {
        const listed = resourceOwners.get(uri);
        if (listed && servers.includes(listed)) return listed;
        return servers.find((server) => templates.get(server)?.some((template) => template.match(uri) !== null));
      };
      const known = lookup();
      if (known) return known;
      await Promise.allSettled(
        servers.map(async (server) => {
          const upstream = pool().get(server);
          if (!upstream || upstream.state() !== 'ready' || !upstream.capabilities()?.resources) return;
          await catalog.resources(upstream);
          await catalog.templates(upstream);
        }),
      );
      return lookup();
    },
    forgetTools(server) {
      tools.delete(server);
    },
  };
  return catalog;
}

async function allPages<T>(upstream: Upstream, method: string, field: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = (await upstream.request(method, cursor ? { cursor } : undefined)) as Record<string, unknown>;
    items.push(...((page[field] as T[] | undefined) ?? []));
    cursor = typeof page.nextCursor === 'string' ? page.nextCursor : undefined;
  } while (cursor);
  return items;
}
