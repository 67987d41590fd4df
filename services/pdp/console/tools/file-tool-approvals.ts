import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ToolApprovalConflict, UnknownTool, type PinnedTool, type ToolApprovals } from './tool-approvals';

// The proxy's pins file format (services/proxy/pinning/tool-pins-file.ts), read here as data: services
// share files and HTTP, never code. Unknown fields are kept, so the proxy's own additions survive.
const pinSchema = z
  .object({
    approved: z.string(),
    approved_at: z.string(),
    observed: z.string(),
    observed_at: z.string(),
    approved_definition: z.unknown().optional(),
    observed_definition: z.unknown().optional(),
  })
  .loose();
const pinsFileSchema = z.object({ servers: z.record(z.string(), z.record(z.string(), pinSchema)).default({}) }).loose();
type PinsFile = z.infer<typeof pinsFileSchema>;

/** Rejections live beside the pins (the proxy's format has no place for them): hash rejected per tool. */
const rejectionsSchema = z.record(z.string(), z.record(z.string(), z.object({ hash: z.string(), rejected_at: z.string(), by: z.string() })));
type Rejections = z.infer<typeof rejectionsSchema>;

export function fileToolApprovals(pinsFile: string, now: () => Date = () => new Date()): ToolApprovals {
  const rejectionsFile = path.join(path.dirname(pinsFile), 'tool-rejections.json');

  function readPins(): PinsFile {
    if (!fs.existsSync(pinsFile)) return { servers: {} };
    return pinsFileSchema.parse(JSON.parse(fs.readFileSync(pinsFile, 'utf8')));
  }
  function readRejections(): Rejections {
    if (!fs.existsSync(rejectionsFile)) return {};
    return rejectionsSchema.parse(JSON.parse(fs.readFileSync(rejectionsFile, 'utf8')));
  }

  function rows(pins: PinsFile, rejections: Rejections): PinnedTool[] {
    return Object.entries(pins.servers)
      .flatMap(([server, tools]) =>
        Object.entries(tools).map(([tool, pin]): PinnedTool => {
          const rejected = rejections[server]?.[tool]?.hash === pin.observed;
          return {
            server,
            tool,
            approved_hash: pin.approved,
            approved_at: pin.approved_at,
            observed_hash: pin.observed,
            observed_at: pin.observed_at,
            status: pin.approved === pin.observed ? 'approved' : rejected ? 'rejected' : 'changed',
            ...(pin.approved_definition !== undefined ? { approved_definition: pin.approved_definition } : {}),
            ...(pin.observed_definition !== undefined ? { observed_definition: pin.observed_definition } : {}),
          };
        }),
      )
      .sort((a, b) => a.server.localeCompare(b.server) || a.tool.localeCompare(b.tool));
  }

  function pinOf(pins: PinsFile, server: string, tool: string, observedHash: string) {
    const pin = pins.servers[server]?.[tool];
    if (!pin) throw new UnknownTool(server, tool);
    // The page shows one definition; if the upstream changed again since, that one is not what gets decided.
    if (pin.observed !== observedHash) throw new ToolApprovalConflict(`${server}/${tool} changed again (now ${pin.observed}): reload and review the current definition`);
    return pin;
  }

  function find(server: string, tool: string): PinnedTool {
    return rows(readPins(), readRejections()).find((row) => row.server === server && row.tool === tool)!;
  }

  return {
    source: pinsFile,
    async list() {
      return rows(readPins(), readRejections());
    },
    async approve(server, tool, observedHash) {
      const pins = readPins();
      const pin = pinOf(pins, server, tool, observedHash);
      pin.approved = pin.observed;
      pin.approved_at = now().toISOString();
      if (pin.observed_definition !== undefined) pin.approved_definition = pin.observed_definition;
      writeAtomically(pinsFile, pins);
      return find(server, tool);
    },
    async reject(server, tool, observedHash, by) {
      const pin = pinOf(readPins(), server, tool, observedHash);
      if (pin.approved === pin.observed) throw new ToolApprovalConflict(`${server}/${tool} has no changed definition to reject`);
      const rejections = readRejections();
      (rejections[server] ??= {})[tool] = { hash: pin.observed, rejected_at: now().toISOString(), by };
      writeAtomically(rejectionsFile, rejections);
      return find(server, tool);
    },
  };
}

/** Through a temporary file and a rename, as the proxy and the CLI write the pins, so no reader sees half a file. */
function writeAtomically(file: string, contents: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.console.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(contents, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}
