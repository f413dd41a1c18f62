import { app, authentication, dialog, DialogDimension } from '@microsoft/teams-js';

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
 * Connects to Teams, Outlook or the Microsoft 365 app when the page runs inside one. Outside a
 * host, teams-js fails at once for a top-level page but waits 60 s in a frame whose parent never
 * answers, so a top-level page is recognised without asking and the handshake is raced against a
 * short timer.
 */
export async function connectToHost(): Promise<Host | null> {
  if (window.parent === window && !window.opener) return null;
  const connected = await Promise.race([
    app.initialize().then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), INITIALIZE_WAIT_MS)),
  ]);
  if (!connected) return null;
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

/** Tells the host the tab has loaded (it hides its own loading indicator). */
export function notifyHostLoaded(): void {
  if (!app.isInitialized()) return;
  app.notifySuccess().catch((error: unknown) => {
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
  if (!app.isInitialized() || !dialog.url.isSupported()) return false;
  dialog.url.open(
    {
      url: `${window.location.origin}/tab/?dialog=1#/schedule/${encodeURIComponent(childId)}`,
      title: 'Schedule the review',
      size: { height: DialogDimension.Large, width: DialogDimension.Medium },
    },
    () => onClosed(),
  );
  return true;
}

/** Closes the host's dialog (the opener then loads its lists again). */
export function closeDialog(): void {
  if (app.isInitialized() && dialog.url.isSupported()) dialog.url.submit('done');
}
