import { randomUUID, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { ForbiddenError, ValidationError } from '../app/errors.js';
import { runCli } from '../cli/run-cli.js';
import type { Services } from '../services.js';
import type { Logger } from '../shared/logger.js';
import { jsonObjectBody } from './json-body.js';

/** Linux's PATH_MAX: no argument or folder the command line passes is longer. */
const MAX_ARG = 4096;

const bodySchema = z.object({
  argv: z.array(z.string().max(MAX_ARG)).max(20),
  cwd: z
    .string()
    .max(MAX_ARG)
    .refine((p) => path.isAbsolute(p), 'must be an absolute path'),
});

/**
 * The body is the command's arguments and folder, never a file: the server reads the files of
 * `import` from that folder on this machine. 20 arguments and a folder of MAX_ARG bytes each
 * come to 84 KB: 128 KB leaves room for JSON's quoting.
 */
export const CLI_BODY_LIMIT = '128kb';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Lets `iro-assistant` run a command inside the running server when the embedded store is in
 * use, so the command never opens the store's files behind the server's back. Only from this
 * machine, and only with the token the server wrote to its lock file in DATA_DIR.
 * The answer streams newline-delimited JSON: output lines, then `{"exit": code}`.
 */
export function cliRoute(
  services: Services,
  token: () => string | undefined,
  logger: Logger,
): Router {
  const router = express.Router();
  const onlyThisMachine: RequestHandler = (req, _res, next) => {
    const expected = token();
    const given = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (
      !LOOPBACK.has(req.socket.remoteAddress ?? '') ||
      !expected ||
      !sameSecret(given, expected)
    ) {
      next(new ForbiddenError('This endpoint is only for iro-assistant on the same machine.'));
      return;
    }
    next();
  };
  router.post(
    '/internal/cli',
    onlyThisMachine,
    ...jsonObjectBody(CLI_BODY_LIMIT),
    async (req, res, next) => {
      const body = bodySchema.safeParse(req.body);
      if (!body.success) {
        next(new ValidationError('Send {"argv": [...], "cwd": "/absolute/path"}.'));
        return;
      }
      const command = body.data.argv[0] ?? '';
      try {
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
        // The answer has started: say so on the command's stderr; the log holds the (safe) error.
        const correlationId = randomUUID();
        logger.error({ correlationId, command, err: error }, 'command failed in the server');
        res.write(
          `${JSON.stringify({ stderr: `iro-assistant: ${command} failed in the server; its log has the details under reference ${correlationId}.\n` })}\n`,
        );
        res.end(`${JSON.stringify({ exit: 3 })}\n`);
      }
    },
  );
  return router;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
