import {
  Badge,
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
import type { CaseloadIro, CaseloadResponse, Me } from '../../api-types.js';
import type { Api } from '../api.js';
import { chartMonth, formatDate, reportPeriod } from '../dates.js';
import { BarChart } from '../components/bar-chart.js';
import { PeriodPicker, type PeriodValue } from '../components/period-picker.js';
import { PageHeading, SectionHeading } from '../components/page-heading.js';
import { ErrorBar, Loading } from '../components/status.js';
import {
  PN_CODES,
  PN_LABEL,
  formatCount,
  formatFte,
  formatPercent,
  formatPerFte,
  sentenceCase,
  share,
} from '../labels.js';
import { useApiData } from '../use-api.js';
import { REPORT_CHOICES, type ReportChoice } from './report-choices.js';

const useStyles = makeStyles({
  scope: {
    margin: `${tokens.spacingVerticalL} 0 ${tokens.spacingVerticalM}`,
    color: tokens.colorNeutralForeground2,
  },
  tiles: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))',
    gap: tokens.spacingHorizontalM,
    margin: `${tokens.spacingVerticalM} 0`,
    padding: 0,
  },
  tile: {
    listStyle: 'none',
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    padding: tokens.spacingHorizontalM,
    boxShadow: tokens.shadow2,
    display: 'flex',
    flexDirection: 'column-reverse',
    gap: tokens.spacingVerticalXS,
  },
  tileLabel: { color: tokens.colorNeutralForeground2 },
  tileValue: {
    fontSize: tokens.fontSizeHero700,
    lineHeight: tokens.lineHeightHero700,
    fontWeight: tokens.fontWeightSemibold,
  },
  panel: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    padding: tokens.spacingHorizontalL,
    marginBottom: tokens.spacingVerticalL,
    boxShadow: tokens.shadow2,
    overflowX: 'auto',
  },
  charts: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(min(420px, 100%), 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  // On a narrow screen (a phone, Outlook's side pane) the table keeps its columns readable and
  // its panel scrolls sideways, rather than printing one column over another.
  table: { minWidth: '820px' },
  empty: { margin: `0 0 ${tokens.spacingVerticalS}`, color: tokens.colorNeutralForeground2 },
  num: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
});

const BAND: Record<
  NonNullable<CaseloadIro['band']>,
  { text: string; color: 'warning' | 'success' | 'danger' }
> = {
  below: { text: 'Below', color: 'warning' },
  within: { text: 'Within', color: 'success' },
  above: { text: 'Above', color: 'danger' },
};

export function CaseloadView(props: {
  api: Api;
  me: Me;
  value: PeriodValue<ReportChoice>;
  onChange: (value: PeriodValue<ReportChoice>) => void;
}) {
  if (!props.me.isManager) {
    return (
      <>
        <PageHeading>Caseload</PageHeading>
        <MessageBar intent="info">
          <MessageBarBody>The caseload view is for team and service managers.</MessageBarBody>
        </MessageBar>
      </>
    );
  }
  return <ManagerCaseload {...props} />;
}

function ManagerCaseload(props: {
  api: Api;
  me: Me;
  value: PeriodValue<ReportChoice>;
  onChange: (value: PeriodValue<ReportChoice>) => void;
}) {
  const { period } = props.value;
  const loaded = useApiData<CaseloadResponse>(props.api, '/api/tab/caseload', {
    from: period.from,
    to: period.to,
  });
  return (
    <>
      <PageHeading>Caseload</PageHeading>
      <PeriodPicker
        label="Period"
        choices={REPORT_CHOICES}
        value={props.value}
        periodOf={(choice) => reportPeriod(choice, props.me.today)}
        onChange={props.onChange}
      />
      <div aria-live="polite">
        {loaded.state === 'loading' ? <Loading label="Loading the caseload…" /> : null}
        {loaded.state === 'failed' ? <ErrorBar error={loaded.error} /> : null}
      </div>
      {loaded.state === 'ready' ? <CaseloadFigures data={loaded.data} /> : null}
    </>
  );
}

function CaseloadFigures({ data }: { data: CaseloadResponse }) {
  const styles = useStyles();
  const tiles: [string, string, string][] = [
    ['children', 'Children looked after', formatCount(data.children)],
    ['shortBreaks', 'On short breaks (counted apart)', formatCount(data.shortBreaks)],
    ['dueThisMonth', 'Reviews due this month', formatCount(data.dueThisMonth)],
    ['overdue', 'Reviews overdue', formatCount(data.overdue)],
    ['reviewsHeld', 'Reviews held in the period', formatCount(data.reviewsHeld)],
    ['timelinessPercent', 'Held on time', formatPercent(data.timelinessPercent)],
  ];
  const attendanceBars = (
    [
      ['Mothers', data.attendance.mother],
      ['Fathers', data.attendance.father],
      ['Other family', data.attendance.otherFamily],
    ] as const
  ).map(([label, count]) => {
    const percent = share(count, data.attendance.reviews);
    return {
      label,
      value: percent,
      display: formatPercent(percent),
      longLabel: `${label}: ${count} of ${data.attendance.reviews} reviews`,
    };
  });
  return (
    <>
      <p className={styles.scope} data-testid="caseload-scope">
        {sentenceCase(data.scopeLabel)}: children as of {formatDate(data.asOf)}; reviews held{' '}
        {formatDate(data.from)} to {formatDate(data.to)}.
      </p>
      <ul className={styles.tiles} aria-label="Headline figures">
        {tiles.map(([key, label, value]) => (
          <li key={key} className={styles.tile} data-figure={key}>
            <span className={styles.tileLabel}>{label}</span>
            <span className={styles.tileValue}>{value}</span>
          </li>
        ))}
      </ul>

      <section className={styles.panel} aria-labelledby="iros-heading">
        <SectionHeading id="iros-heading">IROs</SectionHeading>
        {data.iros.length === 0 ? (
          <p className={styles.empty} data-testid="no-iros">
            No IRO is in the teams you manage, so there are no caseloads per IRO here; the figures
            above are for your teams&apos; children.
          </p>
        ) : null}
        <Table className={styles.table} aria-labelledby="iros-heading" data-testid="iro-table">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>IRO</TableHeaderCell>
              <TableHeaderCell>Children</TableHeaderCell>
              <TableHeaderCell>FTE</TableHeaderCell>
              <TableHeaderCell>
                Per FTE (guidance {data.guidance.min} to {data.guidance.max})
              </TableHeaderCell>
              <TableHeaderCell>Due this month</TableHeaderCell>
              <TableHeaderCell>Overdue</TableHeaderCell>
              <TableHeaderCell>Timeliness</TableHeaderCell>
              <TableHeaderCell>Reviews held</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {data.iros.map((iro) => (
              <TableRow key={iro.email} data-iro={iro.email}>
                <TableCell>{iro.name}</TableCell>
                <TableCell data-field="children">{formatCount(iro.children)}</TableCell>
                <TableCell>{formatFte(iro.fte)}</TableCell>
                <TableCell>
                  <span data-field="perFte">{formatPerFte(iro.perFte)}</span>{' '}
                  {iro.band ? (
                    <Badge appearance="tint" shape="rounded" color={BAND[iro.band].color}>
                      {BAND[iro.band].text}
                    </Badge>
                  ) : null}
                </TableCell>
                <TableCell data-field="dueThisMonth">{formatCount(iro.dueThisMonth)}</TableCell>
                <TableCell data-field="overdue">{formatCount(iro.overdue)}</TableCell>
                <TableCell data-field="timeliness">
                  {formatPercent(iro.timelinessPercent)}
                </TableCell>
                <TableCell data-field="reviewsHeld">{formatCount(iro.reviewsHeld)}</TableCell>
              </TableRow>
            ))}
            {data.otherReviews.reviewsHeld > 0 ? (
              <TableRow data-iro="others">
                <TableCell>Children not with these IROs now</TableCell>
                <TableCell colSpan={5}>
                  Left care in the period, or allocated to an IRO in another team
                </TableCell>
                <TableCell data-field="timeliness">
                  {formatPercent(data.otherReviews.timelinessPercent)}
                </TableCell>
                <TableCell data-field="reviewsHeld">
                  {formatCount(data.otherReviews.reviewsHeld)}
                </TableCell>
              </TableRow>
            ) : null}
          </TableBody>
        </Table>
      </section>

      <section aria-labelledby="charts-heading">
        <SectionHeading id="charts-heading">Charts</SectionHeading>
        <div className={styles.charts}>
          <BarChart
            title="Reviews held per month"
            summary="The number of reviews held in each month of the period."
            labelHeading="Month"
            valueHeading="Reviews held"
            bars={data.byMonth.map((m) => ({
              ...chartMonth(m.month),
              value: m.reviewsHeld,
              display: formatCount(m.reviewsHeld),
            }))}
          />
          <BarChart
            title="Timeliness per month"
            summary="Reviews held within the statutory timescale, as a percentage of those assessed, per month."
            labelHeading="Month"
            valueHeading="Held on time"
            max={100}
            bars={data.byMonth.map((m) => ({
              ...chartMonth(m.month),
              value: m.timelinessPercent,
              display: formatPercent(m.timelinessPercent),
              longLabel: `${chartMonth(m.month).longLabel} (${m.reviewsOnTime} of ${m.reviewsAssessed})`,
            }))}
          />
          <BarChart
            title="Participation (PN codes)"
            summary="Reviews held in the period by the child's participation code."
            labelHeading="PN code"
            valueHeading="Reviews"
            bars={PN_CODES.map((code) => ({
              label: code,
              longLabel: `${code}: ${PN_LABEL[code]}`,
              value: data.participation[code],
              display: formatCount(data.participation[code]),
            }))}
          />
          <BarChart
            title="Attendance of family"
            summary={`Reviews held in the period that each attended, in person or online, out of ${data.attendance.reviews}.`}
            labelHeading="Who"
            valueHeading="Share of reviews"
            max={100}
            bars={attendanceBars}
          />
          <BarChart
            title="Open practice alerts by stage"
            summary="Practice alerts (escalations) open now, by stage."
            labelHeading="Stage"
            valueHeading="Open alerts"
            bars={[
              {
                label: 'Informal',
                value: data.alertsOpenByStage.informal,
                display: formatCount(data.alertsOpenByStage.informal),
              },
              {
                label: 'Formal',
                value: data.alertsOpenByStage.formal,
                display: formatCount(data.alertsOpenByStage.formal),
              },
              {
                label: 'Head of service',
                value: data.alertsOpenByStage.head_of_service,
                display: formatCount(data.alertsOpenByStage.head_of_service),
              },
            ]}
          />
        </div>
      </section>
    </>
  );
}
