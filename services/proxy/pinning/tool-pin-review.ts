import type { PinnedTool } from '../../common/contracts/tool-pins';
import type { ToolPinsFile } from './tool-pins-file';

/** Reviewing changed tool definitions: what the tool pins API offers. */
export interface ToolPinReview {
  list(): PinnedTool[];
  /** Adopts the observed definition; `observedHash` must still be the observed one. */
  approve(server: string, tool: string, observedHash: string): PinnedTool;
  /** Keeps the approved definition; the changed one stays hidden and leaves the review queue. */
  reject(server: string, tool: string, observedHash: string, by: string): PinnedTool;
}

export class UnknownToolPin extends Error {
  constructor(server: string, tool: string) {
    super(`no pinned tool ${server}/${tool}`);
    this.name = 'UnknownToolPin';
  }
}

export class ToolPinConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolPinConflict';
  }
}

export function pinnedToolRows(pins: ToolPinsFile): PinnedTool[] {
  return Object.entries(pins.servers)
    .flatMap(([server, tools]) => Object.keys(tools).map((tool) => pinnedToolRow(pins, server, tool)))
    .sort((a, b) => a.server.localeCompare(b.server) || a.tool.localeCompare(b.tool));
}

export function pinnedToolRow(pins: ToolPinsFile, server: string, tool: string): PinnedTool {
  const pin = pins.servers[server]?.[tool];
  if (!pin) throw new UnknownToolPin(server, tool);
  const status = pin.approved === pin.observed ? 'approved' : pin.rejected?.hash === pin.observed ? 'rejected' : 'changed';
  return {
    server,
    tool,
    approved_hash: pin.approved,
    approved_at: pin.approved_at,
    observed_hash: pin.observed,
    observed_at: pin.observed_at,
    status,
    ...(pin.approved_definition !== undefined ? { approved_definition: pin.approved_definition } : {}),
    ...(pin.observed_definition !== undefined ? { observed_definition: pin.observed_definition } : {}),
  };
}

/** Changes `pins` in place. */
export function approvePin(pins: ToolPinsFile, server: string, tool: string, observedHash: string, at: Date): void {
  const pin = reviewedPin(pins, server, tool, observedHash);
  pin.approved = pin.observed;
  pin.approved_at = at.toISOString();
  if (pin.observed_definition !== undefined) pin.approved_definition = pin.observed_definition;
  delete pin.rejected;
}

/** Changes `pins` in place. */
export function rejectPin(pins: ToolPinsFile, server: string, tool: string, observedHash: string, by: string, at: Date): void {
  const pin = reviewedPin(pins, server, tool, observedHash);
  if (pin.approved === pin.observed) throw new ToolPinConflict(`${server}/${tool} has no changed definition to reject`);
  pin.rejected = { hash: pin.observed, at: at.toISOString(), by };
}

function reviewedPin(pins: ToolPinsFile, server: string, tool: string, observedHash: string) {
  const pin = pins.servers[server]?.[tool];
  if (!pin) throw new UnknownToolPin(server, tool);
  // The reviewer saw one definition; if the upstream changed again since, that one is not what gets decided.
  if (pin.observed !== observedHash) throw new ToolPinConflict(`${server}/${tool} changed again (now ${pin.observed}): reload and review the current definition`);
  return pin;
}
