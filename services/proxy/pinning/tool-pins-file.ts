import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { withToolPinsFileLock } from './tool-pins-file-lock';

/** The pins file shared by the proxy (records what it sees) and `mcp-authz tools approve` (approves it). */
export const toolPinSchema = z.object({
  approved: z.string(),
  approved_at: z.string(),
  observed: z.string(),
  observed_at: z.string(),
  /** The definitions behind the hashes, so a reviewer sees what changed (the console shows a diff). */
  approved_definition: z.unknown().optional(),
  observed_definition: z.unknown().optional(),
  /** An observed definition a reviewer refused: it stays hidden and leaves the review queue until another one appears. */
  rejected: z.object({ hash: z.string(), at: z.string(), by: z.string() }).optional(),
});

export const toolPinsFileSchema = z.object({
  servers: z.record(z.string(), z.record(z.string(), toolPinSchema)).default({}),
});

export type ToolPin = z.infer<typeof toolPinSchema>;
export type ToolPinsFile = z.infer<typeof toolPinsFileSchema>;

export function readToolPinsFile(file: string): ToolPinsFile {
  if (!fs.existsSync(file)) return { servers: {} };
  return toolPinsFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** Written to a temporary file and renamed, so a reader never sees half a file. */
export function writeToolPinsFile(file: string, pins: ToolPinsFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(pins, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/**
 * Changes the pins file as it is now, under its lock: read, `change` (in place), write. Several writers
 * share one file (proxy replicas on a shared volume, `mcp-authz tools approve`), so a change is applied
 * to what is on disk rather than to a copy read earlier, which would undo another writer's approval or
 * drop its pins. `read` decides what an unreadable file means (the proxy keeps its last good state).
 * An error thrown by `change` leaves the file as it was.
 */
export function updateToolPinsFile<T>(file: string, change: (pins: ToolPinsFile) => T, read: (file: string) => ToolPinsFile = readToolPinsFile): { pins: ToolPinsFile; result: T } {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return withToolPinsFileLock(file, () => {
    const pins = read(file);
    const result = change(pins);
    writeToolPinsFile(file, pins);
    return { pins, result };
  });
}

/**
 * Approves the observed definition of one tool, or of every changed tool of the server that was not
 * rejected (a rejected definition is approved only by naming its tool); returns the approved names.
 */
export function approveToolPins(pins: ToolPinsFile, server: string, tool: string | undefined, at: Date): string[] {
  const tools = pins.servers[server] ?? {};
  const waiting = (pin: ToolPin) => pin.approved !== pin.observed && pin.rejected?.hash !== pin.observed;
  const names = tool === undefined ? Object.keys(tools).filter((name) => waiting(tools[name])) : [tool];
  for (const name of names) {
    const pin = tools[name];
    if (!pin) throw new Error(`no tool ${name} recorded for server ${server}`);
    pin.approved = pin.observed;
    pin.approved_at = at.toISOString();
    if (pin.observed_definition !== undefined) pin.approved_definition = pin.observed_definition;
    delete pin.rejected;
  }
  return names;
}
