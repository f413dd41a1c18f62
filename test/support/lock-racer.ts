import { acquireDataDirLock, type DataDirLock } from '../../src/store/data-dir-lock.js';

/**
 * A process that races for DATA_DIR's lock when its parent says so (test/e2e/data-dir-lock-race):
 * `{go: dataDir}` answers `{won: boolean}`, `{release: true}` lets go of a lock it holds.
 */
let held: DataDirLock | undefined;

process.on('message', (message: { go?: string; release?: boolean; exit?: boolean }) => {
  void (async () => {
    if (message.go) {
      const result = await acquireDataDirLock(message.go, { holder: 'cli', command: 'race' });
      if (result.ok) held = result.lock;
      process.send?.({ won: result.ok });
    } else if (message.release) {
      await held?.release();
      held = undefined;
      process.send?.({ released: true });
    } else if (message.exit) {
      process.disconnect();
    }
  })().catch((error: unknown) => {
    process.send?.({ failed: String(error) });
  });
});
process.send?.({ ready: true });
