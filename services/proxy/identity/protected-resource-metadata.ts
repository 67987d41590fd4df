import type { RequestHandler } from 'express';

export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';

export interface ResourceMetadataSettings {
  /** The proxy's canonical resource URL, e.g. `https://mcp.example.com/mcp`. */
  resource: string;
  authorizationServers: string[];
}

/** RFC 9728 metadata: which authorization server issues tokens for this resource. */
export function protectedResourceMetadataHandler(settings: ResourceMetadataSettings): RequestHandler {
  return (_req, res) => {
    res.setHeader('cache-control', 'max-age=3600');
    res.json({
      resource: settings.resource,
      authorization_servers: settings.authorizationServers,
      bearer_methods_supported: ['header'],
      resource_name: 'mcp-authz MCP proxy',
    });
  };
}

/** `WWW-Authenticate` of a 401, pointing clients at the metadata (MCP authorization spec). */
export function wwwAuthenticate(metadataUrl: string, error?: string): string {
  return error ? `Bearer error="${error}", resource_metadata="${metadataUrl}"` : `Bearer resource_metadata="${metadataUrl}"`;
}
