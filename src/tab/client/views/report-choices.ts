import type { ReportPeriodChoice } from '../dates.js';

export type ReportChoice = Exclude<ReportPeriodChoice, 'custom'>;

export const REPORT_CHOICES: { value: ReportChoice; label: string }[] = [
  { value: 'yearToDate', label: 'This reporting year to date (from 1 April)' },
  { value: 'lastQuarter', label: 'Last quarter' },
  { value: 'lastFinancialYear', label: 'Last financial year (April to March)' },
];
