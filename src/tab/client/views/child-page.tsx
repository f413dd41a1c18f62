import {
  Badge,
  Button,
  Link,
  MessageBar,
  MessageBarBody,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ChildPage, ChildReview } from '../../api-types.js';
import type { Api } from '../api.js';
import { formatDay, formatInstant } from '../dates.js';
import { PageHeading, SectionHeading } from '../components/page-heading.js';
import { ErrorBar, Loading } from '../components/status.js';
import {
  ALERT_OUTCOME_LABEL,
  ALERT_STAGE_LABEL,
  MIDWAY_LABEL,
  PN_LABEL,
  attendanceSummary,
  kindLabel,
  midwayStanding,
  noMidwayAnswerText,
} from '../labels.js';
import { openScheduleDialog } from '../host.js';
import { hrefOf } from '../route.js';
import { refreshAll, useApiData } from '../use-api.js';
import { navigate } from '../use-route.js';

export const NOT_FOUND_TEXT = 'No child with that ID in your caseload';

const useStyles = makeStyles({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
  },
  dt: { fontWeight: tokens.fontWeightSemibold },
  dd: { margin: 0 },
  panel: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    padding: tokens.spacingHorizontalL,
    marginBottom: tokens.spacingVerticalL,
    boxShadow: tokens.shadow2,
    overflowX: 'auto',
  },
  // On a narrow screen (a phone, Outlook's side pane) the table keeps its columns readable and
  // its panel scrolls sideways, rather than printing one column over another.
  table: { minWidth: '640px' },
  empty: { margin: 0, color: tokens.colorNeutralForeground2 },
  note: { display: 'block', color: tokens.colorNeutralForeground2 },
  back: { display: 'inline-block', marginBottom: tokens.spacingVerticalM },
  actions: { marginBottom: tokens.spacingVerticalL },
});

function timeliness(review: ChildReview, today: string): { text: string; late: boolean | null } {
  if (review.status === 'scheduled') return { text: 'Booked', late: null };
  if (review.status !== 'held') {
    return review.dueDate && review.dueDate < today
      ? { text: 'Overdue', late: true }
      : { text: 'Not held yet', late: null };
  }
  if (review.onTime === true) return { text: 'On time', late: false };
  if (review.onTime === false) {
    const days = review.daysLate ?? 0;
    return { text: `Late by ${days} ${days === 1 ? 'day' : 'days'}`, late: true };
  }
  return { text: 'Not known', late: null };
}

/**
 * "Second review due Sat 5 December 2026 (hold by Fri 4 December 2026)", and whether it is
 * booked: as the chat's lists, an unbooked review due within 20 working days is flagged, in red
 * within a fortnight or once overdue. The hold-by day is left out once the review is overdue.
 */
function NextReview(props: { child: ChildPage; today: string; timeZone: string }) {
  const styles = useStyles();
  const { next, reviews } = props.child;
  if (!next.dueDate) return <>Due date not known</>;
  const holdBy =
    next.holdBy && next.dueDate >= props.today ? ` (hold by ${formatDay(next.holdBy)})` : '';
  const booked = reviews.find((r) => r.status === 'scheduled')?.scheduledStart ?? null;
  return (
    <>
      {`${kindLabel(next.kind)} review due ${formatDay(next.dueDate)}${holdBy}`}
      <span className={styles.note} data-field="booking">
        {booked ? (
          `Booked for ${formatInstant(booked, props.timeZone)}`
        ) : next.needsScheduling || next.urgentScheduling ? (
          <Badge
            appearance="tint"
            shape="rounded"
            color={next.urgentScheduling ? 'danger' : 'warning'}
            data-urgent={next.urgentScheduling ? 'true' : undefined}
          >
            {/* Said in words as well as in red (never colour alone). */}
            {!next.urgentScheduling
              ? '⚠ Not booked yet'
              : next.dueDate < props.today
                ? '⚠ Not booked yet, and overdue'
                : '⚠ Not booked yet, due within a fortnight'}
          </Badge>
        ) : (
          'Not booked yet'
        )}
      </span>
    </>
  );
}

export function ChildView(props: { api: Api; childId: string; timeZone: string; today: string }) {
  const styles = useStyles();
  const loaded = useApiData<ChildPage>(
    props.api,
    `/api/tab/children/${encodeURIComponent(props.childId)}`,
  );
  const back = (
    <Link className={styles.back} href={hrefOf({ view: 'reviews' })}>
      ‹ Back to My reviews
    </Link>
  );

  if (loaded.state !== 'ready') {
    const notFound = loaded.state === 'failed' && loaded.error.status === 404;
    return (
      <>
        {back}
        <PageHeading>{notFound ? 'Child not found' : 'Child'}</PageHeading>
        <div aria-live="polite">
          {loaded.state === 'loading' ? <Loading label="Loading the child's reviews…" /> : null}
          {notFound ? (
            <div role="alert">
              <MessageBar intent="warning">
                <MessageBarBody>{NOT_FOUND_TEXT}.</MessageBarBody>
              </MessageBar>
            </div>
          ) : loaded.state === 'failed' ? (
            <ErrorBar error={loaded.error} />
          ) : null}
        </div>
      </>
    );
  }

  const child = loaded.data;
  const midway = midwayStanding(child.midwayCheck, child.next.midwayDate, props.today);
  const last =
    child.reviews
      .filter((r) => r.status === 'held' && r.heldOn)
      .sort((a, b) => ((a.heldOn ?? '') < (b.heldOn ?? '') ? 1 : -1))[0] ?? null;
  return (
    <>
      {back}
      <PageHeading>Child {child.label}</PageHeading>
      {child.canSchedule ? (
        <div className={styles.actions}>
          <Button
            appearance="primary"
            onClick={() => {
              if (!openScheduleDialog(child.childId, refreshAll))
                navigate({ view: 'schedule', childId: child.childId });
            }}
          >
            {child.reviews.some((r) => r.status === 'scheduled')
              ? 'Move or cancel the booked review'
              : 'Schedule the next review'}
          </Button>
        </div>
      ) : null}
      <section className={styles.panel} aria-labelledby="child-summary">
        <SectionHeading id="child-summary">Summary</SectionHeading>
        <dl className={styles.facts}>
          <dt className={styles.dt}>Period of care</dt>
          <dd className={styles.dd} data-field="period">
            {child.period
              ? `${child.period.startKnown ? 'From' : 'Before'} ${formatDay(child.period.start)}${
                  child.period.end ? ` to ${formatDay(child.period.end)}` : ', ongoing'
                }${child.period.shortBreak ? ' (short breaks)' : ''}`
              : 'Not looked after now'}
          </dd>
          <dt className={styles.dt}>IRO</dt>
          <dd className={styles.dd}>{child.iroName ?? 'Not allocated'}</dd>
          <dt className={styles.dt}>Social worker</dt>
          <dd className={styles.dd}>{child.socialWorkerName ?? 'Not allocated'}</dd>
          <dt className={styles.dt}>Next review</dt>
          <dd className={styles.dd} data-field="next">
            <NextReview child={child} today={props.today} timeZone={props.timeZone} />
          </dd>
          <dt className={styles.dt}>Midway review</dt>
          <dd className={styles.dd} data-field="midway">
            {child.next.midwayDate ? formatDay(child.next.midwayDate) : 'Not set'}
            {child.next.midwayDate || child.midwayCheck ? (
              <span className={styles.note}>{midway.text}</span>
            ) : null}
          </dd>
        </dl>
      </section>

      <section className={styles.panel} aria-labelledby="child-reviews">
        <SectionHeading id="child-reviews">Reviews ({child.reviews.length})</SectionHeading>
        {child.reviews.length ? (
          <Table
            className={styles.table}
            aria-labelledby="child-reviews"
            data-testid="child-reviews"
          >
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Due</TableHeaderCell>
                <TableHeaderCell>Kind</TableHeaderCell>
                <TableHeaderCell>Held</TableHeaderCell>
                <TableHeaderCell>Timeliness</TableHeaderCell>
                <TableHeaderCell>PN code</TableHeaderCell>
                <TableHeaderCell>Attendance</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {child.reviews.map((review, i) => {
                const t = timeliness(review, props.today);
                return (
                  <TableRow key={`${review.dueDate ?? 'x'}-${i}`}>
                    <TableCell>{formatDay(review.dueDate)}</TableCell>
                    <TableCell>{kindLabel(review.kind)}</TableCell>
                    <TableCell>
                      {review.heldOn
                        ? formatDay(review.heldOn)
                        : review.scheduledStart
                          ? `Booked ${formatInstant(review.scheduledStart, props.timeZone)}`
                          : 'Not held'}
                    </TableCell>
                    <TableCell>
                      {t.late === null ? (
                        t.text
                      ) : (
                        <Badge
                          appearance="tint"
                          shape="rounded"
                          color={t.late ? 'danger' : 'success'}
                        >
                          {t.text}
                        </Badge>
                      )}
                    </TableCell>
                    <TableCell>
                      {review.participation ? (
                        <>
                          {review.participation}
                          <span className={styles.note}>{PN_LABEL[review.participation]}</span>
                        </>
                      ) : (
                        ''
                      )}
                    </TableCell>
                    <TableCell>
                      {review.status === 'held' ? attendanceSummary(review.attendance) : ''}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        ) : (
          <p className={styles.empty}>No reviews yet.</p>
        )}
      </section>

      <section className={styles.panel} aria-labelledby="child-decisions">
        <SectionHeading id="child-decisions">
          Decisions of the last review{last?.heldOn ? ` (${formatDay(last.heldOn)})` : ''}
        </SectionHeading>
        {child.decisions.length ? (
          <Table className={styles.table} aria-labelledby="child-decisions">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Decision</TableHeaderCell>
                <TableHeaderCell>Who</TableHeaderCell>
                <TableHeaderCell>By</TableHeaderCell>
                <TableHeaderCell>Done</TableHeaderCell>
                <TableHeaderCell>Midway answer</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {child.decisions.map((decision) => (
                <TableRow key={decision.id}>
                  <TableCell>{decision.description}</TableCell>
                  <TableCell>
                    {decision.ownerName ??
                      (decision.ownerOutsideStaff ? 'Someone not on the staff list' : '')}
                  </TableCell>
                  <TableCell>{decision.dueOn ? formatDay(decision.dueOn) : ''}</TableCell>
                  <TableCell>{decision.doneOn ? formatDay(decision.doneOn) : 'Not yet'}</TableCell>
                  <TableCell data-field="midway-answer">
                    {decision.midway ? (
                      <>
                        {MIDWAY_LABEL[decision.midway.status]}
                        {decision.midway.note ? (
                          <span className={styles.note}>{decision.midway.note}</span>
                        ) : null}
                      </>
                    ) : (
                      noMidwayAnswerText(midway)
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : (
          <p className={styles.empty}>No decisions recorded.</p>
        )}
      </section>

      <section className={styles.panel} aria-labelledby="child-alerts">
        <SectionHeading id="child-alerts">Practice alerts ({child.alerts.length})</SectionHeading>
        {child.alerts.length ? (
          <Table className={styles.table} aria-labelledby="child-alerts">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Stage</TableHeaderCell>
                <TableHeaderCell>Raised</TableHeaderCell>
                <TableHeaderCell>Stage due</TableHeaderCell>
                <TableHeaderCell>Outcome</TableHeaderCell>
                <TableHeaderCell>Closed</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {child.alerts.map((alert) => (
                <TableRow key={alert.id}>
                  <TableCell>{ALERT_STAGE_LABEL[alert.stage]}</TableCell>
                  <TableCell>{formatDay(alert.raisedOn)}</TableCell>
                  <TableCell>{alert.stageDueOn ? formatDay(alert.stageDueOn) : ''}</TableCell>
                  <TableCell>
                    {alert.outcome
                      ? ALERT_OUTCOME_LABEL[alert.outcome]
                      : alert.respondedOn
                        ? `Open: the manager responded on ${formatDay(alert.respondedOn)}; waiting for the IRO`
                        : 'Open: waiting for the manager'}
                  </TableCell>
                  <TableCell>{alert.closedOn ? formatDay(alert.closedOn) : ''}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : (
          <p className={styles.empty}>No practice alerts.</p>
        )}
      </section>
    </>
  );
}
