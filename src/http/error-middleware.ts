import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler } from 'express';
import { AppError } from '../app/errors.js';
import type { Logger } from '../shared/logger.js';

/** The one place HTTP turns errors into answers: a plain sentence and a correlation id. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const correlationId = randomUUID();
    if (error instanceof AppError) {
      logger.warn({ correlationId, path: req.path, error: error.name }, 'request refused');
      res.status(error.status).json({ error: error.message, correlationId });
      return;
    }
    const status =
      (error as { status?: number; type?: string }).type === 'entity.parse.failed' ? 400 : 500;
    logger.error({ correlationId, path: req.path, err: error }, 'request failed');
    res.status(status).json({
      error:
        status === 400
          ? 'The request body is not valid JSON.'
          : 'Something went wrong on our side.',
      correlationId,
    });
  };
}
