import type * as TeamsJsModule from '@microsoft/teams-js';

/** teams-js, once the page has loaded it (only where a host may be around it). */
type TeamsJs = typeof TeamsJsModule;
let teams: TeamsJs | null = null;

/** The Fluent theme the page shows: the host's, or light outside a host. */
export type ThemeName = 'light' | 'dark' | 'contrast';

/** teams-js themes: `default`, `dark`, `contrast`, and newer ones such as `glass` (shown light). */
export function themeFromHost(theme: string | undefined | null): ThemeName {
  if (theme === 'dark') return 'dark';
  if (theme === 'contrast') return 'contrast';
  return 'light';
}

export interface Host {
  /** `Teams`, `Outlook`, `Office`, ... (for wording only; capabilities are checked with isSupported). */
  name: string;
  theme: ThemeName;
  onThemeChange(handler: (theme: ThemeName) => void): void;
  getToken(): Promise<string>;
}

const INITIALIZE_WAIT_MS = 1500;

/**
 * Whether a host may be around the page, as teams-js itself looks for one: a parent frame (Teams,
 * Outlook and the Microsoft 365 app on the web and desktop), an opener (a window the host
 * opened), or the native bridge the mobile apps put on a page they show without a frame.
 */
export function mayBeHosted(): boolean {
  return window.parent !== window || Boolean(window.opener) || 'nativeInterface' in window;
}

/**
 * Connects to Teams, Outlook or the Microsoft 365 app when the page runs inside one. teams-js is
 * loaded only then: as soon as it loads, it fetches its list of host origins from Microsoft's CDN
 * (res.cdn.office.net), which a page opened in a plain browser has no reason to call. Outside a
 * host, teams-js fails at once for a top-level page but waits 60 s in a frame whose parent never
 * answers, so the handshake is raced against a short timer.
 */
export async function connectToHost(): Promise<Host | null> {
  if (!mayBeHosted()) return null;
  teams ??= await import('@microsoft/teams-js');
  const { app, authentication } = teams;
  const answered = await Promise.race([
    app.initialize().then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), INITIALIZE_WAIT_MS)),
  ]);
  if (!answered) return null;
  const context = await app.getContext();
  return {
    name: context.app.host.name,
    theme: themeFromHost(context.app.theme),
    onThemeChange(handler) {
      app.registerOnThemeChangeHandler((theme) => handler(themeFromHost(theme)));
    },
    getToken: () => authentication.getAuthToken(),
  };
}

/** teams-js when the page is connected to a host; null in a plain browser. */
function connected(): TeamsJs | null {
  return teams?.app.isInitialized() ? teams : null;
}

/** Tells the host the tab has loaded (it hides its own loading indicator). */
export function notifyHostLoaded(): void {
  const host = connected();
  if (!host) return;
  host.app.notifySuccess().catch((error: unknown) => {
    reportBackground('notifySuccess', error);
  });
}

function reportBackground(what: string, error: unknown): void {
  // No console in production code paths the linter forbids: keep the fact on the document for
  // support staff reading the DOM, without any personal data.
  document.documentElement.dataset['hostWarning'] = `${what}: ${
    error instanceof Error ? error.message : String(error)
  }`;
}

/** The page runs inside the host's dialog (opened by openScheduleDialog). */
export function inDialog(): boolean {
  return new URLSearchParams(window.location.search).get('dialog') === '1';
}

/**
 * Opens the scheduling card for a child in the host's dialog when the host has dialogs (Teams,
 * Outlook on the web, the Microsoft 365 app); returns false when it has not (a plain browser,
 * classic Outlook), and the caller shows the same card in the page instead.
 */
export function openScheduleDialog(childId: string, onClosed: () => void): boolean {
  const host = connected();
  if (!host || !host.dialog.url.isSupported()) return false;
  host.dialog.url.open(
    {
      url: `${window.location.origin}/tab/?dialog=1#/schedule/${encodeURIComponent(childId)}`,
      title: 'Schedule the review',
      size: { height: host.DialogDimension.Large, width: host.DialogDimension.Medium },
    },
    () => onClosed(),
  );
  return true;
}

/** Closes the host's dialog (the opener then loads its lists again). */
export function closeDialog(): void {
  const host = connected();
  if (host?.dialog.url.isSupported()) host.dialog.url.submit('done');
}
