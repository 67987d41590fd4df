import { Router, type RequestHandler } from 'express';
import { apiKeyMiddleware, forbidden, HttpError, notFound, parseRequest, unauthorized, type ApiKeysSource, type Logger } from '../../common';
import { toolPinDecisionSchema } from '../../common/contracts/tool-pins';
import { ToolPinConflict, UnknownToolPin, type ToolPinReview } from './tool-pin-review';

/** Where the API lives on the proxy. */
export const TOOL_PINS_API_PATH = '/v1/tools';

export interface ToolPinsApiOptions {
  pins: ToolPinReview;
  /** The proxy's API keys: listing needs a key, deciding a key with the admin role. */
  apiKeys?: ApiKeysSource;
  /**
   * Without keys, whether calls are accepted anyway: only when the proxy itself runs unauthenticated
   * (loopback without keys, or `PROXY_AUTH=none`). With bearer JWTs only, the API stays closed.
   */
  openWithoutKeys: boolean;
  logger: Logger;
}

/**
 * The proxy's tool pins over HTTP, for the PDP's console: `GET /v1/tools/pins`, and
 * `POST /v1/tools/approve` and `POST /v1/tools/reject` with `{server, tool, observed_hash, by?}`.
 * A decision takes effect at once (the proxy serves an approved tool on its next listing).
 */
export function toolPinsApi(options: ToolPinsApiOptions): Router {
  const router = Router();
  const authenticate = authenticationOf(options);
  router.get(`${TOOL_PINS_API_PATH}/pins`, authenticate, (_req, res) => {
    res.json({ tools: options.pins.list() });
  });
  router.post(`${TOOL_PINS_API_PATH}/approve`, authenticate, requireAdmin, (req, res) => {
    const body = parseRequest(toolPinDecisionSchema, req.body);
    const tool = decided(() => options.pins.approve(body.server, body.tool, body.observed_hash));
    options.logger.info({ server: body.server, tool: body.tool, hash: body.observed_hash, by: body.by, api_key_id: req.apiKey?.keyId }, 'tool definition approved');
    res.json({ tool });
  });
  router.post(`${TOOL_PINS_API_PATH}/reject`, authenticate, requireAdmin, (req, res) => {
    const body = parseRequest(toolPinDecisionSchema, req.body);
    const by = body.by ?? (req.apiKey ? `${req.apiKey.name} (${req.apiKey.keyId})` : 'unauthenticated caller');
    const tool = decided(() => options.pins.reject(body.server, body.tool, body.observed_hash, by));
    options.logger.info({ server: body.server, tool: body.tool, hash: body.observed_hash, by, api_key_id: req.apiKey?.keyId }, 'tool definition rejected');
    res.json({ tool });
  });
  return router;
}

function authenticationOf(options: ToolPinsApiOptions): RequestHandler {
  if (options.apiKeys) return apiKeyMiddleware(options.apiKeys);
  if (options.openWithoutKeys) return (_req, _res, next) => next();
  return () => {
    throw unauthorized('the tool pins API needs a proxy API key, and this proxy has none (PROXY_API_KEYS_FILE)');
  };
}

const requireAdmin: RequestHandler = (req, _res, next) => {
  if (req.apiKey && req.apiKey.role !== 'admin') throw forbidden('deciding tool definitions needs a proxy API key with the admin role');
  next();
};

function decided<T>(decide: () => T): T {
  try {
    return decide();
  } catch (error) {
    if (error instanceof UnknownToolPin) throw notFound(error.message);
    if (error instanceof ToolPinConflict) throw new HttpError(409, 'conflict', error.message);
    throw error;
  }
}
