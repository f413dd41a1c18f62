import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The values the manifest's `${{NAME}}` placeholders are filled from. */
export interface AppPackageValues {
  TEAMS_APP_ID: string;
  BOT_ID: string;
  APP_BASE_URL: string;
  APP_DOMAIN: string;
}

export const APP_PACKAGE_DIR = path.resolve(new URL('../../appPackage/', import.meta.url).pathname);
export const APP_PACKAGE_FILES = ['manifest.json', 'color.png', 'outline.png'] as const;

/** Fills `${{NAME}}` placeholders; every one must have a value. */
export function fillManifest(
  text: string,
  values: Record<string, string | undefined>,
): { manifest: unknown; missing: string[] } {
  const missing = new Set<string>();
  const filled = text.replace(/\$\{\{([A-Z0-9_]+)\}\}/g, (_m, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') {
      missing.add(name);
      return '';
    }
    return value;
  });
  return { manifest: JSON.parse(filled), missing: [...missing] };
}

/**
 * Checks a manifest against the official Teams schema for its manifestVersion, bundled in
 * @microsoft/app-manifest (no network). Returns the problems; empty when valid.
 */
export async function validateManifest(manifest: unknown): Promise<string[]> {
  const version = (manifest as { manifestVersion?: string }).manifestVersion;
  const require = createRequire(import.meta.url);
  const schemaPath = require.resolve(
    `@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
  );
  const schema = JSON.parse(await readFile(schemaPath, 'utf8'));
  const { ManifestUtil } = require('@microsoft/app-manifest') as {
    ManifestUtil: { validateManifestAgainstSchema(m: unknown, s: unknown): Promise<string[]> };
  };
  return ManifestUtil.validateManifestAgainstSchema(manifest, schema);
}
