import { z } from 'zod';
import { explainedRuleSchema } from './principal';

/** OPA's data API: `POST /v1/data/{path}` with `{"input": …}`. */
export const dataRequestSchema = z.object({
  input: z.unknown().optional(),
});

export const dataQuerySchema = z.object({
  explain: z.enum(['off', 'notes', 'fails', 'full', 'debug']).optional(),
  metrics: z.enum(['true', 'false', '']).optional(),
  input: z.string().optional().describe('GET only: the input document as JSON'),
  pretty: z.string().optional(),
});

export type DataQuery = z.infer<typeof dataQuerySchema>;

/** `{}` when the document is undefined, as OPA answers. */
export const dataResponseSchema = z.object({
  result: z.unknown().optional(),
  decision_id: z.string().optional(),
  explanation: z.array(explainedRuleSchema).optional(),
  metrics: z.object({ timer_rego_query_eval_ns: z.number().int() }).optional(),
});
