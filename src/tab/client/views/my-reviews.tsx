import { useMemo, useState } from 'react';
import {
  Badge,
  Button,
  Field,
  Link,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { Me, ReviewKind, ReviewRow, ReviewState, ReviewsResponse } from '../../api-types.js';
import type { Api } from '../api.js';
import {
  describeDaysLeft,
  formatDay,
  formatInstant,
  formatPeriod,
  monthsIn,
  reviewsPeriod,
  type ReviewsPeriodChoice,
} from '../dates.js';
import { PeriodPicker, type PeriodValue } from '../components/period-picker.js';
import { PageHeading, SectionHeading } from '../components/page-heading.js';
import { ErrorBar, Loading } from '../components/status.js';
import { KIND_LABEL, STATE_LABEL, kindLabel } from '../labels.js';
import { hrefOf } from '../route.js';
import { navigate } from '../use-route.js';
import { refreshAll, useApiData } from '../use-api.js';
import { openScheduleDialog } from '../host.js';
import { MonthCalendar } from './month-calendar.js';
import { StateBadge } from './review-badges.js';

export type ReviewsChoice = Exclude<ReviewsPeriodChoice, 'custom'>;

const CHOICES: { value: ReviewsChoice; label: string }[] = [
  { value: 'thisMonth', label: 'This month' },
  { value: 'nextMonth', label: 'Next month' },
  { value: 'next3Months', label: 'Next 3 months' },
];

interface Filters {
  state: ReviewState | 'all';
  kind: ReviewKind | 'all';
  shortBreaks: 'include' | 'exclude' | 'only';
}

const useStyles = makeStyles({
  controls: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: tokens.spacingHorizontalL,
    marginBottom: tokens.spacingVerticalM,
  },
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
    border: 'none',
    margin: 0,
    padding: 0,
  },
  legend: {
    padding: 0,
    fontWeight: tokens.fontWeightSemibold,
    marginBottom: tokens.spacingVerticalXS,
  },
  panel: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    padding: tokens.spacingHorizontalL,
    marginBottom: tokens.spacingVerticalL,
    boxShadow: tokens.shadow2,
    overflowX: 'auto',
  },
  sub: {
    display: 'block',
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
  },
  // On a narrow screen (a phone, Outlook's side pane) the table keeps its columns readable and
  // its panel scrolls sideways, rather than printing one column over another.
  table: { minWidth: '760px' },
  empty: { margin: 0, color: tokens.colorNeutralForeground2 },
  count: { color: tokens.colorNeutralForeground2, margin: `0 0 ${tokens.spacingVerticalS}` },
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS, minWidth: '12em' },
});

function matches(row: ReviewRow, filters: Filters): boolean {
  if (filters.state !== 'all' && row.state !== filters.state) return false;
  if (filters.kind !== 'all' && row.kind !== filters.kind) return false;
  if (filters.shortBreaks === 'exclude' && row.shortBreak) return false;
  if (filters.shortBreaks === 'only' && !row.shortBreak) return false;
  return true;
}

export function MyReviewsView(props: {
  api: Api;
  me: Me;
  timeZone: string;
  value: PeriodValue<ReviewsChoice>;
  onChange: (value: PeriodValue<ReviewsChoice>) => void;
}) {
  const styles = useStyles();
  const { period } = props.value;
  const loaded = useApiData<ReviewsResponse>(props.api, '/api/tab/reviews', {
    from: period.from,
    to: period.to,
  });
  const [filters, setFilters] = useState<Filters>({
    state: 'all',
    kind: 'all',
    shortBreaks: 'include',
  });

  const lists = useMemo(() => {
    if (loaded.state !== 'ready') return null;
    const overdueIds = new Set(loaded.data.overdue.map((r) => r.childId));
    const overdue = loaded.data.overdue.filter((r) => matches(r, filters));
    const due = loaded.data.due.filter((r) => !overdueIds.has(r.childId) && matches(r, filters));
    const total =
      loaded.data.overdue.length + loaded.data.due.filter((r) => !overdueIds.has(r.childId)).length;
    return { overdue, due, total, showIro: loaded.data.showIro };
  }, [loaded, filters]);

  return (
    <>
      <PageHeading>My reviews</PageHeading>
      <div className={styles.controls}>
        <PeriodPicker
          label="Reviews due"
          choices={CHOICES}
          value={props.value}
          periodOf={(choice) => reviewsPeriod(choice, props.me.today)}
          onChange={props.onChange}
        />
        <fieldset className={styles.filters}>
          <legend className={styles.legend}>Filters</legend>
          <Field label="State">
            <Select
              value={filters.state}
              onChange={(_e, d) => setFilters({ ...filters, state: d.value as Filters['state'] })}
            >
              <option value="all">All states</option>
              {(Object.keys(STATE_LABEL) as ReviewState[]).map((s) => (
                <option key={s} value={s}>
                  {STATE_LABEL[s]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Kind">
            <Select
              value={filters.kind}
              onChange={(_e, d) => setFilters({ ...filters, kind: d.value as Filters['kind'] })}
            >
              <option value="all">All kinds</option>
              {(Object.keys(KIND_LABEL) as ReviewKind[]).map((k) => (
                <option key={k} value={k}>
                  {KIND_LABEL[k]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Short breaks">
            <Select
              value={filters.shortBreaks}
              onChange={(_e, d) =>
                setFilters({ ...filters, shortBreaks: d.value as Filters['shortBreaks'] })
              }
            >
              <option value="include">Include short breaks</option>
              <option value="exclude">Leave out short breaks</option>
              <option value="only">Only short breaks</option>
            </Select>
          </Field>
        </fieldset>
      </div>
      <div aria-live="polite">
        {loaded.state === 'loading' ? <Loading label="Loading your reviews…" /> : null}
        {loaded.state === 'failed' ? <ErrorBar error={loaded.error} /> : null}
        {lists ? (
          <p className={styles.count} data-testid="reviews-count">
            Showing {lists.overdue.length + lists.due.length} of {lists.total} children.
          </p>
        ) : null}
      </div>
      {lists ? (
        <>
          <section className={styles.panel} aria-labelledby="overdue-heading">
            <SectionHeading id="overdue-heading">Overdue ({lists.overdue.length})</SectionHeading>
            {lists.overdue.length ? (
              <ReviewTable
                rows={lists.overdue}
                showIro={lists.showIro}
                timeZone={props.timeZone}
                today={props.me.today}
                labelledBy="overdue-heading"
                testId="overdue-table"
              />
            ) : (
              <p className={styles.empty}>No overdue reviews.</p>
            )}
          </section>
          <section className={styles.panel} aria-labelledby="due-heading">
            <SectionHeading id="due-heading">
              Due {formatPeriod(period)} ({lists.due.length})
            </SectionHeading>
            {lists.due.length ? (
              <ReviewTable
                rows={lists.due}
                showIro={lists.showIro}
                timeZone={props.timeZone}
                today={props.me.today}
                labelledBy="due-heading"
                testId="due-table"
              />
            ) : (
              <p className={styles.empty}>No reviews fall due in this period.</p>
            )}
          </section>
          <section className={styles.panel} aria-labelledby="calendar-heading">
            <SectionHeading id="calendar-heading">Calendar of due dates</SectionHeading>
            <MonthCalendar
              key={`${period.from}/${period.to}`}
              months={monthsIn(period)}
              rows={[...lists.overdue, ...lists.due]}
              today={props.me.today}
            />
          </section>
        </>
      ) : null}
    </>
  );
}

function ReviewTable(props: {
  rows: ReviewRow[];
  showIro: boolean;
  timeZone: string;
  today: string;
  labelledBy: string;
  testId: string;
}) {
  const styles = useStyles();
  const actions = props.rows.some((row) => row.canSchedule);
  return (
    <Table className={styles.table} aria-labelledby={props.labelledBy} data-testid={props.testId}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Child</TableHeaderCell>
          <TableHeaderCell>Due date</TableHeaderCell>
          <TableHeaderCell>Kind</TableHeaderCell>
          <TableHeaderCell>Days left</TableHeaderCell>
          <TableHeaderCell>State</TableHeaderCell>
          {props.showIro ? <TableHeaderCell>IRO</TableHeaderCell> : null}
          <TableHeaderCell>Booked for</TableHeaderCell>
          {actions ? (
            <TableHeaderCell>
              <span className="visually-hidden">Actions</span>
            </TableHeaderCell>
          ) : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {props.rows.map((row) => (
          <TableRow key={row.childId} data-child={row.childId}>
            <TableCell>
              <Link href={hrefOf({ view: 'child', childId: row.childId })}>{row.label}</Link>
            </TableCell>
            <TableCell>
              {formatDay(row.dueDate)}
              {row.holdBy &&
              row.dueDate &&
              row.holdBy !== row.dueDate &&
              row.dueDate >= props.today ? (
                <span className={styles.sub}>
                  {row.holdBy === props.today
                    ? 'Hold by today'
                    : row.holdBy < props.today
                      ? `Hold-by day ${formatDay(row.holdBy)} has passed`
                      : `Hold by ${formatDay(row.holdBy)}`}
                </span>
              ) : null}
            </TableCell>
            <TableCell>{kindLabel(row.kind)}</TableCell>
            <TableCell data-field="daysLeft">{describeDaysLeft(row.daysLeft)}</TableCell>
            <TableCell>
              <span className={styles.badges}>
                <StateBadge state={row.state} />
                {row.needsScheduling ? (
                  // Red within a fortnight, as in the chat's lists, and said in words too.
                  <Badge
                    appearance={row.urgentScheduling ? 'tint' : 'outline'}
                    color={row.urgentScheduling ? 'danger' : 'warning'}
                    shape="rounded"
                    data-urgent={row.urgentScheduling ? 'true' : undefined}
                  >
                    {row.urgentScheduling ? 'Needs booking now' : 'Needs booking'}
                  </Badge>
                ) : null}
                {row.shortBreak ? (
                  <Badge appearance="outline" color="informative" shape="rounded">
                    Short breaks
                  </Badge>
                ) : null}
              </span>
            </TableCell>
            {props.showIro ? <TableCell>{row.iroName ?? 'Not allocated'}</TableCell> : null}
            <TableCell>
              {row.scheduledStart
                ? formatInstant(row.scheduledStart, props.timeZone)
                : 'Not booked'}
            </TableCell>
            {actions ? (
              <TableCell>
                {row.canSchedule ? (
                  <Button
                    size="small"
                    aria-label={`Schedule the review of ${row.label}`}
                    onClick={() => {
                      if (!openScheduleDialog(row.childId, refreshAll))
                        navigate({ view: 'schedule', childId: row.childId });
                    }}
                  >
                    Schedule
                  </Button>
                ) : null}
              </TableCell>
            ) : null}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
