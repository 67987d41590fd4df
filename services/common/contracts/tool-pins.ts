import { z } from 'zod';

/**
 * The proxy's tool pins API (services/proxy/pinning/tool-pins-api.ts): what the proxy answers, what the
 * PDP's console reads from it (services/pdp/console/tools/proxy-tool-approvals.ts) and passes on to the
 * console's Tools page (console/src, which imports the types only).
 */

/** One pinned tool as a reviewer sees it. */
export const pinnedToolSchema = z.object({
  server: z.string(),
  tool: z.string(),
  approved_hash: z.string(),
  approved_at: z.string(),
  observed_hash: z.string(),
  observed_at: z.string(),
  /**
   * `changed`: the observed definition differs from the approved one and waits for a decision (the proxy
   * hides the tool meanwhile); `rejected`: a reviewer refused it (still hidden, out of the review queue).
   */
  status: z.enum(['approved', 'changed', 'rejected']),
  /** The definitions behind the hashes, when the pins keep them (for the diff); hashes only otherwise. */
  approved_definition: z.unknown().optional(),
  observed_definition: z.unknown().optional(),
});

/** `GET /v1/tools/pins`. */
export const toolPinsListSchema = z.object({ tools: z.array(pinnedToolSchema) });

/** `POST /v1/tools/approve` and `POST /v1/tools/reject`. */
export const toolPinDecisionSchema = z.object({
  server: z.string().min(1).max(256),
  tool: z.string().min(1).max(256),
  /** The definition the reviewer saw: if the upstream changed it again since, the decision is refused (409). */
  observed_hash: z.string().min(1).max(256),
  /** Who decided, as the caller names them (the console sends its user), for the record. */
  by: z.string().min(1).max(256).optional(),
});

/** The answer to a decision: the tool as it is now. */
export const toolPinDecisionAnswerSchema = z.object({ tool: pinnedToolSchema });

export type PinnedTool = z.infer<typeof pinnedToolSchema>;
export type ToolPinsList = z.infer<typeof toolPinsListSchema>;
export type ToolPinDecision = z.infer<typeof toolPinDecisionSchema>;
