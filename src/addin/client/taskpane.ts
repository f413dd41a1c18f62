/**
 * The Outlook task pane (appointment organiser): links the meeting being organised to one of the
 * IRO's children's reviews. office.js only (never teams-js on this page); plain DOM.
 *
 * 1. Office.onReady, then check this is a meeting being organised (appointment compose).
 * 2. Sign in: the demo sign-in when the server has no Entra settings; Entra is not offered yet.
 * 3. List the reader's children whose review they may book (GET /api/tab/reviews).
 * 4. On "Link": first ask the server whether this meeting can be the child's review (GET
 *    /api/tab/outlook/subject with the form's times, and its id when it was saved before), so a
 *    refusal leaves the meeting as it was; then put the privacy-safe subject in the form, save
 *    the meeting (a new meeting is saved to the calendar without sending the invitation), take
 *    its id as Graph's REST id, and POST /api/tab/outlook/link; show the outcome or the server's
 *    sentence (saying what was changed in Outlook, and how to undo it, when linking failed after).
 */
import type {
  OutlookLinkRequest,
  OutlookLinkResponse,
  OutlookSubjectResponse,
} from '../addin-api-types.js';
import type { Me, ReviewRow, ReviewsResponse, TabConfig } from '../../tab/api-types.js';
import { longDay, meetingTime, slotText } from '../../domain/date-text.js';
import { RECURRING_SERIES_TEXT } from '../addin-messages.js';
import type { LocalDate } from '../../domain/local-date.js';
import {
  ApiFailure,
  createApi,
  demoSignIn,
  fetchConfig,
  fetchDemoUsers,
  type Api,
  type TokenSource,
} from '../../tab/client/api.js';
import {
  clearDemoSession,
  loadDemoSession,
  saveDemoSession,
} from '../../tab/client/demo-session.js';

/** Outlook may need a moment before a just-saved meeting is visible to Graph (cached mode). */
const SYNC_RETRIES = 2;
const SYNC_WAIT_MS = 3000;

const KIND_LABEL: Record<string, string> = {
  first: 'first review',
  second: 'second review',
  subsequent: 'review',
  short_breaks: 'short-breaks review',
};

// ---------- the page ----------

function byId(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found;
}

type Child = Node | string;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function say(text: string): void {
  byId('status').textContent = text;
}

function show(...nodes: Node[]): void {
  byId('content').replaceChildren(...nodes);
}

function refusal(text: string): HTMLElement {
  return el('div', { class: 'refusal', role: 'alert' }, el('p', {}, text));
}

// ---------- dates ----------

/** A due date as the chat's cards write it: "Wed 9 December 2026". */
function day(date: string): string {
  return longDay(date as LocalDate);
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// ---------- Outlook ----------

function officeCall<T>(start: (done: (result: Office.AsyncResult<T>) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    start((result) => {
      if (result.status === Office.AsyncResultStatus.Succeeded) resolve(result.value);
      else reject(new ApiFailure(0, `Outlook could not do that: ${result.error.message}`, null));
    });
  });
}

/** The appointment being organised, or null when the pane is open anywhere else. */
function organisedMeeting(): Office.AppointmentCompose | null {
  const item = Office.context?.mailbox?.item;
  if (!item || item.itemType !== Office.MailboxEnums.ItemType.Appointment) return null;
  const compose = item as Office.AppointmentCompose;
  return typeof compose.subject?.setAsync === 'function' ? compose : null;
}

/** The meeting as it stands in the form, for the server to check before anything is changed. */
interface MeetingInForm {
  subject: string;
  start: Date;
  end: Date;
  /** Its REST id when it was saved before; null for a new meeting (or an Outlook too old to say). */
  restId: string | null;
  /** The form is a recurring series (not one occurrence of one). */
  series: boolean;
}

async function meetingInForm(item: Office.AppointmentCompose): Promise<MeetingInForm> {
  const subject = await officeCall<string>((done) => item.subject.getAsync(done));
  const start = await officeCall<Date>((done) => item.start.getAsync(done));
  const end = await officeCall<Date>((done) => item.end.getAsync(done));
  return { subject, start, end, restId: await savedId(item), series: await isSeries(item) };
}

/**
 * Whether the form is a recurring series: its recurrence (Mailbox 1.7) is set and it is not one
 * occurrence being edited (an occurrence has a seriesId, and is one meeting). An Outlook too old
 * to say is taken at its word; the server refuses a saved series anyway.
 */
async function isSeries(item: Office.AppointmentCompose): Promise<boolean> {
  const recurrence = item.recurrence as Office.Recurrence | undefined;
  if (typeof recurrence?.getAsync !== 'function' || item.seriesId) return false;
  return (await officeCall<Office.Recurrence | null>((done) => recurrence.getAsync(done))) !== null;
}

/** getItemIdAsync (Mailbox 1.8) fails for a meeting never saved: then it has no id yet. */
async function savedId(item: Office.AppointmentCompose): Promise<string | null> {
  if (typeof item.getItemIdAsync !== 'function') return null;
  try {
    const ewsId = await officeCall<string>((done) => item.getItemIdAsync(done));
    return restIdOf(ewsId);
  } catch {
    return null;
  }
}

function restIdOf(ewsId: string): string {
  return Office.context.mailbox.convertToRestId(ewsId, Office.MailboxEnums.RestVersion.v2_0);
}

/** Saves the meeting (its subject already in the form) and returns its id as Graph's REST id. */
async function saveMeeting(item: Office.AppointmentCompose): Promise<string> {
  return restIdOf(await officeCall<string>((done) => item.saveAsync(done)));
}

// ---------- the steps ----------

/**
 * Entra sign-in in Outlook: nested app authentication (MSAL), which asks the host for a token
 * for the tab's API (no pop-up when the host can broker it; a pop-up when Entra needs the user).
 * The API checks it exactly as it checks the tab's SSO tokens.
 */
async function entraTokens(sso: TabConfig['sso'] | null): Promise<TokenSource> {
  if (!sso) {
    throw new ApiFailure(
      401,
      "Sign-in from Outlook is not set up on this server: its administrator must set SSO_APP_ID_URI (the App ID URI of IRO Assistant's app registration).",
      null,
    );
  }
  const msal = await import('@azure/msal-browser');
  const app = await msal.createNestablePublicClientApplication({
    auth: { clientId: sso.clientId, authority: sso.authority },
  });
  const request = { scopes: sso.scopes };
  const token = async () => {
    try {
      return (await app.acquireTokenSilent(request)).accessToken;
    } catch (error) {
      if (!(error instanceof msal.InteractionRequiredAuthError)) throw error;
      return (await app.acquireTokenPopup(request)).accessToken;
    }
  };
  await token();
  return token;
}

/**
 * Where the pane's tokens come from: Entra through nested app authentication (MSAL caches and
 * renews them: asked again for each call), or the demo sign-in's stored session, whose expiry the
 * server decides (a refused token clears it and the pane asks again, as the tab does).
 */
async function signIn(config: TabConfig): Promise<TokenSource> {
  if (config.auth !== 'demo') return entraTokens(config.sso ?? null);
  const kept = loadDemoSession();
  if (kept) return () => Promise.resolve(kept.token);
  const { users } = await fetchDemoUsers();
  return new Promise((resolve) => {
    const pick = (email: string) => {
      void (async () => {
        try {
          say('Signing in…');
          const issued = await demoSignIn(email);
          saveDemoSession({ email, token: issued.token, expiresAt: issued.expiresAt });
          resolve(() => Promise.resolve(issued.token));
        } catch (error) {
          show(refusal(messageOf(error)));
        }
      })();
    };
    say('Choose who you are.');
    show(
      el(
        'section',
        { class: 'demo-banner', 'aria-labelledby': 'demo-heading' },
        el('h2', { id: 'demo-heading' }, 'Demo sign-in'),
        el(
          'p',
          {},
          'This server has no Microsoft Entra settings, so it runs on demo data. Choose a demo user.',
        ),
        ...users.map((u) => {
          const button = el(
            'button',
            { type: 'button', class: 'secondary', 'data-email': u.email },
            `${u.name} (${u.role.replace('_', ' ')})`,
          );
          button.addEventListener('click', () => pick(u.email));
          return el('div', {}, button);
        }),
      ),
    );
  });
}

function childChoice(row: ReviewRow, timeZone: string): HTMLElement {
  const id = `child-${row.childId}`;
  const due = row.dueDate
    ? `${row.state === 'overdue' ? 'Overdue since' : 'Due'} ${day(row.dueDate)} (${KIND_LABEL[row.kind ?? 'subsequent'] ?? 'review'})`
    : 'Due date not known';
  // A due date on a weekend or bank holiday: the meeting must be held by the working day before.
  const holdBy =
    row.holdBy && row.state !== 'overdue' && row.holdBy !== row.dueDate
      ? `Hold by ${day(row.holdBy)} (the due date is not a working day)`
      : '';
  const booked = row.scheduledStart
    ? `Already booked: ${meetingTime(new Date(row.scheduledStart), timeZone)}`
    : '';
  return el(
    'div',
    { class: 'choice' },
    el('input', { type: 'radio', name: 'child', id, value: row.childId }),
    el(
      'label',
      { for: id },
      row.label,
      el('small', {}, due),
      ...[holdBy, booked].filter((line) => line !== '').map((line) => el('small', {}, line)),
    ),
  );
}

async function linkChosen(
  item: Office.AppointmentCompose,
  client: Api,
  childId: string,
  timeZone: string,
): Promise<void> {
  say('Checking the child and the meeting…');
  const form = await meetingInForm(item);
  // A series never saved is unknown to the server: refused here, before anything is changed.
  if (form.series) throw new ApiFailure(400, RECURRING_SERIES_TEXT, null);
  // The server's refusals come before anything is changed in Outlook.
  const { subject } = await client.get<OutlookSubjectResponse>('/api/tab/outlook/subject', {
    childId,
    start: form.start.toISOString(),
    end: form.end.toISOString(),
    ...(form.restId ? { eventId: form.restId } : {}),
  });
  await officeCall<void>((done) => item.subject.setAsync(subject, done));
  let saved = false;
  let linked: OutlookLinkResponse;
  try {
    say('Saving the meeting in your calendar…');
    const eventId = await saveMeeting(item);
    saved = true;
    linked = await linkSaved(client, { childId, eventId });
  } catch (error) {
    // Rare (the meeting changed, or another booking got in, since the check): say what changed.
    throw new ApiFailure(
      error instanceof ApiFailure ? error.status : 0,
      `${messageOf(error)} ${undoNote(form.subject, subject, saved)}`,
      error instanceof ApiFailure ? error.reference : null,
    );
  }
  showLinked(linked, timeZone);
}

/** POST /api/tab/outlook/link, waiting a little while Graph cannot see the saved meeting yet. */
async function linkSaved(client: Api, request: OutlookLinkRequest): Promise<OutlookLinkResponse> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      say(attempt === 0 ? 'Linking the meeting…' : 'Waiting for Outlook to finish saving…');
      return await client.post<OutlookLinkResponse>('/api/tab/outlook/link', request);
    } catch (error) {
      if (!(error instanceof ApiFailure) || error.status !== 404 || attempt >= SYNC_RETRIES)
        throw error;
      await new Promise((resolve) => setTimeout(resolve, SYNC_WAIT_MS));
    }
  }
}

/** What the pane changed in Outlook before linking failed, and how to put it back. */
function undoNote(before: string, after: string, saved: boolean): string {
  const putBack =
    before.trim() === '' ? 'clear the subject' : `change the subject back to “${before}”`;
  return saved
    ? `The meeting was saved in your calendar with the subject “${after}” (the invitation was not sent). To undo this, ${putBack} and save, or delete the meeting if you do not need it.`
    : `The subject in the form is now “${after}”: to undo this, ${putBack}.`;
}

function showLinked(linked: OutlookLinkResponse, timeZone: string): void {
  const when = slotText({ start: new Date(linked.start), end: new Date(linked.end) }, timeZone);
  const heading = el(
    'h2',
    { id: 'result-heading', tabindex: '-1' },
    linked.outcome === 'linked' ? 'Linked' : 'Already linked',
  );
  show(
    el(
      'section',
      { class: 'result', 'aria-labelledby': 'result-heading' },
      heading,
      el(
        'p',
        {},
        linked.outcome === 'linked'
          ? `This meeting is now ${linked.childLabel}'s review: ${when}.`
          : `This meeting was already ${linked.childLabel}'s review (${when}); nothing changed.`,
      ),
      ...(linked.late
        ? [
            el(
              'p',
              { class: 'late' },
              `This is after the due date (${day(linked.dueDate)}): the review will count as late.`,
            ),
          ]
        : []),
      el('p', {}, `Its subject is “${linked.subject}”: initials and case ID only.`),
      el(
        'p',
        {},
        'IRO Assistant will ask you to record the review when the meeting ends. Send the invitation from Outlook when you are ready.',
      ),
      ...(linked.teamsMeeting
        ? []
        : [
            el(
              'p',
              {},
              'This meeting has no Teams link: turn on "Teams meeting" in Outlook if people will join online.',
            ),
          ]),
    ),
  );
  say('Done.');
  heading.focus();
}

function messageOf(error: unknown): string {
  if (error instanceof ApiFailure) return error.message;
  return 'Something went wrong in the pane. Close it and open it again.';
}

async function start(): Promise<void> {
  await Office.onReady();
  const item = organisedMeeting();
  if (!item) {
    say('');
    show(
      refusal(
        'Open this pane from a meeting you are organising in Outlook (new meeting, then "Link to review" on the ribbon).',
      ),
    );
    return;
  }
  const config = await fetchConfig();
  let client = createApi(await signIn(config), clearDemoSession);
  let me: Me;
  try {
    me = await client.get<Me>('/api/tab/me');
  } catch (error) {
    if (!(error instanceof ApiFailure) || error.status !== 401) throw error;
    client = createApi(await signIn(config), clearDemoSession);
    me = await client.get<Me>('/api/tab/me');
  }
  say('Finding your children whose review is due…');
  const reviews = await client.get<ReviewsResponse>('/api/tab/reviews', {
    from: me.today,
    to: addDays(me.today, 214),
  });
  const rows = [...reviews.overdue, ...reviews.due]
    .filter((r) => r.canSchedule && r.dueDate !== null)
    .filter((r, i, all) => all.findIndex((o) => o.childId === r.childId) === i)
    .sort((a, b) => (a.dueDate ?? '').localeCompare(b.dueDate ?? ''));
  if (rows.length === 0) {
    say('');
    show(
      el('p', {}, `Signed in as ${me.name}.`),
      refusal(
        me.role === 'iro'
          ? 'None of your children has a review to book in the next seven months.'
          : "Linking a meeting to a review is for the child's IRO.",
      ),
    );
    return;
  }
  const button = el('button', { type: 'submit' }, 'Link this meeting');
  const choices = rows.map((r) => childChoice(r, config.timeZone));
  const filter = el('input', { type: 'search', id: 'child-filter', autocomplete: 'off' });
  filter.addEventListener('input', () => {
    const wanted = filter.value.trim().toLowerCase().replaceAll('.', '');
    for (const choice of choices) {
      const text = (choice.textContent ?? '').toLowerCase().replaceAll('.', '');
      choice.hidden = wanted !== '' && !text.includes(wanted);
    }
  });
  const form = el(
    'form',
    {},
    el('label', { for: 'child-filter', class: 'filter' }, 'Find a child (initials or case ID)'),
    filter,
    el(
      'fieldset',
      { class: 'choices' },
      el('legend', {}, "Which child's review is this meeting?"),
      ...choices,
    ),
    el(
      'p',
      { class: 'muted' },
      'Linking checks this meeting first, then gives it a subject with the child’s initials and case ID only and saves it in your calendar (a new meeting is saved without sending the invitation).',
    ),
    button,
  );
  const outcome = el('div', { id: 'outcome' });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = form.querySelector<HTMLInputElement>('input[name="child"]:checked');
    if (!chosen) {
      say('Choose a child first.');
      return;
    }
    button.disabled = true;
    void linkChosen(item, client, chosen.value, config.timeZone)
      .catch((error: unknown) => {
        say('');
        outcome.replaceChildren(refusal(messageOf(error)));
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  say('');
  show(el('p', { class: 'muted' }, `Signed in as ${me.name}.`), form, outcome);
}

start().catch((error: unknown) => {
  say('');
  show(refusal(messageOf(error)));
});
