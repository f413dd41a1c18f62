/** The demo sign-in's token, kept for this browser tab only (sessionStorage). */

const KEY = 'iro-assistant.demo-session';

export interface DemoSession {
  email: string;
  token: string;
  expiresAt: string;
}

/**
 * The stored session, if any. Its expiry is not checked here: the server's clock decides (demo
 * and test servers may run on a clock of their own), and a refused token signs the user out.
 */
export function loadDemoSession(): DemoSession | null {
  let raw: string | null;
  try {
    raw = window.sessionStorage.getItem(KEY);
  } catch (error) {
    // Storage can be switched off (private modes, policies): sign in again each time.
    if (!(error instanceof DOMException)) throw error;
    return null;
  }
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<DemoSession>;
    if (
      typeof value.email === 'string' &&
      typeof value.token === 'string' &&
      typeof value.expiresAt === 'string'
    ) {
      return { email: value.email, token: value.token, expiresAt: value.expiresAt };
    }
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
  }
  clearDemoSession();
  return null;
}

export function saveDemoSession(session: DemoSession): void {
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(session));
  } catch (error) {
    // Without storage the session lives as long as the page.
    if (!(error instanceof DOMException)) throw error;
  }
}

export function clearDemoSession(): void {
  try {
    window.sessionStorage.removeItem(KEY);
  } catch (error) {
    if (!(error instanceof DOMException)) throw error;
  }
}
