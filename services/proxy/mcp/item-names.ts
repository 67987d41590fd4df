/** Tools and prompts on `/mcp` are named `server__name`; on `/mcp/{server}` they keep their names. */
export const NAME_SEPARATOR = '__';

export interface ScopedName {
  server: string;
  name: string;
}

export function exposedName(server: string, name: string, aggregate: boolean): string {
  return aggregate ? `${server}${NAME_SEPARATOR}${name}` : name;
}

/** The upstream and original name of an exposed name; undefined when it names no server in scope. */
export function parseExposedName(exposed: string, servers: readonly string[], aggregate: boolean): ScopedName | undefined {
  if (!aggregate) return servers.length === 1 ? { server: servers[0], name: exposed } : undefined;
  const at = exposed.indexOf(NAME_SEPARATOR);
  if (at <= 0) return undefined;
  const server = exposed.slice(0, at);
  return servers.includes(server) ? { server, name: exposed.slice(at + NAME_SEPARATOR.length) } : undefined;
}
