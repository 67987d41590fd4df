import type { PlaygroundExample } from '../console-contract';

const WEDNESDAY_10_UTC = '2026-11-18T10:00:00Z';
const context = { ip: '127.0.0.1', time: WEDNESDAY_10_UTC };

/** Inputs the playground starts from, shaped as the PDP builds them from `/v1/authorize` and `/v1/authorize-a2a`. */
export const PLAYGROUND_EXAMPLES: readonly PlaygroundExample[] = [
  {
    name: 'Developer calls a tool, with a secret among the arguments',
    entrypoint: 'mcp/gateway/decision',
    input: {
      principal: { id: 'alice', type: 'user' },
      action: 'tools/call',
      resource: { server: 'everything', tool: 'echo' },
      parameters: { message: 'hello', api_key: 'not-a-real-key' },
      context,
    },
  },
  {
    name: 'Analyst calls a tool outside the role',
    entrypoint: 'mcp/gateway/decision',
    input: {
      principal: { id: 'bob', type: 'user' },
      action: 'tools/call',
      resource: { server: 'everything', tool: 'get-env' },
      context,
    },
  },
  {
    name: 'Analyst lists the tools of a server',
    entrypoint: 'mcp/gateway/decision',
    input: {
      principal: { id: 'bob', type: 'user' },
      action: 'tools/list',
      resource: { server: 'everything' },
      context,
    },
  },
  {
    name: 'Unknown user from outside the allowed networks',
    entrypoint: 'mcp/gateway/decision',
    input: {
      principal: { id: 'mallory', type: 'user' },
      action: 'tools/call',
      resource: { server: 'everything', tool: 'echo' },
      parameters: { message: 'hi' },
      context: { ip: '203.0.113.7', time: '2026-11-21T10:00:00Z' },
    },
  },
  {
    name: 'Planner agent delegates to the research agent',
    entrypoint: 'mcp/a2a/decision',
    input: {
      source_agent: { id: 'planner-agent' },
      target_agent: { id: 'research-agent' },
      capability: 'delegate',
      context,
    },
  },
  {
    name: 'Untrusted agent queries a production agent',
    entrypoint: 'mcp/a2a/decision',
    input: {
      source_agent: { id: 'scraper-agent' },
      target_agent: { id: 'billing-agent' },
      capability: 'query',
      context,
    },
  },
];
