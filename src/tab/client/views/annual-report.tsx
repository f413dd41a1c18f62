import { useState } from 'react';
import {
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { reportRowLabel, type AnnualReportResponse, type Me } from '../../api-types.js';
import type { Api, ApiFailure } from '../api.js';
import { formatPeriod, reportPeriod } from '../dates.js';
import { PeriodPicker, type PeriodValue } from '../components/period-picker.js';
import { PageHeading, SectionHeading } from '../components/page-heading.js';
import { ErrorBar, Loading } from '../components/status.js';
import { formatReportValue, sentenceCase } from '../labels.js';
import { asFailure, useApiData } from '../use-api.js';
import { REPORT_CHOICES, type ReportChoice } from './report-choices.js';

const useStyles = makeStyles({
  controls: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalL,
    marginBottom: tokens.spacingVerticalM,
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
  subtitle: { margin: `0 0 ${tokens.spacingVerticalM}`, color: tokens.colorNeutralForeground2 },
  panel: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    padding: tokens.spacingHorizontalL,
    marginBottom: tokens.spacingVerticalL,
    boxShadow: tokens.shadow2,
    overflowX: 'auto',
  },
  note: { margin: `0 0 ${tokens.spacingVerticalS}`, color: tokens.colorNeutralForeground2 },
  measure: { width: '55%' },
  num: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
});

export function AnnualReportView(props: {
  api: Api;
  me: Me;
  value: PeriodValue<ReportChoice>;
  onChange: (value: PeriodValue<ReportChoice>) => void;
}) {
  const styles = useStyles();
  const { period } = props.value;
  const params = { from: period.from, to: period.to };
  const loaded = useApiData<AnnualReportResponse>(props.api, '/api/tab/annual-report', params);
  const [downloadError, setDownloadError] = useState<ApiFailure | null>(null);
  const [downloading, setDownloading] = useState(false);

  const download = () => {
    setDownloading(true);
    setDownloadError(null);
    props.api.blob('/api/tab/annual-report.csv', params).then(
      (blob) => {
        const url = URL.createObjectURL(blob);
        const anchor = document.createElement('a');
        anchor.href = url;
        anchor.download = `iro-annual-report-${period.from}-to-${period.to}.csv`;
        document.body.append(anchor);
        anchor.click();
        anchor.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        setDownloading(false);
      },
      (error: unknown) => {
        setDownloading(false);
        setDownloadError(asFailure(error));
      },
    );
  };

  return (
    <>
      <PageHeading>IRO annual report</PageHeading>
      <div className={styles.controls} data-print="hide">
        <PeriodPicker
          label="Period"
          choices={REPORT_CHOICES}
          value={props.value}
          periodOf={(choice) => reportPeriod(choice, props.me.today)}
          onChange={props.onChange}
        />
        <div className={styles.actions}>
          <Button onClick={download} disabled={loaded.state !== 'ready' || downloading}>
            {downloading ? 'Downloading…' : 'Download CSV'}
          </Button>
          <Button onClick={() => window.print()} disabled={loaded.state !== 'ready'}>
            Print
          </Button>
        </div>
      </div>
      <div aria-live="polite">
        {loaded.state === 'loading' ? <Loading label="Loading the report…" /> : null}
        {loaded.state === 'failed' ? <ErrorBar error={loaded.error} /> : null}
        {downloadError ? (
          <ErrorBar error={downloadError} title="The CSV could not be downloaded" />
        ) : null}
      </div>
      {loaded.state === 'ready' ? <Report data={loaded.data} /> : null}
    </>
  );
}

function Report({ data }: { data: AnnualReportResponse }) {
  const styles = useStyles();
  const current = formatPeriod({ from: data.from, to: data.to });
  const previous = formatPeriod({ from: data.previousFrom, to: data.previousTo });
  return (
    <div className="report">
      <p className={styles.subtitle} data-testid="report-subtitle">
        {sentenceCase(data.scopeLabel)}: {current}, beside the same period a year earlier (
        {previous}).
      </p>
      {data.sections.map((section, s) => {
        const id = `report-section-${s}`;
        return (
          <section
            key={section.title}
            className={`${styles.panel} report-section`}
            aria-labelledby={id}
          >
            <SectionHeading id={id}>{section.title}</SectionHeading>
            {section.note ? <p className={styles.note}>{section.note}</p> : null}
            <Table aria-labelledby={id} size="small" data-section={section.title}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell className={styles.measure}>Measure</TableHeaderCell>
                  <TableHeaderCell className={styles.num}>{current}</TableHeaderCell>
                  <TableHeaderCell className={styles.num}>{previous}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {section.rows.map((row, r) => (
                  <TableRow key={`${row.label}-${r}`}>
                    <TableCell data-field="measure">{reportRowLabel(row)}</TableCell>
                    <TableCell className={styles.num} data-field="current">
                      {formatReportValue(row.current, row.unit)}
                    </TableCell>
                    <TableCell className={styles.num} data-field="previous">
                      {formatReportValue(row.previous, row.unit)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </section>
        );
      })}
    </div>
  );
}
