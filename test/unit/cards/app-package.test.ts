import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_PACKAGE_DIR,
  fillManifest,
  validateManifest,
} from '../../../src/app-package/app-package.js';

const text = readFileSync(path.join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8');
const values = {
  TEAMS_APP_ID: '3b3f2d9e-5c2a-4f0e-9a51-0c7e6a9d1a01',
  BOT_ID: '5a2b3c4d-1111-2222-3333-444455556666',
  APP_BASE_URL: 'https://iro.example.gov.uk',
  APP_DOMAIN: 'iro.example.gov.uk',
};

describe('the Teams app manifest', () => {
  it('is valid against the official Teams schema for its version', async () => {
    const { manifest, missing } = fillManifest(text, values);
    expect(missing).toEqual([]);
    expect(await validateManifest(manifest)).toEqual([]);
  });

  it('names every placeholder that has no value', () => {
    expect(fillManifest(text, { ...values, BOT_ID: '' }).missing).toEqual(['BOT_ID']);
  });

  it('is checked for real: a broken manifest fails the schema', async () => {
    const { manifest } = fillManifest(text, { ...values, BOT_ID: 'not-a-guid' });
    const broken = manifest as { name: { short: string }; accentColor: string };
    broken.name.short = 'IRO Assistant for every council in England';
    broken.accentColor = 'blue';
    const problems = await validateManifest(broken);
    expect(problems.some((p) => p.startsWith('/bots/0/botId'))).toBe(true);
    expect(problems.some((p) => p.startsWith('/name/short'))).toBe(true);
    expect(problems.some((p) => p.startsWith('/accentColor'))).toBe(true);
  });

  it('asks for the meeting permission Teams needs to send meeting start and end events', () => {
    const { manifest } = fillManifest(text, values);
    const rsc = (
      manifest as {
        authorization: { permissions: { resourceSpecific: { name: string; type: string }[] } };
      }
    ).authorization.permissions.resourceSpecific;
    expect(rsc).toContainEqual({ name: 'OnlineMeeting.ReadBasic.Chat', type: 'Application' });
    expect((manifest as { webApplicationInfo: { id: string } }).webApplicationInfo.id).toBe(
      values.BOT_ID,
    );
  });

  it('offers bot commands in personal, team and group chat scopes', () => {
    const { manifest } = fillManifest(text, values);
    const bot = (manifest as { bots: { scopes: string[]; commandLists: { scopes: string[] }[] }[] })
      .bots[0];
    expect(bot?.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(bot?.commandLists.flatMap((l) => l.scopes).sort()).toEqual([
      'groupChat',
      'personal',
      'team',
    ]);
  });
});
