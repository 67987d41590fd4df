import type { z } from 'zod';
import { ConfigError } from './config-error';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Validates environment variables against a zod object schema. An empty string counts as unset, so
 * `PDP_PORT=` falls back to the default the way shells and compose files usually mean it.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: Environment): z.infer<S> {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') present[name] = value;
  }
  const result = schema.safeParse(present);
  if (!result.success) throw ConfigError.fromZod(result.error);
  return result.data;
}
