import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface TabFile {
  contentType: string;
  body: Uint8Array;
}

/**
 * The tab's browser code lives beside this file in the source tree; a compiled server
 * (`dist/tab/build-tab.js`) finds it in `src/tab/client` of the same project.
 */
function clientEntry(): string {
  const candidates = [
    fileURLToPath(new URL('./client/main.tsx', import.meta.url)),
    fileURLToPath(new URL('../../src/tab/client/main.tsx', import.meta.url)),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`the tab's source is missing: looked for ${candidates.join(', ')}`);
  return found;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

/**
 * The page has no inline script (the CSP allows scripts from 'self' only) and loads nothing from
 * a CDN; absolute `/tab/` URLs make it work whether it is served at `/tab` or `/tab/`.
 */
function indexHtml(files: Set<string>): string {
  const css = files.has('app.css') ? '\n    <link rel="stylesheet" href="/tab/app.css" />' : '';
  return `<!doctype html>
<html lang="en-GB">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <title>IRO Assistant</title>${css}
    <script type="module" src="/tab/app.js"></script>
  </head>
  <body>
    <div id="root"><p class="boot-message">Loading IRO Assistant…</p></div>
    <noscript>IRO Assistant needs JavaScript.</noscript>
  </body>
</html>
`;
}

/**
 * Bundles the tab (React, Fluent UI and teams-js in one ES module) in memory and returns the
 * files the server serves under `/tab/`, keyed by their name there: `index.html`, `app.js` and
 * `app.css`.
 */
export async function buildTab(options: { minify?: boolean } = {}): Promise<Map<string, TabFile>> {
  const entry = clientEntry();
  const clientDir = path.dirname(entry);
  const result = await build({
    entryPoints: { app: entry },
    absWorkingDir: clientDir,
    tsconfig: path.join(clientDir, 'tsconfig.json'),
    bundle: true,
    write: false,
    outdir: path.join(clientDir, 'out'),
    format: 'esm',
    // Parts only some views need (the card renderer of the scheduling view) load when first used.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    target: 'es2022',
    platform: 'browser',
    jsx: 'automatic',
    minify: options.minify ?? true,
    legalComments: 'none',
    sourcemap: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const files = new Map<string, TabFile>();
  for (const output of result.outputFiles) {
    const name = path.basename(output.path);
    const type = CONTENT_TYPES[path.extname(name)];
    if (!type) continue;
    files.set(name, { contentType: type, body: output.contents });
  }
  if (!files.has('app.js')) throw new Error('the tab bundle produced no app.js');
  files.set('index.html', {
    contentType: CONTENT_TYPES['.html'] as string,
    body: new TextEncoder().encode(indexHtml(new Set(files.keys()))),
  });
  return files;
}
