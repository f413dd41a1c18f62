/**
 * Microsoft Graph requests per scheduled review, counted at the Graph simulator: an IRO asks the
 * bot in their 1:1 chat to "schedule review for <CHILD>" (free/busy of the IRO and the social
 * worker, in one $batch) and presses "Book" on the card (the Teams meeting event). Then 100
 * reviews scheduled one after another through the same card path: the app has no bulk booking,
 * so nothing is batched across reviews. A $batch counts once as an HTTP request; its parts are
 * counted apart.
 */
import { addDays } from '../src/domain/local-date.js';
import { listDueReviews } from '../src/app/due-reviews.js';
import { cardActionInvoke, messageActivity } from '../test/support/teams-activities.js';
import { round, type Figure } from './figures.js';
import type { BenchStack } from './bench-stack.js';
import type { BenchStaff } from './national-dataset.js';

type Card = { actions?: { verb?: string; data?: unknown }[] };

function firstSlot(card: unknown): string | undefined {
  const json = JSON.stringify(card);
  const set =
    json.match(/"id":"slot"[^\]]*"choices":(\[[^\]]*\])/) ??
    json.match(/"choices":(\[[^\]]*\])[^}]*"id":"slot"/);
  const choices = set ? (JSON.parse(set[1] as string) as { value: string }[]) : [];
  return choices[0]?.value;
}

export async function graphRequests(
  stack: BenchStack,
  staff: readonly BenchStaff[],
  section: string,
  reviews: number,
): Promise<Figure[]> {
  const { services } = stack.server;
  const today = services.clock.today();
  const byEmail = new Map(staff.map((s) => [s.email, s]));
  // Children due in four to nine weeks, one per IRO (each IRO's calendar has room for it).
  const due = await listDueReviews(services, {
    today,
    from: addDays(today, 28),
    to: addDays(today, 63),
  });
  const seen = new Set<string>();
  const chosen = due.filter((d) => {
    if (!d.iro || !d.socialWorker || d.shortBreak || seen.has(d.iro)) return false;
    seen.add(d.iro);
    return true;
  });
  stack.graph.addUsers(
    [
      ...new Set(
        chosen.slice(0, reviews + 1).flatMap((d) => [d.iro as string, d.socialWorker as string]),
      ),
    ].map((email) => ({
      email,
      displayName: email,
      ...(byEmail.get(email)?.aadObjectId ? { id: byEmail.get(email)?.aadObjectId } : {}),
    })),
  );

  const post = async (activity: unknown) =>
    fetch(`${stack.server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
  const schedule = async (child: string, iroEmail: string): Promise<boolean> => {
    const iro = byEmail.get(iroEmail);
    if (!iro) return false;
    const from = { id: `29:${iro.aadObjectId}`, name: iro.email, aadObjectId: iro.aadObjectId };
    const chat = { type: 'personal' as const, id: `a:${iro.aadObjectId}` };
    const mark = stack.connector.sent.length;
    await (
      await post(messageActivity(stack.connector.url, from, chat, `schedule review for ${child}`))
    ).arrayBuffer();
    const plan = stack.connector.since(mark)[0]?.activity.attachments?.[0]?.content as Card;
    const action = plan?.actions?.find((a) => a.verb === 'review.schedule');
    const slot = firstSlot(plan);
    if (!action || !slot) return false;
    const response = await post(
      cardActionInvoke(stack.connector.url, from, chat, 'review.schedule', {
        ...(action.data as Record<string, string>),
        slot,
        duration: '90',
        venue: 'The foster home',
        invitees: '',
        inviteSocialWorker: 'true',
      }),
    );
    const body = (await response.json()) as { value?: unknown };
    return JSON.stringify(body.value).includes('Review booked');
  };

  const count = async (work: () => Promise<number>) => {
    const before = stack.graph.requests.length;
    const booked = await work();
    const made = stack.graph.requests.slice(before);
    return {
      booked,
      http: made.filter((r) => !r.batchId).length,
      parts: made.filter((r) => r.batchId).length,
      batches: made.filter((r) => r.path === '/$batch').length,
    };
  };
  const [first, ...rest] = chosen;
  const one = await count(async () =>
    first && (await schedule(first.child, first.iro as string)) ? 1 : 0,
  );
  const bulk = await count(async () => {
    let booked = 0;
    for (const d of rest.slice(0, reviews))
      if (await schedule(d.child, d.iro as string)) booked += 1;
    return booked;
  });
  const per100 = (n: number) => (bulk.booked > 0 ? round((n / bulk.booked) * 100, 1) : null);
  return [
    {
      section,
      name: 'Graph HTTP requests per scheduled review',
      value: one.booked === 1 ? one.http : null,
      unit: 'requests',
      note: `${one.batches} $batch carrying ${one.parts} requests`,
    },
    {
      section,
      name: 'Graph HTTP requests per 100 scheduled reviews',
      value: per100(bulk.http),
      unit: 'requests',
      note: `${bulk.booked} booked one after another; ${bulk.batches} $batch carrying ${bulk.parts} requests`,
    },
  ];
}
