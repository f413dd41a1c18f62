import { useId, useState } from 'react';
import { Button, Link, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { ReviewRow } from '../../api-types.js';
import {
  addDays,
  daysInMonth,
  formatDay,
  formatMonth,
  weekdayIndex,
  type IsoDate,
} from '../dates.js';
import { STATE_LABEL } from '../labels.js';
import { hrefOf } from '../route.js';

const WEEKDAYS = [
  ['Mon', 'Monday'],
  ['Tue', 'Tuesday'],
  ['Wed', 'Wednesday'],
  ['Thu', 'Thursday'],
  ['Fri', 'Friday'],
  ['Sat', 'Saturday'],
  ['Sun', 'Sunday'],
] as const;

const useStyles = makeStyles({
  bar: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    marginBottom: tokens.spacingVerticalS,
  },
  month: { margin: 0, fontSize: tokens.fontSizeBase400, minWidth: '12em', textAlign: 'center' },
  table: { width: '100%', borderCollapse: 'collapse', tableLayout: 'fixed' },
  th: {
    padding: tokens.spacingVerticalXS,
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground2,
    textAlign: 'left',
  },
  cell: {
    verticalAlign: 'top',
    height: '5.5em',
    padding: tokens.spacingHorizontalXS,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  outside: { backgroundColor: tokens.colorNeutralBackground3 },
  today: {
    outline: `${tokens.strokeWidthThick} solid ${tokens.colorBrandStroke1}`,
    outlineOffset: '-2px',
  },
  day: {
    display: 'block',
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
  },
  list: { listStyle: 'none', margin: 0, padding: 0, fontSize: tokens.fontSizeBase200 },
  item: { overflowWrap: 'anywhere', marginTop: '2px' },
  overdue: { fontWeight: tokens.fontWeightSemibold },
});

/** Due dates on a month grid (a table: weekdays as column headers, one row per week). */
export function MonthCalendar(props: { months: IsoDate[]; rows: ReviewRow[]; today: IsoDate }) {
  const styles = useStyles();
  const headingId = useId();
  // Open on the first month with a due date in it (a 3-month period may start with an empty one).
  const [index, setIndex] = useState(() => {
    const first = props.rows
      .map((r) => r.dueDate)
      .filter((d): d is IsoDate => d !== null && d >= (props.months[0] ?? ''))
      .sort()[0];
    const at = first ? props.months.indexOf(`${first.slice(0, 7)}-01`) : -1;
    return at > 0 ? at : 0;
  });
  const month = props.months[Math.min(index, props.months.length - 1)];
  if (!month) return null;
  const [y, m] = month.split('-').map(Number) as [number, number];
  const lead = weekdayIndex(month);
  const length = daysInMonth(y, m);
  const cells: (IsoDate | null)[] = [];
  for (let i = 0; i < lead; i += 1) cells.push(null);
  for (let d = 0; d < length; d += 1) cells.push(addDays(month, d));
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (IsoDate | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  const byDay = new Map<IsoDate, ReviewRow[]>();
  for (const row of props.rows) {
    if (!row.dueDate) continue;
    byDay.set(row.dueDate, [...(byDay.get(row.dueDate) ?? []), row]);
  }

  return (
    <div>
      <div className={styles.bar}>
        <Button
          size="small"
          disabled={index === 0}
          onClick={() => setIndex(index - 1)}
          aria-label="Previous month"
        >
          ‹ Previous
        </Button>
        <h3 id={headingId} className={styles.month} aria-live="polite">
          {formatMonth(month)}
        </h3>
        <Button
          size="small"
          disabled={index >= props.months.length - 1}
          onClick={() => setIndex(index + 1)}
          aria-label="Next month"
        >
          Next ›
        </Button>
      </div>
      <table className={styles.table} aria-labelledby={headingId} data-testid="calendar">
        <thead>
          <tr>
            {WEEKDAYS.map(([short, long]) => (
              <th key={short} scope="col" className={styles.th}>
                <abbr title={long}>{short}</abbr>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week, w) => (
            <tr key={w}>
              {week.map((day, d) => {
                if (!day)
                  return <td key={d} className={mergeClasses(styles.cell, styles.outside)} />;
                const due = byDay.get(day) ?? [];
                return (
                  <td
                    key={d}
                    className={mergeClasses(styles.cell, day === props.today && styles.today)}
                    aria-current={day === props.today ? 'date' : undefined}
                  >
                    <span className={styles.day}>
                      <span aria-hidden="true">{Number(day.slice(8))}</span>
                      <span className="visually-hidden">{formatDay(day)}</span>
                    </span>
                    {due.length ? (
                      <ul className={styles.list}>
                        {due.map((row) => (
                          <li
                            key={row.childId}
                            className={mergeClasses(
                              styles.item,
                              row.state === 'overdue' && styles.overdue,
                            )}
                          >
                            <Link href={hrefOf({ view: 'child', childId: row.childId })}>
                              {row.label}
                            </Link>{' '}
                            <span>({STATE_LABEL[row.state].toLowerCase()})</span>
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
