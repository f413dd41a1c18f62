/**
 * The environment a test gives a child process: PATH only, so nothing of the developer's own
 * settings leaks in, and libfaketime's variables when the suites run under it (a run on another
 * day, as `faketime -f '@2027-02-11 10:00:00' npx vitest run`), so the child lives on the same day
 * as the test that started it.
 */
export function childEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '' };
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && (name === 'LD_PRELOAD' || name.startsWith('FAKETIME')))
      env[name] = value;
  }
  return env;
}
