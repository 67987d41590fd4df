import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ECHO_V1 = 'sha256:1f0c7c1a8e3d5b2a4c6e8f0a1b3d5f7a9c1e3a5b7d9f1a3c5e7a9b1d3f5a7c9e';
export const ECHO_V2 = 'sha256:9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d';
export const SUM_V1 = 'sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** A pins file as the proxy writes it: `echo` changed upstream since it was approved, `get-sum` unchanged. */
export function writeChangedPins(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-pins-'));
  const file = path.join(dir, 'tool-pins.json');
  const pins = {
    servers: {
      everything: {
        echo: { approved: ECHO_V1, approved_at: '2026-11-01T08:00:00.000Z', observed: ECHO_V2, observed_at: '2026-11-18T09:30:00.000Z' },
        'get-sum': { approved: SUM_V1, approved_at: '2026-11-01T08:00:00.000Z', observed: SUM_V1, observed_at: '2026-11-18T09:30:00.000Z' },
      },
    },
  };
  fs.writeFileSync(file, JSON.stringify(pins, null, 2));
  return file;
}
