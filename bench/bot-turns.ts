/**
 * Whole bot turns over HTTP: POST /api/messages with a Teams 1:1 message, the reply posted to the
 * recording connector before the response comes back. "my reviews due this month" as a random
 * IRO, and an echo turn on the same stack, at concurrency 1 and 32: p50, p99, turns per second,
 * and the ratio of the two at each percentile.
 *
 * The turns are sent, and the replies received, by a client process of its own
 * (turn-client.ts), so that the server's process does only what it does in production. The two
 * kinds run in alternating blocks (echo, query, query, echo, ...), so that a machine that slows
 * down or speeds up during the run weighs on both alike; each kind's turns per second is its
 * turns over the time its own blocks took.
 *
 * Before anything is timed, the app is installed for every IRO, as Teams does before a user can
 * message a bot (admins install it for the service's staff): each 1:1 chat's conversation
 * reference is then stored, as in a service that uses the app, and a query turn writes only its
 * rate limit. Without this, the query turns of the first blocks would each store the reference of
 * an IRO's first chat, which the echo turns (answered before the app's handlers) never do.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { percentile, round, type Figure } from './figures.js';
import type { BenchStack } from './bench-stack.js';
import type { BenchStaff } from './national-dataset.js';
import type { ClientReply, ClientRequest, TurnKind } from './turn-messages.js';

/** Blocks of each kind per concurrency; each block has turns / BLOCKS turns. */
const BLOCKS = 8;

interface Client {
  install(): Promise<number>;
  run(kind: TurnKind, turns: number, concurrency: number): Promise<Ran>;
  stop(): Promise<void>;
}

type Ran = Extract<ClientReply, { type: 'ran' }>;

async function startClient(serverUrl: string, staff: readonly BenchStaff[]): Promise<Client> {
  const child: ChildProcess = fork(new URL('./turn-client.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // A send on a channel the client closed by dying is an 'error' event: it is turned into the
  // rejection of the request instead. Requests go one at a time, each answered once.
  child.on('error', () => undefined);
  const ask = (request: ClientRequest) =>
    new Promise<ClientReply>((resolve, reject) => {
      if (!child.connected) {
        reject(new Error(`the turn client has gone (${request.type})`));
        return;
      }
      const onExit = (code: number | null) => {
        child.off('message', onMessage);
        reject(new Error(`the turn client exited (${code}) during ${request.type}`));
      };
      const onMessage = (reply: ClientReply) => {
        child.off('exit', onExit);
        if (reply.type === 'failed') reject(new Error(`turn client: ${reply.message}`));
        else resolve(reply);
      };
      child.once('exit', onExit);
      child.once('message', onMessage);
      child.send(request, (error) => {
        if (error) onExit(child.exitCode);
      });
    });
  const iros = staff
    .filter((s) => s.role === 'iro')
    .map((s) => ({ aadObjectId: s.aadObjectId, email: s.email }));
  try {
    await ask({ type: 'start', serverUrl, iros });
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    async install() {
      const reply = await ask({ type: 'install' });
      if (reply.type !== 'installed' || reply.replies !== iros.length) {
        throw new Error(
          `the app installed for ${iros.length} IROs, but not answered as many times`,
        );
      }
      return reply.replies;
    },
    async run(kind, turns, concurrency) {
      const reply = (await ask({ type: 'run', kind, turns, concurrency })) as Ran;
      if (reply.replies !== turns) {
        throw new Error(
          `${turns} ${kind} turns, but the connector received ${reply.replies} replies`,
        );
      }
      return reply;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (child.connected) child.send({ type: 'stop' } satisfies ClientRequest);
      else child.kill();
      await exited;
    },
  };
}

/**
 * The CPU time of the benchmark's own process per turn of each kind (user and system, all its
 * threads, over the kind's blocks), and their ratio. That process is the server's (with PGlite
 * in it), the Graph simulator's (idle while turns run) and the IPC with the client; on PostgreSQL
 * the database's work is done in its server's processes and is not counted. On PGlite, at
 * concurrency 32, the server is busy all the time, so this ratio is about the ratio of the turns'
 * latencies, and it varies much less from run to run than a p99 does.
 */
function cpuFigures(
  section: string,
  at: string,
  turns: number,
  echoMs: number,
  queryMs: number,
  onPostgres: boolean,
): Figure[] {
  const note = onPostgres ? 'PostgreSQL server processes not counted' : 'PGlite included';
  return [
    {
      section,
      name: `server CPU per echo turn, ${at}`,
      value: round(echoMs / turns, 2),
      unit: 'ms',
      note,
    },
    {
      section,
      name: `server CPU per query turn, ${at}`,
      value: round(queryMs / turns, 2),
      unit: 'ms',
      note,
    },
    {
      section,
      name: `query turn / echo turn in server CPU, ${at}`,
      value: echoMs > 0 ? round(queryMs / echoMs, 2) : null,
      unit: 'x',
    },
  ];
}

export async function botTurns(
  stack: BenchStack,
  staff: readonly BenchStaff[],
  section: string,
  turns: number,
): Promise<Figure[]> {
  const client = await startClient(stack.server.url, staff);
  try {
    await client.install();
    // Warm-up: each path once per worker, so first-call costs (JIT, plans) are not timed.
    await client.run('echo', 32, 32);
    await client.run('query', 32, 32);

    const figures: Figure[] = [];
    const block = Math.max(1, Math.round(turns / BLOCKS));
    // A p99 needs many turns: of 400 it is the 4th slowest, and one pause can decide it.
    for (const concurrency of [1, 32]) {
      const runs: Record<TurnKind, { latencies: number[]; seconds: number; cpuMs: number }> = {
        echo: { latencies: [], seconds: 0, cpuMs: 0 },
        query: { latencies: [], seconds: 0, cpuMs: 0 },
      };
      for (let b = 0; b < BLOCKS; b += 1) {
        const order: TurnKind[] = b % 2 === 0 ? ['echo', 'query'] : ['query', 'echo'];
        for (const kind of order) {
          const cpu = process.cpuUsage();
          const ran = await client.run(kind, block, concurrency);
          const used = process.cpuUsage(cpu);
          runs[kind].latencies.push(...ran.latencies);
          runs[kind].seconds += ran.seconds;
          runs[kind].cpuMs += (used.user + used.system) / 1000;
        }
      }
      const n = block * BLOCKS;
      const at = `concurrency ${concurrency}`;
      for (const p of [50, 99]) {
        const e = percentile(runs.echo.latencies, p);
        const q = percentile(runs.query.latencies, p);
        figures.push(
          {
            section,
            name: `echo turn p${p}, ${at}`,
            value: round(e, 2),
            unit: 'ms',
            note: `${n} turns`,
          },
          {
            section,
            name: `"my reviews due this month" turn p${p}, ${at}`,
            value: round(q, 2),
            unit: 'ms',
            note: `${n} turns`,
          },
        );
        const ratio = e && q !== null ? round(q / e, 2) : null;
        figures.push({
          section,
          name: `query turn / echo turn at p${p}, ${at}`,
          value: ratio,
          unit: 'x',
          ...(p === 99 ? { target: '<= 1.5 x', met: ratio !== null && ratio <= 1.5 } : {}),
        });
      }
      figures.push(
        {
          section,
          name: `echo turns per second, ${at}`,
          value: round(n / runs.echo.seconds, 1),
          unit: 'turns/s',
        },
        {
          section,
          name: `query turns per second, ${at}`,
          value: round(n / runs.query.seconds, 1),
          unit: 'turns/s',
        },
        ...cpuFigures(
          section,
          at,
          n,
          runs.echo.cpuMs,
          runs.query.cpuMs,
          stack.server.services.store.kind === 'postgres',
        ),
      );
    }
    return figures;
  } finally {
    await client.stop();
  }
}
