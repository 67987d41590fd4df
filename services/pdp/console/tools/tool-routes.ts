import { Router } from 'express';
import { z } from 'zod';
import { HttpError, notFound, parseRequest } from '../../../common';
import type { AdminTrail } from '../audit/admin-trail';
import { consoleCallerOf, requireAdmin } from '../console-access';
import { ToolApprovalConflict, UnknownTool, type ToolApprovals } from './tool-approvals';

const decisionSchema = z.object({
  server: z.string().min(1).max(256),
  tool: z.string().min(1).max(256),
  observed_hash: z.string().min(1).max(256),
});

/** `GET …/tools`, and for admins `POST …/tools/approve` and `POST …/tools/reject`. */
export function toolRoutes(approvals: ToolApprovals, trail: AdminTrail): Router {
  const router = Router();
  router.get('/tools', async (_req, res) => {
    res.json({ source: approvals.source, tools: await approvals.list() });
  });
  for (const action of ['approve', 'reject'] as const) {
    router.post(`/tools/${action}`, requireAdmin(), async (req, res) => {
      const body = parseRequest(decisionSchema, req.body);
      const caller = consoleCallerOf(req);
      const by = caller ? `${caller.name} (${caller.id})` : 'unauthenticated console user';
      try {
        const tool = await approvals[action](body.server, body.tool, body.observed_hash, by);
        const verb = action === 'approve' ? 'approved' : 'rejected';
        req.log.info({ server: body.server, tool: body.tool, hash: body.observed_hash, by }, `tool definition ${verb} in the console`);
        await trail.record(req, {
          action: `tool.${action}`,
          server: body.server,
          tool: body.tool,
          reason: `tool definition ${body.observed_hash} ${verb} in the console`,
          payload: { observed_hash: body.observed_hash, approved_hash: tool.approved_hash },
        });
        res.json({ tool });
      } catch (error) {
        if (error instanceof UnknownTool) throw notFound(error.message);
        if (error instanceof ToolApprovalConflict) throw new HttpError(409, 'conflict', error.message);
        throw error;
      }
    });
  }
  return router;
}
