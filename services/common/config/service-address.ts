export const SERVICE_NAMES = ['pdp', 'proxy', 'audit'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORTS: Readonly<Record<ServiceName, number>> = { pdp: 8181, proxy: 8000, audit: 8282 };

export interface ListenAddress {
  host: string;
  port: number;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/** The URL a neighbour on this machine uses to reach a service bound to `address`. */
export function localUrlFor(address: ListenAddress): string {
  const host = WILDCARD_HOSTS.has(address.host) ? DEFAULT_HOST : address.host;
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${hostPart}:${address.port}`;
}
