import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeFindings, findPersonalData } from './personal-data-in-logs.js';
import { TEST_LOG_DIR } from './test-log.js';

/**
 * Vitest global setup: every test server of the run logs at debug level into one folder
 * (TEST_LOG_DIR: a new temporary one unless set), and after the last test file the run fails
 * if any log names a demo child, gives a date of birth or quotes free text from a record. The
 * report says where (file, byte offset, the line's msg with the value cut out), never the value.
 * A teardown that throws makes `vitest run` exit 1 (checked on vitest 3.2).
 */
export default function setup(): () => void {
  const given = process.env[TEST_LOG_DIR];
  const dir = given || mkdtempSync(path.join(tmpdir(), 'iro-test-logs-'));
  process.env[TEST_LOG_DIR] = dir;
  return () => {
    const check = findPersonalData(dir);
    if (check.findings.length > 0) throw new Error(describeFindings(check, dir));
    if (!given) rmSync(dir, { recursive: true, force: true });
  };
}
