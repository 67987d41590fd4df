import fs from 'node:fs';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../common';
import { toolDefinition, toolDefinitionHash } from './tool-definition-hash';
import { approvePin, pinnedToolRow, pinnedToolRows, rejectPin, type ToolPinReview } from './tool-pin-review';
import { readToolPinsFile, writeToolPinsFile, type ToolPinsFile } from './tool-pins-file';

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
 * console uses, or `mcp-authz tools approve`). Approvals made by the CLI are picked up from the file
 * (checked at most once a second; a review reads it first).
 */
export function createToolPins(file: string, logger: Logger, now: () => Date = () => new Date()): ToolPins & ToolPinReview {
  let pins: ToolPinsFile = load();
  let mtimeMs = statMtime();
  let checkedAt = Date.now();
  // A listed tool object is never changed after it arrives, so its hash is computed once.
  const hashes = new WeakMap<Tool, string>();

  function load(): ToolPinsFile {
    try {
      return readToolPinsFile(file);
    } catch (error) {
      logger.error({ err: error, file }, 'tool pins file unreadable; starting from the last good state');
      return pins ?? { servers: {} };
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
  function save(): void {
    try {
      writeToolPinsFile(file, pins);
      mtimeMs = statMtime();
    } catch (error) {
      logger.error({ err: error, file }, 'could not write the tool pins file');
    }
  }

  const toolPins: ToolPins & ToolPinReview = {
    observe(server, tool) {
      refresh();
      let hash = hashes.get(tool);
      if (hash === undefined) {
        hash = toolDefinitionHash(tool);
        hashes.set(tool, hash);
      }
      const tools = (pins.servers[server] ??= {});
      const pin = tools[tool.name];
      const at = now().toISOString();
      if (!pin) {
        const definition = toolDefinition(tool);
        tools[tool.name] = { approved: hash, approved_at: at, observed: hash, observed_at: at, approved_definition: definition, observed_definition: definition };
        save();
        return { hash, changed: false };
      }
      const check = { hash, changed: pin.approved !== hash };
      if (pin.observed !== hash) {
        pin.observed = hash;
        pin.observed_at = at;
        pin.observed_definition = toolDefinition(tool);
        save();
        if (check.changed) {
          logger.warn({ server, tool: tool.name, hash }, 'tool definition changed; hidden until approved (mcp-authz tools approve)');
          toolPins.onChange?.(server, tool.name, check);
        }
      }
      return check;
    },
    list() {
      refresh(true);
      return pinnedToolRows(pins);
    },
    approve(server, tool, observedHash) {
      refresh(true);
      approvePin(pins, server, tool, observedHash, now());
      save();
      return pinnedToolRow(pins, server, tool);
    },
    reject(server, tool, observedHash, by) {
      refresh(true);
      rejectPin(pins, server, tool, observedHash, by, now());
      save();
      return pinnedToolRow(pins, server, tool);
    },
  };
  return toolPins;
}
