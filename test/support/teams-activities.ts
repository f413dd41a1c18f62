import { randomUUID } from 'node:crypto';

export interface TeamsUser {
  id: string;
  name: string;
  aadObjectId?: string;
}

export type ConversationKind =
  | { type: 'personal'; id: string }
  | { type: 'groupChat'; id: string }
  | { type: 'channel'; id: string; teamId: string };

const BOT = { id: '28:iro-assistant-bot', name: 'IRO Assistant' };
const TENANT = '72f988bf-0000-0000-0000-000000000001';

function base(serviceUrl: string, from: TeamsUser, conversation: ConversationKind) {
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from,
    recipient: BOT,
    conversation: {
      id: conversation.id,
      conversationType: conversation.type,
      isGroup: conversation.type !== 'personal',
      tenantId: TENANT,
    },
    channelData: {
      tenant: { id: TENANT },
      ...(conversation.type === 'channel'
        ? { team: { id: conversation.teamId }, channel: { id: conversation.id } }
        : {}),
    },
    locale: 'en-GB',
  };
}

/** A Teams message, with an @mention of the bot outside a 1:1 chat, as Teams sends it. */
export function messageActivity(
  serviceUrl: string,
  from: TeamsUser,
  conversation: ConversationKind,
  text: string,
) {
  const mention = conversation.type === 'personal' ? '' : `<at>${BOT.name}</at> `;
  return {
    ...base(serviceUrl, from, conversation),
    type: 'message',
    text: `${mention}${text}`,
    textFormat: 'plain',
    entities:
      conversation.type === 'personal'
        ? []
        : [{ type: 'mention', mentioned: BOT, text: `<at>${BOT.name}</at>` }],
  };
}

/** An Adaptive Card Universal Action press (Action.Execute), as Teams sends it. */
export function cardActionInvoke(
  serviceUrl: string,
  from: TeamsUser,
  conversation: ConversationKind,
  verb: string,
  data: unknown,
  trigger: 'manual' | 'automatic' = 'manual',
) {
  return {
    ...base(serviceUrl, from, conversation),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data }, trigger },
  };
}

/** A Teams meeting event in the meeting's group chat, with all five keys botbuilder requires. */
export function meetingEventActivity(
  serviceUrl: string,
  kind: 'start' | 'end',
  meeting: { chatId: string; meetingId: string; joinUrl: string; title: string; at: Date },
) {
  const conversation = { type: 'groupChat' as const, id: meeting.chatId };
  return {
    ...base(serviceUrl, { id: '29:organiser', name: 'Organiser' }, conversation),
    type: 'event',
    name:
      kind === 'start'
        ? 'application/vnd.microsoft.meetingStart'
        : 'application/vnd.microsoft.meetingEnd',
    value: {
      Id: meeting.meetingId,
      JoinUrl: meeting.joinUrl,
      MeetingType: 'Scheduled',
      Title: meeting.title,
      ...(kind === 'start'
        ? { StartTime: meeting.at.toISOString() }
        : { EndTime: meeting.at.toISOString() }),
    },
    channelData: { tenant: { id: TENANT }, meeting: { id: meeting.meetingId } },
  };
}

/** Teams telling the bot it was added for a user (their 1:1 chat with it now exists). */
export function installationUpdateActivity(
  serviceUrl: string,
  from: TeamsUser,
  conversation: ConversationKind,
) {
  return { ...base(serviceUrl, from, conversation), type: 'installationUpdate', action: 'add' };
}
