import path from 'node:path';
import type { ToolsApproveArgs, ToolsListArgs } from '../command-args';
import { processIO, type CommandIO } from '../command-io';
import { approveToolPins, readToolPinsFile, writeToolPinsFile } from '../../proxy/pinning/tool-pins-file';

/** The pins file the proxy writes: `--file`, else `PROXY_PINS_FILE`, else `./.data/proxy/tool-pins.json`. */
function pinsFileOf(file: string | undefined): string {
  return path.resolve(file ?? process.env.PROXY_PINS_FILE ?? './.data/proxy/tool-pins.json');
}

/** `mcp-authz tools approve SERVER [TOOL]`: accepts the definition the proxy last saw; the proxy picks it up within a second. */
export async function approve(args: ToolsApproveArgs, io: CommandIO = processIO): Promise<number> {
  const file = pinsFileOf(args.file);
  const pins = readToolPinsFile(file);
  if (!pins.servers[args.server]) {
    io.stderr(`mcp-authz tools approve: no tools recorded for server ${args.server} in ${file}\n`);
    return 1;
  }
  let approved: string[];
  try {
    approved = approveToolPins(pins, args.server, args.tool, new Date());
  } catch (error) {
    io.stderr(`mcp-authz tools approve: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  writeToolPinsFile(file, pins);
  io.stdout(approved.length === 0 ? `no changed tools on ${args.server}\n` : approved.map((name) => `approved ${args.server}/${name}\n`).join(''));
  return 0;
}

/** `mcp-authz tools list [SERVER] [--changed] [--json]`: pinned tools and whether their definition changed. */
export async function list(args: ToolsListArgs, io: CommandIO = processIO): Promise<number> {
  const pins = readToolPinsFile(pinsFileOf(args.file));
  const rows = Object.entries(pins.servers)
    .filter(([server]) => args.server === undefined || server === args.server)
    .flatMap(([server, tools]) =>
      Object.entries(tools).map(([tool, pin]) => ({ server, tool, changed: pin.approved !== pin.observed, approved: pin.approved, observed: pin.observed, observed_at: pin.observed_at })),
    )
    .filter((row) => !args.changed || row.changed);
  if (args.json) {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  for (const row of rows) io.stdout(`${row.changed ? 'CHANGED ' : 'ok      '} ${row.server}/${row.tool}  ${row.observed}\n`);
  return 0;
}
