/**
 * `npm run package [-- local|dev]`: fills appPackage/manifest.json from env/.env.<name> (and the
 * environment, which wins), checks it against the official schema and zips it with the icons to
 * appPackage/build/appPackage.<name>.zip, ready to upload to Teams.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import {
  APP_PACKAGE_DIR,
  APP_PACKAGE_FILES,
  fillManifest,
  validateManifest,
} from '../src/app-package/app-package.js';

const envName = process.argv[2] ?? 'local';
const envFile = path.resolve(APP_PACKAGE_DIR, '..', 'env', `.env.${envName}`);
const fromFile: Record<string, string> = {};
for (const line of (await readFile(envFile, 'utf8').catch(() => '')).split('\n')) {
  const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
  if (m) fromFile[m[1] as string] = m[2] as string;
}
const values = { ...fromFile, ...process.env };
const { manifest, missing } = fillManifest(
  await readFile(path.join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8'),
  values,
);
if (missing.length > 0) {
  console.error(`package: set ${missing.join(', ')} (in env/.env.${envName} or the environment)`);
  process.exit(2);
}
const problems = await validateManifest(manifest);
if (problems.length > 0) {
  console.error(
    `package: the manifest does not match the Teams schema:\n${problems.map((p) => `  ${p}`).join('\n')}`,
  );
  process.exit(1);
}
const zip = new JSZip();
zip.file('manifest.json', JSON.stringify(manifest, null, 2));
for (const file of APP_PACKAGE_FILES.filter((f) => f !== 'manifest.json')) {
  zip.file(file, await readFile(path.join(APP_PACKAGE_DIR, file)));
}
const out = path.join(APP_PACKAGE_DIR, 'build', `appPackage.${envName}.zip`);
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
console.log(
  `package: ${path.relative(process.cwd(), out)} (manifest ${(manifest as { manifestVersion: string }).manifestVersion}, valid)`,
);
