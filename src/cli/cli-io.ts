/** Where a command writes: stdout for results, stderr for messages, progress for a terminal. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Transient progress; only shown on an interactive terminal. */
  progress(text: string): void;
  cwd: string;
}

/** A mistake in how the command was called: one line on stderr and exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A file the command cannot read as the data it needs (not UTF-8, say): one line on stderr and
 * exit code 1, as for any other invalid data, so a scheduled import tells the data team.
 */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

export const EXIT = { ok: 0, invalidData: 1, usage: 2, unavailable: 3 } as const;
