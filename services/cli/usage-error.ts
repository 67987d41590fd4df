/** A command line that cannot be carried out as written; exits 2 like other usage errors. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
