import { useEffect, useState } from 'react';
import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { DemoUsers } from '../../api-types.js';
import { demoSignIn, fetchDemoUsers, type ApiFailure } from '../api.js';
import type { DemoSession } from '../demo-session.js';
import { ErrorBar, Loading } from '../components/status.js';
import { ROLE_LABEL } from '../labels.js';
import { asFailure } from '../use-api.js';

const useStyles = makeStyles({
  main: {
    maxWidth: '880px',
    margin: '0 auto',
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXL}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
  },
  h1: { margin: 0, fontSize: tokens.fontSizeBase600, lineHeight: tokens.lineHeightBase600 },
  card: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    padding: tokens.spacingHorizontalL,
    boxShadow: tokens.shadow4,
  },
});

/**
 * The demo sign-in: only offered when the server has no Microsoft Entra settings (local runs),
 * and marked as demo data everywhere.
 */
export function DemoSignInView({ onSignedIn }: { onSignedIn: (session: DemoSession) => void }) {
  const styles = useStyles();
  const [users, setUsers] = useState<DemoUsers['users'] | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    fetchDemoUsers().then(
      (data) => {
        if (current) setUsers(data.users);
      },
      (failure: unknown) => {
        if (current) setError(asFailure(failure));
      },
    );
    return () => {
      current = false;
    };
  }, []);

  const signIn = (email: string) => {
    setBusy(email);
    setError(null);
    demoSignIn(email).then(
      (answer) => onSignedIn({ email, token: answer.token, expiresAt: answer.expiresAt }),
      (failure: unknown) => {
        setBusy(null);
        setError(asFailure(failure));
      },
    );
  };

  return (
    <main className={styles.main}>
      <h1 className={styles.h1}>IRO Assistant: Demo sign-in</h1>
      <MessageBar intent="warning">
        <MessageBarBody>
          <MessageBarTitle>Demo data</MessageBarTitle>
          This server runs without Microsoft Entra sign-in. The children and staff are made up: do
          not use it for real children.
        </MessageBarBody>
      </MessageBar>
      <div aria-live="polite">
        {error ? <ErrorBar error={error} title="Sign-in failed" /> : null}
      </div>
      <section className={styles.card} aria-labelledby="demo-users-heading">
        <h2 id="demo-users-heading">Choose a demo user</h2>
        {users === null && !error ? <Loading label="Loading the demo users…" /> : null}
        {users ? (
          <Table aria-labelledby="demo-users-heading">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Role</TableHeaderCell>
                <TableHeaderCell>Team</TableHeaderCell>
                <TableHeaderCell>
                  <span className="visually-hidden">Action</span>
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {users.map((user) => (
                <TableRow key={user.email}>
                  <TableCell>{user.name}</TableCell>
                  <TableCell>{ROLE_LABEL[user.role]}</TableCell>
                  <TableCell>{user.team ?? ''}</TableCell>
                  <TableCell>
                    <Button
                      appearance="primary"
                      size="small"
                      disabled={busy !== null}
                      aria-label={`Sign in as ${user.name}, ${ROLE_LABEL[user.role]}`}
                      data-email={user.email}
                      onClick={() => signIn(user.email)}
                    >
                      {busy === user.email ? 'Signing in…' : 'Sign in'}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : null}
      </section>
    </main>
  );
}
