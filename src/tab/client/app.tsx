import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  FluentProvider,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  makeStyles,
  tokens,
  type Theme,
} from '@fluentui/react-components';
import type { Me, TabConfig } from '../api-types.js';
import { createApi, fetchConfig, type Api, type TokenSource } from './api.js';
import {
  clearDemoSession,
  loadDemoSession,
  saveDemoSession,
  type DemoSession,
} from './demo-session.js';
import { connectToHost, notifyHostLoaded, type Host, type ThemeName } from './host.js';
import { ErrorBar, Loading } from './components/status.js';
import { asFailure, useApiData } from './use-api.js';
import { DemoSignInView } from './views/demo-sign-in.js';
import { Shell } from './views/shell.js';
import type { ApiFailure } from './api.js';

const THEMES: Record<ThemeName, Theme> = {
  light: teamsLightTheme,
  dark: teamsDarkTheme,
  contrast: teamsHighContrastTheme,
};

const useStyles = makeStyles({
  provider: {
    minHeight: '100vh',
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground1,
  },
  centred: {
    maxWidth: '720px',
    margin: '0 auto',
    padding: tokens.spacingHorizontalXXL,
  },
});

type Boot =
  | { state: 'starting' }
  | { state: 'failed'; error: ApiFailure }
  | { state: 'ready'; config: TabConfig; host: Host | null };

/** `?theme=dark|contrast|light` chooses the theme in demo mode (screenshots, trying themes out). */
function demoThemeFromQuery(): ThemeName | null {
  const theme = new URLSearchParams(window.location.search).get('theme');
  return theme === 'dark' || theme === 'contrast' || theme === 'light' ? theme : null;
}

export function App() {
  const styles = useStyles();
  const [boot, setBoot] = useState<Boot>({ state: 'starting' });
  const [theme, setTheme] = useState<ThemeName>('light');
  const [demo, setDemo] = useState<DemoSession | null>(() => loadDemoSession());

  useEffect(() => {
    let current = true;
    Promise.all([fetchConfig(), connectToHost()]).then(
      ([config, host]) => {
        if (!current) return;
        const fromQuery = config.auth === 'demo' ? demoThemeFromQuery() : null;
        if (host) {
          setTheme(fromQuery ?? host.theme);
          host.onThemeChange((next) => setTheme(next));
          notifyHostLoaded();
        } else if (fromQuery) {
          setTheme(fromQuery);
        }
        setBoot({ state: 'ready', config, host });
      },
      (error: unknown) => {
        if (current) setBoot({ state: 'failed', error: asFailure(error) });
      },
    );
    return () => {
      current = false;
    };
  }, []);

  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);

  const signOut = useCallback(() => {
    clearDemoSession();
    setDemo(null);
  }, []);
  const demoToken = useCallback(() => Promise.resolve(demo?.token ?? ''), [demo]);

  let content;
  if (boot.state === 'starting') {
    content = (
      <div className={styles.centred}>
        <Loading label="Starting IRO Assistant…" />
      </div>
    );
  } else if (boot.state === 'failed') {
    content = (
      <main className={styles.centred}>
        <h1>IRO Assistant</h1>
        <ErrorBar error={boot.error} title="The tab could not start" />
      </main>
    );
  } else if (boot.config.auth === 'demo') {
    content = demo ? (
      <SignedIn
        key={demo.email}
        theme={theme}
        config={boot.config}
        token={demoToken}
        onUnauthorised={signOut}
        onSwitchUser={signOut}
      />
    ) : (
      <DemoSignInView
        onSignedIn={(session) => {
          saveDemoSession(session);
          setDemo(session);
        }}
      />
    );
  } else if (boot.host) {
    content = (
      <SignedIn
        theme={theme}
        config={boot.config}
        token={boot.host.getToken}
        onUnauthorised={ignore}
      />
    );
  } else {
    content = (
      <main className={styles.centred}>
        <h1>IRO Assistant</h1>
        <MessageBar intent="info">
          <MessageBarBody>
            <MessageBarTitle>
              Open IRO Assistant in Teams, Outlook or the Microsoft 365 app
            </MessageBarTitle>
            This page signs you in through Microsoft Teams, Outlook or the Microsoft 365 app. Open
            IRO Assistant from the apps in one of them.
          </MessageBarBody>
        </MessageBar>
      </main>
    );
  }

  return (
    <FluentProvider theme={THEMES[theme]} className={styles.provider}>
      {content}
    </FluentProvider>
  );
}

/** In a host, a refused SSO token is not the user's to fix: the error bar says what happened. */
const ignore = () => undefined;

function SignedIn(props: {
  theme: ThemeName;
  config: TabConfig;
  token: TokenSource;
  onUnauthorised: () => void;
  onSwitchUser?: () => void;
}) {
  const styles = useStyles();
  const { token, onUnauthorised } = props;
  const api: Api = useMemo(() => createApi(token, onUnauthorised), [token, onUnauthorised]);
  const me = useApiData<Me>(api, '/api/tab/me');
  if (me.state === 'loading') {
    return (
      <div className={styles.centred}>
        <Loading label="Signing you in…" />
      </div>
    );
  }
  if (me.state === 'failed') {
    return (
      <main className={styles.centred}>
        <h1>IRO Assistant</h1>
        <ErrorBar error={me.error} title="You could not be signed in" />
      </main>
    );
  }
  return (
    <Shell
      api={api}
      me={me.data}
      timeZone={props.config.timeZone}
      theme={props.theme}
      onSwitchUser={props.onSwitchUser}
    />
  );
}
