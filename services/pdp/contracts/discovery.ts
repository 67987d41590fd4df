import { z } from 'zod';

export const toolsQuerySchema = z.object({
  server_name: z.string().min(1).optional(),
});

export const serverSummarySchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  sensitivity: z.string().optional(),
  owners: z.array(z.string()).optional(),
});

export const toolSummarySchema = z.object({
  server: z.string(),
  name: z.string(),
  description: z.string().optional(),
  sensitivity: z.string().optional(),
});

export const serversResponseSchema = z.object({
  servers: z.array(serverSummarySchema),
  revision: z.string().nullable(),
});

export const toolsResponseSchema = z.object({
  tools: z.array(toolSummarySchema),
  revision: z.string().nullable(),
});

export type ServerSummary = z.infer<typeof serverSummarySchema>;
export type ToolSummary = z.infer<typeof toolSummarySchema>;
