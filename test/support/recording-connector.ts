import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  /** Activities the bot changed in place (PUT): `replyToId` is the id of the changed message. */
  readonly updates: SentActivity[] = [];
  readonly authorizations: (string | undefined)[] = [];
  private readonly members = new Map<string, Member[]>();
  private server: Server | undefined;
  url = '';

  setMembers(conversationOrTeamId: string, members: Member[]): void {
    this.members.set(conversationOrTeamId, members);
  }

  async start(): Promise<void> {
    const app = express();
    app.use(express.json({ limit: '5mb' }));
    const record = (req: express.Request, res: express.Response) => {
      this.authorizations.push(req.headers.authorization);
      this.sent.push({
        conversationId: decodeURIComponent(req.params['conversationId'] as string),
        replyToId: req.params['activityId'] as string | undefined,
        activity: req.body,
      });
      res.json({ id: `sent-${this.sent.length}` });
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
