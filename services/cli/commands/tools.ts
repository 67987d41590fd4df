import path from 'node:path';
import type { ToolsApproveArgs, ToolsListArgs } from '../command-args';
import { processIO, type CommandIO } from '../command-io';
import type { PinnedTool } from '../../common/contracts/tool-pins';
import { pinnedToolRows } from '../../proxy/pinning/tool-pin-review';
import { approveToolPins, readToolPinsFile, updateToolPinsFile } from '../../proxy/pinning/tool-pins-file';

/** The pins file the proxy writes: `--file`, else `PROXY_PINS_FILE`, else `./.data/proxy/tool-pins.json`. */
function pinsFileOf(file: string | undefined): string {
  return path.resolve(file ?? process.env.PROXY_PINS_FILE ?? './.data/proxy/tool-pins.json');
}

/** `mcp-authz tools approve SERVER [TOOL]`: accepts the definition the proxy last saw; the proxy picks it up within a second. */
export async function approve(args: ToolsApproveArgs, io: CommandIO = processIO): Promise<number> {
  const file = pinsFileOf(args.file);
  let approved: string[];
  try {
    // Under the file's lock, on its current state: the proxy may be recording a definition meanwhile.
    ({ result: approved } = updateToolPinsFile(file, (pins) => {
      if (!pins.servers[args.server]) throw new Error(`no tools recorded for server ${args.server} in ${file}`);
      return approveToolPins(pins, args.server, args.tool, new Date());
    }));
  } catch (error) {
    io.stderr(`mcp-authz tools approve: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  io.stdout(approved.length === 0 ? `no changed tools on ${args.server}\n` : approved.map((name) => `approved ${args.server}/${name}\n`).join(''));
  return 0;
}

const STATUS_LABELS: Record<PinnedTool['status'], string> = { approved: 'ok      ', changed: 'CHANGED ', rejected: 'REJECTED' };

/**
 * `mcp-authz tools list [SERVER] [--changed] [--json]`: pinned tools and their status, as the console shows
 * them: `CHANGED` waits for a decision, `REJECTED` was refused in the console (both hidden by the proxy).
 * `--changed` keeps every tool whose observed definition is not the approved one.
 */
export async function list(args: ToolsListArgs, io: CommandIO = processIO): Promise<number> {
  const rows = pinnedToolRows(readToolPinsFile(pinsFileOf(args.file)))
    .filter((row) => args.server === undefined || row.server === args.server)
    .map((row) => ({ server: row.server, tool: row.tool, status: row.status, changed: row.status !== 'approved', approved: row.approved_hash, observed: row.observed_hash, observed_at: row.observed_at }))
    .filter((row) => !args.changed || row.changed);
  if (args.json) {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  for (const row of rows) io.stdout(`${STATUS_LABELS[row.status]} ${row.server}/${row.tool}  ${row.observed}\n`);
  return 0;
}
