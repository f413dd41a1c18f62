import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { APP_PACKAGE_DIR } from '../app-package/app-package.js';

export interface AddinFile {
  contentType: string;
  body: Uint8Array;
}

/** The ribbon's icon sizes, drawn by scripts/make-addin-icons.mjs into appPackage/addin/. */
export const ADDIN_ICON_SIZES = [16, 32, 64, 80, 128] as const;

/**
 * The pane's browser code lives beside this file in the source tree; a compiled server
 * (`dist/addin/build-addin.js`) finds it in `src/addin/client` of the same project.
 */
function clientDir(): string {
  const candidates = [
    fileURLToPath(new URL('./client/', import.meta.url)),
    fileURLToPath(new URL('../../src/addin/client/', import.meta.url)),
  ];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'taskpane.ts')));
  if (!found) {
    throw new Error(`the task pane's source is missing: looked in ${candidates.join(', ')}`);
  }
  return found;
}

/**
 * Builds the Outlook task pane in memory: `taskpane.html` (which loads office.js from Microsoft's
 * CDN and then the bundle), `taskpane.js` (one ES module, no teams-js) and the ribbon icons
 * `icon-<size>.png`, keyed by their names under `/addin/`.
 */
export async function buildAddin(
  options: { minify?: boolean } = {},
): Promise<Map<string, AddinFile>> {
  const dir = clientDir();
  const result = await build({
    entryPoints: { taskpane: path.join(dir, 'taskpane.ts') },
    absWorkingDir: dir,
    tsconfig: path.join(dir, 'tsconfig.json'),
    bundle: true,
    write: false,
    outdir: path.join(dir, 'out'),
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    minify: options.minify ?? true,
    legalComments: 'none',
    sourcemap: false,
    logLevel: 'silent',
  });
  const script = result.outputFiles.find((f) => path.basename(f.path) === 'taskpane.js');
  if (!script) throw new Error('the task pane bundle produced no taskpane.js');
  const files = new Map<string, AddinFile>([
    [
      'taskpane.html',
      {
        contentType: 'text/html; charset=utf-8',
        body: await readFile(path.join(dir, 'taskpane.html')),
      },
    ],
    ['taskpane.js', { contentType: 'text/javascript; charset=utf-8', body: script.contents }],
  ]);
  for (const size of ADDIN_ICON_SIZES) {
    files.set(`icon-${size}.png`, {
      contentType: 'image/png',
      body: await readFile(path.join(APP_PACKAGE_DIR, 'addin', `icon-${size}.png`)),
    });
  }
  return files;
}
