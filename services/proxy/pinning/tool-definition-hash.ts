import { createHash } from 'node:crypto';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

/** sha256 over the canonical JSON (sorted keys) of what a model reads: name, description, input schema. */
export function toolDefinitionHash(tool: Tool): string {
  const definition = { name: tool.name, description: tool.description ?? null, inputSchema: tool.inputSchema ?? null };
  return `sha256:${createHash('sha256').update(canonicalJson(definition)).digest('hex')}`;
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
