import express, { type RequestHandler } from 'express';
import { ValidationError } from '../app/errors.js';

/**
 * Reads a JSON object body of at most `limit`. Anything else is refused with a 4xx before a
 * route sees it: not JSON (400), not an object (400), too large (413, from the error middleware).
 */
export function jsonObjectBody(limit: string): RequestHandler[] {
  return [
    (req, _res, next) => {
      if (!req.is('application/json')) {
        next(new ValidationError('Send one JSON object, with Content-Type: application/json.'));
        return;
      }
      next();
    },
    express.json({ limit, strict: true }),
    (req, _res, next) => {
      const body: unknown = req.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        next(new ValidationError('Send one JSON object, with Content-Type: application/json.'));
        return;
      }
      next();
    },
  ];
}
