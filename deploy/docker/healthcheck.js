#!/usr/bin/env node
'use strict';
// The image's HEALTHCHECK: GET /health (or /ready with --ready) on every service this container serves.
// Usage: healthcheck.js [--ready] [all|pdp|proxy|audit]. Without a service, the running
// `mcp-authz serve …` command line of the container says which; the ports come from the same
// environment variables the services read (PDP_PORT, PROXY_PORT, AUDIT_PORT).
const fs = require('node:fs');

const DEFAULT_PORTS = { pdp: '8181', proxy: '8000', audit: '8282' };
const TIMEOUT_MS = 2500;
const PROBE_PATH = process.argv.includes('--ready') ? '/ready' : '/health';
const TARGETS = ['all', ...Object.keys(DEFAULT_PORTS)];
const GIVEN_TARGET = process.argv.slice(2).find((arg) => TARGETS.includes(arg));

function servedTarget() {
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let argv;
    try {
      argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const serve = argv.indexOf('serve');
    if (serve > 0 && argv.some((arg) => arg.endsWith('mcp-authz.js'))) {
      const target = argv[serve + 1];
      return target && !target.startsWith('-') && target !== '' ? target : 'all';
    }
  }
  return undefined;
}

async function healthy(service) {
  const port = process.env[`${service.toUpperCase()}_PORT`] || DEFAULT_PORTS[service];
  try {
    const response = await fetch(`http://127.0.0.1:${port}${PROBE_PATH}`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    return response.ok;
  } catch {
    return false;
  }
}

async function main() {
  const target = GIVEN_TARGET ?? servedTarget();
  if (!target) {
    console.error('healthcheck: no `mcp-authz serve` process in this container');
    return 1;
  }
  const services = target === 'all' ? Object.keys(DEFAULT_PORTS) : [target];
  const results = await Promise.all(services.map(async (service) => [service, await healthy(service)]));
  const failing = results.filter(([, ok]) => !ok).map(([service]) => service);
  if (failing.length > 0) console.error(`healthcheck: ${PROBE_PATH} failed for ${failing.join(', ')}`);
  return failing.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code));
