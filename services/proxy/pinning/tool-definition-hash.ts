import { createHash } from 'node:crypto';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

export interface ToolDefinition {
  name: string;
  description: string | null;
  inputSchema: unknown;
}

/** What a model reads of a tool, and so what pinning protects: name, description, input schema. */
export function toolDefinition(tool: Tool): ToolDefinition {
  return { name: tool.name, description: tool.description ?? null, inputSchema: tool.inputSchema ?? null };
}

/** sha256 over the canonical JSON (sorted keys) of the tool's definition. */
export function toolDefinitionHash(tool: Tool): string {
  return `sha256:${createHash('sha256').update(canonicalJson(toolDefinition(tool))).digest('hex')}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
