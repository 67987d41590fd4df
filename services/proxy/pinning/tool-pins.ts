import fs from 'node:fs';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../common';
import { toolDefinition, toolDefinitionHash } from './tool-definition-hash';
import { approvePin, pinnedToolRow, pinnedToolRows, rejectPin, ToolPinConflict, UnknownToolPin, type ToolPinReview } from './tool-pin-review';
import { readToolPinsFile, updateToolPinsFile, type ToolPinsFile } from './tool-pins-file';

export interface PinCheck {
  hash: string;
  /** True when the definition differs from the approved one: the tool is hidden and its calls denied. */
  changed: boolean;
}

export interface ToolPins {
  /** Records what an upstream lists: first sight pins it, a change is kept as observed but not approved. */
  observe(server: string, tool: Tool): PinCheck;
  /** Called with every change seen for the first time (for the audit). */
  onChange?: (server: string, tool: string, check: PinCheck) => void;
}

const RELOAD_INTERVAL_MS = 1000;

/**
 * Tool-definition pinning against "rug pull" tool poisoning. Trust on first use: the first definition
 * the proxy sees is approved; a later different one needs an approval (the tool pins API, which the
 * console uses, or `mcp-authz tools approve`). Decisions made elsewhere (the CLI, another replica sharing
 * the file) are picked up from the file (checked at most once a second; a review reads it first), and
 * every change is made under the file's lock on its current state (updateToolPinsFile).
 */
export function createToolPins(file: string, logger: Logger, now: () => Date = () => new Date()): ToolPins & ToolPinReview {
  // What an unreadable file means at startup: no pins yet (load() falls back to the state in use).
  let pins: ToolPinsFile = { servers: {} };
  pins = load();
  let mtimeMs = statMtime();
  let checkedAt = Date.now();
  // A listed tool object is never changed after it arrives, so its hash is computed once.
  const hashes = new WeakMap<Tool, string>();

  function load(): ToolPinsFile {
    try {
      return readToolPinsFile(file);
    } catch (error) {
      logger.error({ err: error, file }, 'tool pins file unreadable; starting from the last good state');
      // A copy: a change applied to it must not reach the state in use unless it is written.
      return structuredClone(pins);
    }
  }
  function statMtime(): number {
    try {
      return fs.statSync(file).mtimeMs;
    } catch {
      return 0;
    }
  }
  function refresh(force = false): void {
    if (!force && Date.now() - checkedAt < RELOAD_INTERVAL_MS) return;
    checkedAt = Date.now();
    const seen = statMtime();
    if (seen !== mtimeMs) {
      pins = load();
      mtimeMs = seen;
    }
  }
  /**
   * Applies `change` to the file's current state under its lock (other replicas may share the file) and
   * adopts the result. If the file cannot be written, the change still holds in this process.
   */
  function update<T>(change: (current: ToolPinsFile) => T): T {
    let updated: { pins: ToolPinsFile; result: T };
    try {
      updated = updateToolPinsFile(file, change, load);
    } catch (error) {
      if (error instanceof UnknownToolPin || error instanceof ToolPinConflict) throw error;
      logger.error({ err: error, file }, 'could not write the tool pins file; the change holds in this process only');
      return change(pins);
    }
    pins = updated.pins;
    mtimeMs = statMtime();
    checkedAt = Date.now();
    return updated.result;
  }

  const toolPins: ToolPins & ToolPinReview = {
    observe(server, tool) {
      refresh();
      let hash = hashes.get(tool);
      if (hash === undefined) {
        hash = toolDefinitionHash(tool);
        hashes.set(tool, hash);
      }
      const known = pins.servers[server]?.[tool.name];
      if (known && known.observed === hash) return { hash, changed: known.approved !== hash };
      // Something new to record: decided on the file as it is now, so that only the first replica to see a
      // change records (and audits) it, and a first sight never re-pins a tool another replica pinned.
      const seen = update((current) => recordObservation(current, server, tool, hash, now().toISOString()));
      if (seen.firstChange) {
        logger.warn({ server, tool: tool.name, hash }, 'tool definition changed; hidden until approved (mcp-authz tools approve)');
        toolPins.onChange?.(server, tool.name, seen.check);
      }
      return seen.check;
    },
    list() {
      refresh(true);
      return pinnedToolRows(pins);
    },
    approve(server, tool, observedHash) {
      return update((current) => {
        approvePin(current, server, tool, observedHash, now());
        return pinnedToolRow(current, server, tool);
      });
    },
    reject(server, tool, observedHash, by) {
      return update((current) => {
        rejectPin(current, server, tool, observedHash, by, now());
        return pinnedToolRow(current, server, tool);
      });
    },
  };
  return toolPins;
}

/** Records `hash` as the observed definition of a tool (first sight pins it); changes `pins` in place. */
function recordObservation(pins: ToolPinsFile, server: string, tool: Tool, hash: string, at: string): { check: PinCheck; firstChange: boolean } {
  const tools = (pins.servers[server] ??= {});
  const pin = tools[tool.name];
  if (!pin) {
    const definition = toolDefinition(tool);
    tools[tool.name] = { approved: hash, approved_at: at, observed: hash, observed_at: at, approved_definition: definition, observed_definition: definition };
    return { check: { hash, changed: false }, firstChange: false };
  }
  const check = { hash, changed: pin.approved !== hash };
  if (pin.observed === hash) return { check, firstChange: false };
  pin.observed = hash;
  pin.observed_at = at;
  pin.observed_definition = toolDefinition(tool);
  return { check, firstChange: check.changed };
}
