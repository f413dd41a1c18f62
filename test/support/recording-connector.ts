import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';

export interface Member {
  id: string;
  aadObjectId?: string;
  name: string;
}

export interface SentActivity {
  conversationId: string;
  replyToId: string | undefined;
  activity: Record<string, unknown> & {
    type: string;
    attachments?: { contentType: string; content: unknown }[];
  };
}

/**
 * A stand-in for the Teams channel's Bot Connector service: it records every activity the bot
 * sends to /v3/conversations/... and answers roster requests from configured members.
 */
export class RecordingConnector {
  readonly sent: SentActivity[] = [];
  /** Posts answered, kept or not. */
  received = 0;
  /**
   * `keep: false` answers and counts posts without keeping them (`sent`, `arrivedAt` and
   * `authorizations` stay empty): the benchmark's stand-in for Teams, which must not grow a heap
   * with every card the bot sends.
   */
  constructor(private readonly options: { keep?: boolean } = {}) {}
  /** Activities the bot changed in place (PUT): `replyToId` is the id of the changed message. */
  readonly updates: SentActivity[] = [];
  readonly authorizations: (string | undefined)[] = [];
  private readonly members = new Map<string, Member[]>();
  /** Conversations the Connector refuses to post to, with the error code it answers (403). */
  private readonly refusals = new Map<string, string>();
  /** How many posts were refused, per conversation. */
  readonly refused = new Map<string, number>();
  private server: Server | undefined;
  url = '';
  /**
   * Milliseconds the Connector takes to answer each post (0: at once), as Teams takes a while.
   * A post is in `sent` once answered; one whose sender went away first is in `abandoned`.
   */
  delayMs = 0;
  /** When each post in `sent` arrived (Date.now()), by the same index. */
  readonly arrivedAt: number[] = [];
  /** Posts that arrived and are not answered yet (only with `delayMs`), with when they arrived. */
  readonly inFlight = new Map<SentActivity, number>();
  /**
   * Posts whose sender closed the connection (died) before the answer: Teams may or may not
   * have delivered such a message, and the sender cannot know which.
   */
  readonly abandoned: { sent: SentActivity; arrivedAt: number }[] = [];
  private heldUntil = 0;

  /** With `delayMs`: answers nothing for `ms` more, as when Teams has a slow moment. */
  hold(ms: number): void {
    this.heldUntil = Date.now() + ms;
  }

  setMembers(conversationOrTeamId: string, members: Member[]): void {
    this.members.set(conversationOrTeamId, members);
  }

  /** Rosters the Connector cannot give (it answers this status), as when Teams has a bad moment. */
  private readonly rosterFailures = new Map<string, number>();

  failRoster(conversationOrTeamId: string, status: number | undefined): void {
    if (status) this.rosterFailures.set(conversationOrTeamId, status);
    else this.rosterFailures.delete(conversationOrTeamId);
  }

  /**
   * Answers posts to this conversation with 403 and the Connector's error code, as Teams does for
   * a 1:1 chat the user never opened or removed the app from (`BotNotInConversationRoster`) or
   * one where they blocked the bot (`ConversationBlockedByUser`, `MessageWritesBlocked`);
   * `undefined` lets posts through again.
   */
  refuse(conversationId: string, code: string | undefined): void {
    if (code) this.refusals.set(conversationId, code);
    else this.refusals.delete(conversationId);
  }

  async start(): Promise<void> {
    const app = express();
    app.use(express.json({ limit: '5mb' }));
    const record = (req: express.Request, res: express.Response) => {
      const conversationId = decodeURIComponent(req.params['conversationId'] as string);
      const refusal = this.refusals.get(conversationId);
      if (refusal) {
        this.refused.set(conversationId, (this.refused.get(conversationId) ?? 0) + 1);
        res.status(403).json({ error: { code: refusal, message: `Refused: ${refusal}` } });
        return;
      }
      const sent: SentActivity = {
        conversationId: decodeURIComponent(req.params['conversationId'] as string),
        replyToId: req.params['activityId'] as string | undefined,
        activity: req.body,
      };
      const arrivedAt = Date.now();
      const answer = () => {
        this.received += 1;
        if (this.options.keep !== false) {
          this.authorizations.push(req.headers.authorization);
          this.sent.push(sent);
          this.arrivedAt.push(arrivedAt);
        }
        res.json({ id: `sent-${this.received}` });
      };
      if (this.delayMs <= 0) {
        answer();
        return;
      }
      this.inFlight.set(sent, arrivedAt);
      let gone = false;
      res.on('close', () => {
        if (!res.writableEnded) gone = true;
      });
      void sleep(this.delayMs).then(async () => {
        while (Date.now() < this.heldUntil) await sleep(this.heldUntil - Date.now());
        this.inFlight.delete(sent);
        if (gone || !res.socket || res.socket.destroyed) this.abandoned.push({ sent, arrivedAt });
        else answer();
      });
    };
    app.post('/v3/conversations/:conversationId/activities/:activityId', record);
    app.put('/v3/conversations/:conversationId/activities/:activityId', (req, res) => {
      this.updates.push({
        conversationId: decodeURIComponent(req.params['conversationId'] as string),
        replyToId: req.params['activityId'] as string,
        activity: req.body,
      });
      res.json({ id: req.params['activityId'] });
    });
    app.post('/v3/conversations/:conversationId/activities', record);
    app.get('/v3/conversations/:conversationId/pagedmembers', (req, res) => {
      const failure = this.rosterFailures.get(decodeURIComponent(req.params.conversationId));
      if (failure) {
        res.status(failure).json({ error: { code: 'ServiceError', message: 'Unavailable' } });
        return;
      }
      const all = this.members.get(decodeURIComponent(req.params.conversationId)) ?? [];
      const size = Number(req.query['pageSize'] ?? 500);
      const start = Number(req.query['continuationToken'] ?? 0);
      const page = all.slice(start, start + size);
      res.json({
        members: page.map((m) => ({ id: m.id, name: m.name, aadObjectId: m.aadObjectId })),
        ...(start + size < all.length ? { continuationToken: String(start + size) } : {}),
      });
    });
    app.get('/v3/conversations/:conversationId/members', (req, res) => {
      res.json(
        (this.members.get(decodeURIComponent(req.params.conversationId)) ?? []).map((m) => ({
          id: m.id,
          name: m.name,
          aadObjectId: m.aadObjectId,
        })),
      );
    });
    await new Promise<void>((resolve) => {
      this.server = app.listen(0, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  /** Activities sent since `mark` (a count taken earlier from `sent.length`). */
  since(mark: number): SentActivity[] {
    return this.sent.slice(mark);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
