/**
 * The exit code of a command line that cannot be carried out as written (an unknown command or option,
 * a missing or invalid argument, contradicting flags), whether commander or a command finds it.
 */
export const USAGE_ERROR_EXIT_CODE = 2;

/** A command line that cannot be carried out as written; exits with USAGE_ERROR_EXIT_CODE. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
