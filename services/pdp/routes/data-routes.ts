import { Router } from 'express';
import { HttpError, parseRequest } from '../../common';
import { dataQuerySchema } from '../contracts/data-api';
import { answerData, DATA_PATHS } from '../endpoints/data-endpoints';
import type { PdpServices } from '../endpoints/pdp-services';
import { onEachPath } from './on-each-path';
import { pathSegments, sendReply } from './post-routes';

/** OPA's data API, GET side: the input, if any, comes as JSON in `?input=`. */
export function dataGetRouter(services: PdpServices): Router {
  const router = Router();
  onEachPath(router, 'get', DATA_PATHS, (req, res) => {
    const query = parseRequest(dataQuerySchema, req.query, 'query');
    const input = query.input === undefined ? undefined : parseInputParameter(query.input);
    sendReply(res, answerData(services, req, pathSegments(req.params), query, input));
  });
  return router;
}

function parseInputParameter(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_request', 'invalid query', [{ path: 'input', message: 'expected a JSON document' }]);
  }
}
