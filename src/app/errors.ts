/**
 * Errors a user or caller can act on. Mapped to answers in exactly two places: the HTTP error
 * middleware and the bot's turn-error handler. `message` is written for the user: plain, no
 * library text, nothing from a child's record.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  readonly status = 400;
}

export class ForbiddenError extends AppError {
  readonly status = 403;
}

export class NotFoundError extends AppError {
  readonly status = 404;
}

export class ConflictError extends AppError {
  readonly status = 409;
}

export class ExternalServiceError extends AppError {
  readonly status = 502;
}
