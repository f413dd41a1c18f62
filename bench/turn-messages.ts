/**
 * What the benchmark's server side (bench-stack.ts, bot-turns.ts) and its client process
 * (turn-client.ts) share: the texts of the two kinds of turn and the messages between them.
 */

/** A message starting with this is answered by the bench-only echo bot. */
export const ECHO_PREFIX = 'echo ';
export const QUERY_TEXT = 'my reviews due this month';

export type TurnKind = 'echo' | 'query';

export interface ClientIro {
  aadObjectId: string;
  email: string;
}

export type ClientRequest =
  | { type: 'start'; serverUrl: string; iros: ClientIro[] }
  | { type: 'install' }
  | { type: 'run'; kind: TurnKind; turns: number; concurrency: number }
  | { type: 'stop' };

export type ClientReply =
  | { type: 'started' }
  | { type: 'installed'; replies: number }
  | { type: 'ran'; latencies: number[]; seconds: number; replies: number }
  | { type: 'failed'; message: string };
