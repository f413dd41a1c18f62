import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importExtract } from '../../src/app/import/import-extract.js';
import type { LocalDate } from '../../src/domain/local-date.js';
import type { Services } from '../../src/services.js';
import type { Store } from '../../src/store/open-store.js';
import { DIALECTS } from '../support/store-dialects.js';
import { servicesFor } from '../support/test-services.js';
import { baseExtract, hostileExtract } from '../unit/fuzz/extract-mutations.js';
import { params } from '../unit/fuzz/hostile-input.js';
import { expectClearProblem } from '../unit/fuzz/import-problems.js';
import { storeFingerprint } from '../unit/fuzz/store-fingerprint.js';

const TODAY = '2026-11-23' as LocalDate;

/**
 * Hostile extracts through importExtract into a real store: it never throws, it answers with the
 * import or with clear problems, and after a refused import every table (the audit trail
 * included) holds exactly what it held before, row for row.
 */
describe.each(DIALECTS)('importing hostile extracts on $name (property)', (dialect) => {
  let store: Store;
  let services: Services;

  beforeAll(async () => {
    store = await dialect.open();
    services = servicesFor(store, TODAY);
    const first = await importExtract(services, baseExtract(), { actor: 'test', today: TODAY });
    expect(first.ok).toBe(true);
  });
  afterAll(async () => {
    await store.close();
  });

  it('refuses with clear problems and leaves the store exactly as it was, or imports', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(hostileExtract, async (files) => {
        const before = await storeFingerprint(store.db);
        const result = await importExtract(services, files, { actor: 'fuzz', today: TODAY });
        if (result.ok) return;
        refused += 1;
        expect(result.problems.length).toBeGreaterThan(0);
        for (const p of result.problems) expectClearProblem(p);
        expect(await storeFingerprint(store.db)).toEqual(before);
      }),
      params(60, 30),
    );
    expect(refused).toBeGreaterThan(30);
  });
});
