import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
const lock = JSON.parse(read('package-lock.json')) as {
  packages: Record<string, { dev?: boolean; optional?: boolean; engines?: { node?: string } }>;
};
const readme = read('README.md');

/**
 * Installed packages whose `engines` leave out the Node version we support, and why they run on
 * it anyway. README says the same.
 */
const KNOWN_EXCEPTIONS: Record<string, string> = {
  // Declares Node 22 since 0.29 (the release with the PGlite dialect we use); the whole suite
  // runs on Node 20, and 0.28 (which allows Node 20) has no PGlite dialect.
  kysely: 'declares >=22',
  // An optional native binding that rollup (under vitest) may load; rollup works without it.
  '@napi-rs/lzma-linux-x64-gnu': 'optional, development only',
};

type Version = [number, number, number];

function parse(text: string): Version {
  const [major = 0, minor = 0, patch = 0] = text
    .replace(/^v/, '')
    .split('.')
    .map((p) => (p === 'x' || p === '*' ? 0 : Number(p)));
  return [major, minor, patch];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Whether `version` satisfies an npm `engines` range (the forms packages use: >=, ^, ~, x, ||). */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/([<>]=?|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean)
      .every((comparator) => {
        const match = /^(>=|<=|>|<|\^|~|=)?v?(.*)$/.exec(comparator);
        const op = match?.[1] ?? '';
        const text = match?.[2] ?? '';
        if (text === '*' || text === '') return true;
        const bound = parse(text);
        const parts = text.split('.').filter((p) => p !== 'x' && p !== '*').length;
        switch (op) {
          case '>=':
            return compare(v, bound) >= 0;
          case '>':
            return compare(v, bound) > 0;
          case '<=':
            return compare(v, bound) <= 0;
          case '<':
            return compare(v, bound) < 0;
          case '^':
            return compare(v, bound) >= 0 && v[0] === bound[0];
          case '~':
            return compare(v, bound) >= 0 && v[0] === bound[0] && v[1] === bound[1];
          default:
            // "20", "20.x", "4.x", "1.2.3": the same major (and minor, patch when given).
            return v.slice(0, parts).every((n, i) => n === bound[i]);
        }
      }),
  );
}

const minimum = /^>=\s*(\d+\.\d+(?:\.\d+)?)$/.exec(pkg.engines.node)?.[1] as string;

describe('the Node version we support', () => {
  it('reads the range forms packages use', () => {
    expect(satisfies('20.19.0', '>=20.0.0')).toBe(true);
    expect(satisfies('20.19.0', '^20.19.0 || ^22.13.0 || >=24')).toBe(true);
    expect(satisfies('20.11.0', '^20.19.0 || ^22.13.0 || >=24')).toBe(false);
    expect(satisfies('20.19.0', '>= 10.x')).toBe(true);
    expect(satisfies('20.19.0', '18 || 20 || >=22')).toBe(true);
    expect(satisfies('20.19.0', '>=22.0.0')).toBe(false);
    expect(satisfies('20.19.0', '^22.20 || ^24.12 || >=25')).toBe(false);
  });

  it('is a minimum in package.json, the one README states', () => {
    expect(minimum).toMatch(/^\d+\.\d+/);
    expect(readme).toContain(`Node ${minimum} or later`);
  });

  it('is accepted by every installed package, apart from the known exceptions README explains', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([where, info]) => where && info.engines?.node)
      .filter(([, info]) => !satisfies(minimum, info.engines?.node as string))
      .map(([where, info]) => `${where.replace(/^.*node_modules\//, '')} (${info.engines?.node})`);
    const unexplained = refusing.filter(
      (entry) => !Object.keys(KNOWN_EXCEPTIONS).some((name) => entry.startsWith(`${name} (`)),
    );
    expect(unexplained).toEqual([]);
    expect(readme).toMatch(/Kysely[^\n]*declares Node 22/);
  });

  it('is the version this suite runs on, or a later one', () => {
    expect(satisfies(process.versions.node, pkg.engines.node)).toBe(true);
  });
});
