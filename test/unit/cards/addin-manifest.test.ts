import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADDIN_ICON_SIZES } from '../../../src/addin/build-addin.js';
import { APP_PACKAGE_DIR, fillManifest } from '../../../src/app-package/app-package.js';

const BASE = 'https://iro.example.gov.uk';
const { manifest } = fillManifest(
  readFileSync(path.join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8'),
  {
    TEAMS_APP_ID: '3b3f2d9e-5c2a-4f0e-9a51-0c7e6a9d1a01',
    BOT_ID: '5a2b3c4d-1111-2222-3333-444455556666',
    APP_BASE_URL: BASE,
    APP_DOMAIN: 'iro.example.gov.uk',
  },
);
const app = manifest as {
  authorization: { permissions: { resourceSpecific: { name: string; type: string }[] } };
  extensions: {
    runtimes: { code: { page: string }; actions: { id: string; type: string }[] }[];
    ribbons: {
      contexts: string[];
      tabs: {
        builtInTabId: string;
        groups: {
          icons: { url: string }[];
          controls: { icons: { url: string }[]; actionId: string }[];
        }[];
      }[];
    }[];
    alternates: {
      alternateIcons: { icon: { url: string }; highResolutionIcon: { url: string } };
    }[];
  }[];
};

describe('the Outlook add-in in the app manifest', () => {
  it('opens the task pane the server serves, from the meeting organiser ribbon', () => {
    const [extension] = app.extensions;
    expect(app.extensions).toHaveLength(1);
    expect(extension?.runtimes[0]?.code.page).toBe(`${BASE}/addin/taskpane.html`);
    const ribbon = extension?.ribbons[0];
    expect(ribbon?.contexts).toEqual(['meetingDetailsOrganizer']);
    expect(ribbon?.tabs[0]?.builtInTabId).toBe('TabDefault');
    const action = extension?.runtimes[0]?.actions[0];
    expect(action?.type).toBe('openPage');
    expect(ribbon?.tabs[0]?.groups[0]?.controls[0]?.actionId).toBe(action?.id);
  });

  it('names only icons that exist and are served under /addin/', () => {
    const [extension] = app.extensions;
    const group = extension?.ribbons[0]?.tabs[0]?.groups[0];
    const urls = [
      ...(group?.icons ?? []),
      ...(group?.controls.flatMap((c) => c.icons) ?? []),
      extension?.alternates[0]?.alternateIcons.icon,
      extension?.alternates[0]?.alternateIcons.highResolutionIcon,
    ].map((i) => i?.url ?? '');
    expect(urls.length).toBeGreaterThanOrEqual(8);
    for (const url of urls) {
      const match = /^https:\/\/iro\.example\.gov\.uk\/addin\/icon-(\d+)\.png$/.exec(url);
      expect(match, url).not.toBeNull();
      expect(ADDIN_ICON_SIZES).toContain(Number(match?.[1]));
      expect(existsSync(path.join(APP_PACKAGE_DIR, 'addin', `icon-${match?.[1]}.png`))).toBe(true);
    }
  });

  it('asks for read/write access to the item, which saveAsync needs, beside the meeting permission', () => {
    expect(app.authorization.permissions.resourceSpecific).toEqual([
      { name: 'OnlineMeeting.ReadBasic.Chat', type: 'Application' },
      { name: 'MailboxItem.ReadWrite.User', type: 'Delegated' },
    ]);
  });
});
