import type { PinnedTool } from '../../../common/contracts/tool-pins';

export type { PinnedTool };

/**
 * The console's seam to tool-definition pinning. The proxy owns the pins and offers them over its tool
 * pins API (`proxy-tool-approvals.ts`); tests may put anything else behind the same interface.
 */
export interface ToolApprovals {
  /** Where the pins come from, for the page (a path or URL, no secret). */
  readonly source: string;
  list(): Promise<PinnedTool[]>;
  /** Accepts the observed definition: the proxy serves the tool again within a second. */
  approve(server: string, tool: string, observedHash: string, by: string): Promise<PinnedTool>;
  /** Keeps the approved definition: the changed tool stays hidden and leaves the review queue. */
  reject(server: string, tool: string, observedHash: string, by: string): Promise<PinnedTool>;
}

export class ToolApprovalConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolApprovalConflict';
  }
}

export class UnknownTool extends Error {
  constructor(server: string, tool: string) {
    super(`no pinned tool ${server}/${tool}`);
    this.name = 'UnknownTool';
  }
}
