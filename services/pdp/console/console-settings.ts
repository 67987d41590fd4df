import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseEnv, type Environment } from '../../common';

const booleanFlag = z
  .enum(['true', 'false', '1', '0'], { error: 'expected true or false' })
  .default('false')
  .transform((value) => value === 'true' || value === '1');

export const consoleEnvSchema = z.object({
  /** `false` turns the console (pages and its API) off. */
  PDP_CONSOLE: z.enum(['true', 'false'], { error: 'expected true or false' }).default('true'),
  /** Scratch Rego editing in the playground: development only, never on by default. */
  PDP_CONSOLE_DEV: booleanFlag,
  /** The `opa-tests` the Policy tests page runs against the active bundle's policies. */
  PDP_CONSOLE_TESTS: z.string().min(1).default('./opa-tests'),
  /** The built console (`npm run build` writes `dist/console`). */
  PDP_CONSOLE_ASSETS: z.string().min(1).optional(),
  /** The tool pins file the proxy writes (the Tools page reads and approves it). */
  PROXY_PINS_FILE: z.string().min(1).default('./.data/proxy/tool-pins.json'),
});

export interface ConsoleSettings {
  enabled: boolean;
  devMode: boolean;
  testsDir: string;
  assetsDir: string;
  pinsFile: string;
}

export function loadConsoleSettings(env: Environment, cwd: string = process.cwd()): ConsoleSettings {
  const vars = parseEnv(consoleEnvSchema, env);
  return {
    enabled: vars.PDP_CONSOLE === 'true',
    devMode: vars.PDP_CONSOLE_DEV,
    testsDir: path.resolve(cwd, vars.PDP_CONSOLE_TESTS),
    assetsDir: vars.PDP_CONSOLE_ASSETS ? path.resolve(cwd, vars.PDP_CONSOLE_ASSETS) : defaultAssetsDir(),
    pinsFile: path.resolve(cwd, vars.PROXY_PINS_FILE),
  };
}

/** `dist/console` of the package this file belongs to, found from the sources and from `dist/` alike. */
export function defaultAssetsDir(from: string = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('dist/console');
    dir = parent;
  }
  return path.join(dir, 'dist', 'console');
}
