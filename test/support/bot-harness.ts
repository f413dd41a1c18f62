import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { validateCard } from '../../src/cards/validate-card.js';
import { startServer, type RunningServer } from '../../src/server.js';
import type { Clock } from '../../src/services.js';
import { RecordingConnector } from './recording-connector.js';
import { testLogger } from './test-log.js';
import { watchStore } from './watch-store.js';
import {
  cardActionInvoke,
  messageActivity,
  type ConversationKind,
  type TeamsUser,
} from './teams-activities.js';

export type Card = {
  type: 'AdaptiveCard';
  body: unknown[];
  actions?: { verb?: string; data?: unknown; title?: string }[];
};

/** The real server (demo council, embedded store) with a recording connector at serviceUrl. */
export class BotHarness {
  server!: RunningServer;
  connector = new RecordingConnector();
  dataDir = '';

  async start(env: Record<string, string> = {}, options: { clock?: Clock } = {}): Promise<void> {
    await this.connector.start();
    this.dataDir = await mkdtemp(path.join(tmpdir(), 'iro-bot-'));
    this.server = await startServer(
      loadConfig({
        DATA_DIR: this.dataDir,
        PORT: '0',
        DEMO_DATA: 'true',
        // Jobs run when a test says so (runner.runOnce), never in the middle of a conversation.
        JOBS_INTERVAL_SECONDS: '3600',
        ...env,
      }),
      testLogger(),
      options,
    );
  }

  async stop(): Promise<void> {
    // What the store held, for the check after the run that no log carries it.
    if (this.server) await watchStore(this.server.services.store.db);
    await this.server?.close();
    await this.connector.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  post(activity: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(activity),
    });
  }

  /** Sends a message and returns the one card the bot replied with (checked by adaptivecards). */
  async ask(from: TeamsUser, conversation: ConversationKind, text: string): Promise<Card> {
    const mark = this.connector.sent.length;
    const response = await this.post(messageActivity(this.connector.url, from, conversation, text));
    expect(response.status).toBe(200);
    const replies = this.connector.since(mark);
    expect(replies).toHaveLength(1);
    const reply = replies[0];
    expect(reply?.conversationId).toBe(conversation.id);
    const attachment = reply?.activity.attachments?.[0];
    expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    return checked(attachment?.content);
  }

  /** Presses an Action.Execute button; returns the card in the invoke response. */
  async press(
    from: TeamsUser,
    conversation: ConversationKind,
    verb: string,
    data: unknown,
  ): Promise<Card> {
    const mark = this.connector.sent.length;
    const response = await this.post(
      cardActionInvoke(this.connector.url, from, conversation, verb, data),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { statusCode: number; type: string; value: unknown };
    expect(body.statusCode).toBe(200);
    if (verb === 'question.ask') {
      // Answered in a message of its own below the card, which stays as it was.
      expect(body).toEqual({
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: 'Answered below.',
      });
      const sent = this.connector.since(mark);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.conversationId).toBe(conversation.id);
      return checked(sent[0]?.activity.attachments?.[0]?.content);
    }
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    return checked(body.value);
  }

  /** Every child listed across all pages of a list card, following "Show more". */
  async allListedChildren(
    from: TeamsUser,
    conversation: ConversationKind,
    first: Card,
  ): Promise<string[]> {
    const children = childrenIn(first);
    let card = first;
    for (let guard = 0; guard < 100; guard += 1) {
      const more = card.actions?.find((a) => a.title === 'Show more');
      if (!more) break;
      card = await this.press(from, conversation, more.verb as string, more.data);
      children.push(...childrenIn(card));
    }
    return children;
  }
}

export function checked(card: unknown): Card {
  expect(validateCard(card)).toEqual([]);
  return card as Card;
}

/** CHILD ids shown in a card (list items read "J.S. · A12345"). */
export function childrenIn(card: unknown): string[] {
  return [...JSON.stringify(card).matchAll(/· ([A-Z]\d{5})"/g)].map((m) => m[1] as string);
}

export function textOf(card: unknown): string {
  return [...JSON.stringify(card).matchAll(/"(?:text|title|value)":"((?:[^"\\]|\\.)*)"/g)]
    .map((m) => m[1])
    .join('\n');
}

/** The value of the input with this id anywhere in a card (what the form shows in it). */
export function inputValue(card: unknown, id: string): unknown {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      for (const n of node) {
        const found = walk(n);
        if (found !== undefined) return found;
      }
    } else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o['id'] === id) return o['value'];
      for (const v of Object.values(o)) {
        const found = walk(v);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  return walk(card);
}
