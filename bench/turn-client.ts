/**
 * The benchmark's Teams, in a process of its own (started by bot-turns.ts with `fork`): it posts
 * Teams 1:1 messages to the server's /api/messages over HTTP, as the Bot Connector would, and
 * stands in for the Bot Connector that the replies are posted to (a RecordingConnector that
 * counts what it is sent without keeping it). Nothing of the client's work, its allocations or
 * its garbage collections happens in the server's process, as none of Teams' does in production.
 *
 * Messages from the parent: `install` (the app installed for every IRO), `run` (one block of
 * turns of one kind), `stop`. Each `run` is answered with the block's latencies, its wall time and
 * the replies the connector received.
 */
import { RecordingConnector } from '../test/support/recording-connector.js';
import { installationUpdateActivity, messageActivity } from '../test/support/teams-activities.js';
import { pickFrom, seededRandom } from './figures.js';
import {
  ECHO_PREFIX,
  QUERY_TEXT,
  type ClientIro,
  type ClientReply,
  type ClientRequest,
  type TurnKind,
} from './turn-messages.js';

const connector = new RecordingConnector({ keep: false });
const random = seededRandom(23);
let serverUrl = '';
let iros: ClientIro[] = [];
let echoes = 0;

/** The IRO as Teams names them in each activity, and their 1:1 chat with the bot. */
function teamsUser(iro: ClientIro) {
  return {
    user: { id: `29:${iro.aadObjectId}`, name: iro.email, aadObjectId: iro.aadObjectId },
    chat: { type: 'personal' as const, id: `a:${iro.aadObjectId}` },
  };
}

function activity(kind: TurnKind): unknown {
  const { user, chat } = teamsUser(pickFrom(random, iros));
  echoes += kind === 'echo' ? 1 : 0;
  const text = kind === 'echo' ? `${ECHO_PREFIX}turn ${echoes}` : QUERY_TEXT;
  return messageActivity(connector.url, user, chat, text);
}

/** Posts an activity (already JSON) as the Bot Connector would, until its response has arrived. */
async function post(body: string, what: string): Promise<void> {
  const response = await fetch(`${serverUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${what} answered ${response.status}`);
}

/**
 * Installs the app for every IRO, as Teams does before a user can message a bot: an
 * installationUpdate each (the bot stores the chat's conversation reference and says hello), four
 * at a time. Untimed.
 */
async function install(): Promise<number> {
  const before = connector.received;
  for (let i = 0; i < iros.length; i += 4) {
    await Promise.all(
      iros.slice(i, i + 4).map((iro) => {
        const { user, chat } = teamsUser(iro);
        const installation = installationUpdateActivity(connector.url, user, chat);
        return post(JSON.stringify(installation), 'an installation');
      }),
    );
  }
  return connector.received - before;
}

async function run(kind: TurnKind, turns: number, concurrency: number) {
  const latencies: number[] = [];
  const repliesBefore = connector.received;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next;
      next += 1;
      if (i >= turns) return;
      const body = JSON.stringify(activity(kind));
      const start = performance.now();
      await post(body, `a ${kind} turn`);
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { latencies, seconds, replies: connector.received - repliesBefore };
}

const send = (reply: ClientReply) => process.send?.(reply);

// A benchmark that stops without saying so (an error, Ctrl-C) must not leave this process behind.
process.on('disconnect', () => process.exit(0));

process.on('message', (message: ClientRequest) => {
  void (async () => {
    try {
      if (message.type === 'start') {
        serverUrl = message.serverUrl;
        iros = message.iros;
        await connector.start();
        send({ type: 'started' });
      } else if (message.type === 'install') {
        send({ type: 'installed', replies: await install() });
      } else if (message.type === 'run') {
        send({ type: 'ran', ...(await run(message.kind, message.turns, message.concurrency)) });
      } else {
        await connector.stop();
        process.disconnect();
      }
    } catch (error) {
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  })();
});
