import { z } from 'zod';

/** `GET /health`: the process is alive. */
export const healthBodySchema = z.object({
  status: z.literal('ok'),
  service: z.string(),
  uptime_s: z.number(),
});

export const componentStateSchema = z.object({
  ready: z.boolean(),
  detail: z.string().optional(),
});

/** `GET /ready`: 200 when every registered component is ready, 503 otherwise or while shutting down. */
export const readyBodySchema = z.object({
  status: z.enum(['ready', 'not_ready', 'shutting_down']),
  service: z.string(),
  components: z.record(z.string(), componentStateSchema),
});

export type HealthBody = z.infer<typeof healthBodySchema>;
export type ComponentState = z.infer<typeof componentStateSchema>;
export type ReadyBody = z.infer<typeof readyBodySchema>;
