import { describe, expect, it } from 'vitest';
import { buildTab } from '../../../src/tab/build-tab.js';

describe('buildTab', () => {
  it('bundles the tab into index.html, app.js and app.css that reference each other under /tab/', async () => {
    const files = await buildTab();
    const names = [...files.keys()];
    expect(names.filter((n) => !n.startsWith('chunk-')).sort()).toEqual([
      'app.css',
      'app.js',
      'index.html',
    ]);
    // The scheduling view's card renderer is split off and loaded only when it is opened.
    const chunks = names.filter((n) => /^chunk-[A-Z0-9]+\.js$/.test(n));
    expect(chunks.length).toBeGreaterThan(0);
    const chunkWith = (text: string) =>
      chunks.find((n) => new TextDecoder().decode(files.get(n)?.body).includes(text));
    const renderer = chunkWith('ac-adaptiveCard');
    expect(renderer).toBeDefined();
    expect(new TextDecoder().decode(files.get('app.js')?.body)).toContain(`./${renderer}`);
    // teams-js is split off too, loaded only where a host may be around the page: as soon as it
    // loads it fetches its list of host origins from Microsoft's CDN.
    const teamsJs = chunkWith('res.cdn.office.net/teams-js/validDomains');
    expect(teamsJs).toBeDefined();
    expect(teamsJs).not.toBe(renderer);
    expect(new TextDecoder().decode(files.get('app.js')?.body)).toContain(`./${teamsJs}`);
    expect(new TextDecoder().decode(files.get('app.js')?.body)).not.toContain('res.cdn.office.net');
    const html = new TextDecoder().decode(files.get('index.html')?.body);
    expect(files.get('index.html')?.contentType).toBe('text/html; charset=utf-8');
    expect(html).toContain('<script type="module" src="/tab/app.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/tab/app.css" />');
    expect(html).toContain('<div id="root">');
    // CSP script-src 'self': no inline script, and nothing from a CDN (office.js never on this page).
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script type="module" src="/tab/app.js">']);
    expect(html).not.toMatch(/https?:\/\//);

    const js = files.get('app.js');
    expect(js?.contentType).toBe('text/javascript; charset=utf-8');
    const code = new TextDecoder().decode(js?.body);
    expect(code.length).toBeGreaterThan(100_000);
    // React in production mode, the views' own words, and no CDN script loads.
    expect(code).not.toContain('process.env.NODE_ENV');
    expect(code).toContain('No child with that ID in your caseload');
    expect(code).toContain('/api/tab/annual-report.csv');
    expect(code).not.toContain('appsforoffice.microsoft.com');
    const css = new TextDecoder().decode(files.get('app.css')?.body);
    expect(css).toContain('@media print');
  }, 60_000);

  it('leaves the bundle readable when asked not to minify', async () => {
    const [minified, plain] = await Promise.all([buildTab(), buildTab({ minify: false })]);
    const size = (m: typeof minified) => m.get('app.js')?.body.length ?? 0;
    expect(size(plain)).toBeGreaterThan(size(minified));
    expect(new TextDecoder().decode(plain.get('app.js')?.body)).toContain(
      'function MyReviewsView(',
    );
  }, 60_000);
});
