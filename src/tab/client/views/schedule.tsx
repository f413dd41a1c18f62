import { useEffect, useRef, useState } from 'react';
import { Button, Link, makeStyles, tokens } from '@fluentui/react-components';
import type * as AC from 'adaptivecards';
import type { CardResponse } from '../../api-types.js';
import type { Api } from '../api.js';
import type { ThemeName } from '../host.js';
import { closeDialog, inDialog } from '../host.js';
import { PageHeading } from '../components/page-heading.js';
import { ErrorBar, Loading } from '../components/status.js';
import { hrefOf } from '../route.js';
import { asFailure } from '../use-api.js';
import type { ApiFailure } from '../api.js';

const useStyles = makeStyles({
  card: {
    maxWidth: '640px',
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    padding: tokens.spacingHorizontalL,
    boxShadow: tokens.shadow2,
    marginBottom: tokens.spacingVerticalL,
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM },
});

/** Colours for the card's text in each theme, from the same palette as the page. */
const FOREGROUND: Record<
  ThemeName,
  { default: string; subtle: string; accent: string; attention: string; good: string }
> = {
  light: {
    default: '#242424',
    subtle: '#616161',
    accent: '#4f52b2',
    attention: '#b10e1c',
    good: '#0e700e',
  },
  dark: {
    default: '#ffffff',
    subtle: '#d6d6d6',
    accent: '#9ea2ff',
    attention: '#ff99a4',
    good: '#9fd89f',
  },
  contrast: {
    default: '#ffffff',
    subtle: '#ffffff',
    accent: '#ffff00',
    attention: '#ffff00',
    good: '#3ff23f',
  },
};

function hostConfig(cards: typeof AC, theme: ThemeName): AC.HostConfig {
  const c = FOREGROUND[theme];
  const colour = (value: string) => ({ default: value, subtle: value });
  const foregroundColors = {
    default: colour(c.default),
    dark: colour(c.default),
    light: colour(c.subtle),
    accent: colour(c.accent),
    good: colour(c.good),
    warning: colour(c.attention),
    attention: colour(c.attention),
  };
  return new cards.HostConfig({
    fontFamily: 'inherit',
    supportsInteractivity: true,
    containerStyles: {
      default: { backgroundColor: 'transparent', foregroundColors },
      emphasis: { backgroundColor: theme === 'light' ? '#f5f5f5' : '#1f1f1f', foregroundColors },
    },
    actions: { actionsOrientation: 'horizontal', buttonSpacing: 8, maxActions: 6 },
  });
}

/**
 * The chat's own scheduling card, shown in the tab (or the host's dialog) with the adaptivecards
 * library: the server proposes the times, books, moves or cancels exactly as in the chat; the
 * page only renders the card it gets back after each press.
 */
export function ScheduleView(props: { api: Api; childId: string; theme: ThemeName }) {
  const styles = useStyles();
  const host = useRef<HTMLDivElement>(null);
  const [card, setCard] = useState<Record<string, unknown> | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const dialog = inDialog();
  const { api, childId, theme } = props;

  useEffect(() => {
    let current = true;
    setCard(null);
    api.get<CardResponse>(`/api/tab/children/${encodeURIComponent(childId)}/schedule`).then(
      (answer) => current && setCard(answer.card),
      (failure: unknown) => current && setError(asFailure(failure)),
    );
    return () => {
      current = false;
    };
  }, [api, childId]);

  // The card renderer is loaded only when someone schedules (it is not needed for the first view).
  const [cards, setCards] = useState<typeof AC | null>(null);
  useEffect(() => {
    let current = true;
    import('adaptivecards').then(
      (module) => current && setCards(module),
      (failure: unknown) => current && setError(asFailure(failure)),
    );
    return () => {
      current = false;
    };
  }, []);

  useEffect(() => {
    const target = host.current;
    if (!card || !target || !cards) return;
    const adaptive = new cards.AdaptiveCard();
    adaptive.hostConfig = hostConfig(cards, theme);
    adaptive.onExecuteAction = (action) => {
      if (action instanceof cards.OpenUrlAction && action.url) {
        window.open(action.url, '_blank', 'noopener');
        return;
      }
      if (!(action instanceof cards.ExecuteAction) || !action.verb) return;
      setBusy(true);
      setError(null);
      api
        .post<CardResponse>('/api/tab/cards/scheduling', {
          verb: action.verb,
          data: action.data ?? {},
        })
        .then(
          (answer) => setCard(answer.card),
          (failure: unknown) => setError(asFailure(failure)),
        )
        .finally(() => setBusy(false));
    };
    adaptive.parse(card);
    const rendered = adaptive.render();
    target.replaceChildren(...(rendered ? [rendered] : []));
    return () => target.replaceChildren();
  }, [card, cards, theme, api]);

  return (
    <>
      {dialog ? null : (
        <p>
          <Link href={hrefOf({ view: 'reviews' })}>‹ Back to My reviews</Link>
        </p>
      )}
      <PageHeading>Schedule the review of {childId}</PageHeading>
      {error ? <ErrorBar error={error} title="That did not work" /> : null}
      {card && cards ? null : error ? null : (
        <Loading label="Finding free times in the calendars…" />
      )}
      <section className={styles.card} aria-busy={busy} aria-label="Scheduling card">
        <div ref={host} />
      </section>
      <div className={styles.actions}>
        {dialog ? (
          <Button onClick={closeDialog}>Close</Button>
        ) : (
          <Button as="a" href={hrefOf({ view: 'child', childId })}>
            Open the child&apos;s page
          </Button>
        )}
      </div>
    </>
  );
}
