import type { NextFunction, Response } from 'express';
import { NotFoundError } from '../app/errors.js';

/** A browser page's files, built in memory (esbuild) and keyed by their name in its folder. */
export type BuiltFiles = () => Promise<
  ReadonlyMap<string, { contentType: string; body: Uint8Array }>
>;

/**
 * Serves the files of a built page (the tab, the Outlook pane): built once per process on the
 * first request (again after a failed build), each with the page's CSP; HTML is revalidated
 * every time, the rest cached for 5 minutes. Unknown names are 404.
 */
export function builtFileServer(build: BuiltFiles, csp: string) {
  let files: ReturnType<BuiltFiles> | undefined;
  return async (name: string, res: Response, next: NextFunction): Promise<void> => {
    try {
      files ??= build();
      const file = (await files).get(name);
      if (!file) {
        next(new NotFoundError('There is nothing here.'));
        return;
      }
      res.set('Content-Security-Policy', csp);
      res.set('Cache-Control', name.endsWith('.html') ? 'no-cache' : 'public, max-age=300');
      res.type(file.contentType).send(Buffer.from(file.body));
    } catch (error) {
      files = undefined;
      next(error);
    }
  };
}
