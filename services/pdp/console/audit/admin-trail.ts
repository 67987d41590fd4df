import { newEventId } from '../../../common/audit-client';
import type { Request } from 'express';
import type { AuditEventInput } from '../../../common/contracts/audit-event';
import { consoleCallerOf, consoleTenantOf } from '../console-access';
import type { AuditApiClient } from './audit-api-client';

/** What an admin did in the console, as an `admin` audit event. */
export interface AdminAction {
  action: 'tool.approve' | 'tool.reject' | 'dead_letters.redrive';
  server?: string;
  tool?: string;
  reason: string;
  payload: Record<string, unknown>;
}

/**
 * Records console admin actions in the audit trail. The action has already taken effect when this runs,
 * so a failure to record is logged rather than reported as a failure of the action.
 */
export interface AdminTrail {
  record(req: Request, action: AdminAction): Promise<void>;
}

export function auditAdminTrail(audit: AuditApiClient | undefined, now: () => Date = () => new Date()): AdminTrail {
  return {
    async record(req, action) {
      if (!audit) {
        req.log.warn({ action: action.action }, 'console admin action not audited: no audit service configured');
        return;
      }
      const caller = consoleCallerOf(req);
      const event: AuditEventInput = {
        event_id: newEventId(),
        event_type: 'admin',
        occurred_at: now().toISOString(),
        tenant: consoleTenantOf(req) ?? 'default',
        principal: caller ? { id: caller.id, type: caller.via === 'jwt' ? 'user' : 'api_key' } : { id: 'console (unauthenticated loopback)', type: 'console' },
        action: action.action,
        ...(action.server ? { server: action.server } : {}),
        ...(action.tool ? { tool: action.tool } : {}),
        reason: action.reason,
        request_id: req.requestId,
        outcome: 'done',
        payload: { ...action.payload, ...(caller ? { [caller.via === 'jwt' ? 'user_name' : 'key_name']: caller.name } : {}) },
      };
      try {
        const answer = await audit.post('/v1/events', { events: [event] });
        if (answer.status !== 202) req.log.error({ status: answer.status, action: action.action }, 'console admin action not audited: the audit service refused the event');
      } catch (error) {
        req.log.error({ err: error, action: action.action }, 'console admin action not audited: the audit service did not answer');
      }
    },
  };
}
