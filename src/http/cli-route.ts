import { timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import express, { type Router } from 'express';
import { z } from 'zod';
import { ForbiddenError, ValidationError } from '../app/errors.js';
import { runCli } from '../cli/run-cli.js';
import type { Services } from '../services.js';

const bodySchema = z.object({
  argv: z.array(z.string()).max(20),
  cwd: z.string().refine((p) => path.isAbsolute(p), 'must be an absolute path'),
});

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Lets `iro-assistant` run a command inside the running server when the embedded store is in
 * use, so the command never opens the store's files behind the server's back. Only from this
 * machine, and only with the token the server wrote to its lock file in DATA_DIR.
 * The answer streams newline-delimited JSON: output lines, then `{"exit": code}`.
 */
export function cliRoute(services: Services, token: () => string | undefined): Router {
  const router = express.Router();
  router.post('/internal/cli', express.json({ limit: '64kb' }), async (req, res, next) => {
    try {
      const expected = token();
      const given = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (
        !LOOPBACK.has(req.socket.remoteAddress ?? '') ||
        !expected ||
        !sameSecret(given, expected)
      ) {
        throw new ForbiddenError('This endpoint is only for iro-assistant on the same machine.');
      }
      const body = bodySchema.safeParse(req.body);
      if (!body.success)
        throw new ValidationError('Send {"argv": [...], "cwd": "/absolute/path"}.');
      res.status(200).type('application/x-ndjson');
      res.flushHeaders();
      const send = (line: object) => res.write(`${JSON.stringify(line)}\n`);
      let lastProgress = 0;
      const exit = await runCli(
        body.data.argv,
        {
          cwd: body.data.cwd,
          stdout: (text) => send({ stdout: text }),
          stderr: (text) => send({ stderr: text }),
          progress: (text) => {
            const now = Date.now();
            if (now - lastProgress > 250) {
              lastProgress = now;
              send({ progress: text });
            }
          },
        },
        services,
      );
      send({ exit });
      res.end();
    } catch (error) {
      if (res.headersSent) {
        res.write(
          `${JSON.stringify({ stderr: 'The server failed while running the command; see its log.\n' })}\n`,
        );
        res.end(`${JSON.stringify({ exit: 3 })}\n`);
        next(error);
        return;
      }
      next(error);
    }
  });
  return router;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
