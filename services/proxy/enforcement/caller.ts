import type { PdpPrincipal } from '../pdp-client/pdp-contract';

/** Who sent an MCP request, as the proxy established it (never from anything the client merely claims). */
export interface Caller {
  principal: PdpPrincipal;
  /** The client's address as it connected; the policies require it. */
  ip: string;
  sessionId?: string;
  /** How the principal was established, for the audit record. */
  authenticatedBy: 'jwt' | 'api-key' | 'local';
}
