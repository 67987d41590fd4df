/** Failures of the database itself (as opposed to the data): the service answers 503 and stays up. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super('audit database unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** Data the database refused (an invalid character, a value out of range): the caller's fault, 400. */
export class StoreRejectedDataError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'StoreRejectedDataError';
  }
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH', 'EAI_AGAIN']);
// SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57 operator intervention.
const UNAVAILABLE_SQLSTATE_CLASSES = ['08', '53', '57'];
// 22: data exception (bad UTF-8, lone surrogates in JSON, out-of-range values).
const REJECTED_SQLSTATE_CLASSES = ['22'];
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /closed/i,
  /not connected/i,
  /has already been destroyed/i,
  /not initialized/i,
];

/** Classifies an error from a database call; returns the input when it is neither kind (a bug: 500). */
export function classifyStoreError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || error instanceof StoreRejectedDataError) return error;
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (code && CONNECTION_ERROR_CODES.has(code)) return new StoreUnavailableError(error);
  if (code && code.length === 5 && UNAVAILABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return new StoreUnavailableError(error);
  if (code && code.length === 5 && REJECTED_SQLSTATE_CLASSES.includes(code.slice(0, 2))) {
    return new StoreRejectedDataError(`the database rejected a value (SQLSTATE ${code})`, error);
  }
  if (!code && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return new StoreUnavailableError(error);
  if (error instanceof AggregateError && error.errors.some((inner) => classifyStoreError(inner) instanceof StoreUnavailableError)) {
    return new StoreUnavailableError(error);
  }
  return error;
}

/** Runs a store operation and rethrows its failure classified. */
export async function withStoreErrors<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw classifyStoreError(error);
  }
}
