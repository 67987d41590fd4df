import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../common';
import { loadServersFile } from '../config/servers-file';

describe('mcp-servers.json', () => {
  let dir: string;
  const write = (content: unknown) => {
    const file = path.join(dir, 'mcp-servers.json');
    fs.writeFileSync(file, JSON.stringify(content));
    return file;
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'servers-file-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fills ${VAR} placeholders from the environment', () => {
    const file = write({ mcpServers: { search: { url: 'https://search.example/mcp', headers: { Authorization: 'Bearer ${SEARCH_TOKEN}' } }, local: { command: 'node', args: ['${SCRIPT}'] } } });
    const loaded = loadServersFile(file, { SEARCH_TOKEN: 't-1', SCRIPT: 'server.js' });
    expect(loaded.servers.search).toEqual({ url: 'https://search.example/mcp', headers: { Authorization: 'Bearer t-1' } });
    expect(loaded.servers.local).toMatchObject({ command: 'node', args: ['server.js'] });
  });

  it('stops with a clear error naming a missing variable and where it is used', () => {
    const file = write({ mcpServers: { search: { url: 'https://search.example/mcp', headers: { Authorization: 'Bearer ${SEARCH_TOKEN}' } } } });
    expect(() => loadServersFile(file, {})).toThrow(ConfigError);
    expect(() => loadServersFile(file, {})).toThrow(/SEARCH_TOKEN: needed by mcpServers\.search\.headers\.Authorization/);
  });

  it('rejects names with the prefix separator and entries that are neither command nor url', () => {
    expect(() => loadServersFile(write({ mcpServers: { 'a__b': { command: 'x' } } }), {})).toThrow(/__/);
    expect(() => loadServersFile(write({ mcpServers: { a: { args: [] } } }), {})).toThrow(ConfigError);
  });

  it('means no upstreams when the file does not exist', () => {
    expect(loadServersFile(path.join(dir, 'missing.json'), {}).servers).toEqual({});
  });
});
