/**
 * A database that could not be written in time because another connection or process holds its
 * write lock. Routes answer it with 503 and `Retry-After`, in the request's language.
 */
export class DatabaseBusyError extends Error {
  /** How long a client should wait before trying again. */
  readonly retryAfterSeconds: number;

  constructor(message = 'the database is busy: another process holds its write lock', retryAfterSeconds = 5) {
    super(message);
    this.name = 'DatabaseBusyError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function isDatabaseBusyError(error: unknown): error is DatabaseBusyError {
  return error instanceof DatabaseBusyError;
}
