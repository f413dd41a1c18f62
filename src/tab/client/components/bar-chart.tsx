import { useId, useState } from 'react';
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

export interface Bar {
  label: string;
  /** What a screen reader and the table say for the bar's label, if longer than `label`. */
  longLabel?: string;
  /**
   * A second line under the label, written under the first bar and wherever it changes: the
   * year under "Apr" and under "Jan", so a month is never read as a day ("Apr 26").
   */
  group?: string;
  value: number | null;
  /** The value as people read it: "12", "95.5%". */
  display: string;
}

const useStyles = makeStyles({
  figure: {
    margin: 0,
    padding: tokens.spacingHorizontalM,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    minWidth: 0,
  },
  heading: {
    margin: 0,
    fontSize: tokens.fontSizeBase400,
    fontWeight: tokens.fontWeightSemibold,
    lineHeight: tokens.lineHeightBase400,
  },
  summary: { margin: 0, color: tokens.colorNeutralForeground2 },
  svg: { width: '100%', height: 'auto', maxWidth: '640px', display: 'block' },
  bar: { fill: tokens.colorBrandBackground },
  axis: { stroke: tokens.colorNeutralStroke1, strokeWidth: 1 },
  grid: { stroke: tokens.colorNeutralStroke3, strokeWidth: 1, strokeDasharray: '3 3' },
  text: {
    fill: tokens.colorNeutralForeground1,
    fontSize: '12px',
    fontFamily: tokens.fontFamilyBase,
  },
  muted: {
    fill: tokens.colorNeutralForeground2,
    fontSize: '11px',
    fontFamily: tokens.fontFamilyBase,
  },
  toggle: { alignSelf: 'flex-start' },
});

const WIDTH = 640;
const HEIGHT = 230;
const LEFT = 44;
const RIGHT = 8;
const TOP = 22;
const BOTTOM = 34;

/**
 * A plain SVG bar chart with its numbers written on the bars, and the same figures as a table
 * behind a visible toggle. Colours come from the Fluent theme, so dark and high contrast work.
 */
export function BarChart(props: {
  title: string;
  /** One sentence saying what the bars count. */
  summary: string;
  bars: Bar[];
  /** The top of the scale (100 for percentages); otherwise the largest value. */
  max?: number;
  valueHeading: string;
  labelHeading: string;
}) {
  const styles = useStyles();
  const headingId = useId();
  const summaryId = useId();
  const tableId = useId();
  const [showTable, setShowTable] = useState(false);
  const values = props.bars.map((b) => b.value ?? 0);
  const top = Math.max(props.max ?? 0, ...values, 1);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(props.bars.length, 1);
  const barWidth = Math.min(slot * 0.7, 64);
  const labelEvery = props.bars.length > 16 ? Math.ceil(props.bars.length / 12) : 1;
  const y = (value: number) => TOP + plotHeight - (value / top) * plotHeight;
  const topLabel = props.max === 100 ? '100%' : String(Math.round(top));

  return (
    <section className={styles.figure} aria-labelledby={headingId}>
      <h3 id={headingId} className={styles.heading}>
        {props.title}
      </h3>
      <p id={summaryId} className={styles.summary}>
        {props.summary}
      </p>
      <svg
        className={styles.svg}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${headingId} ${summaryId}`}
      >
        <line className={styles.grid} x1={LEFT} x2={WIDTH - RIGHT} y1={y(top)} y2={y(top)} />
        <line
          className={styles.grid}
          x1={LEFT}
          x2={WIDTH - RIGHT}
          y1={y(top / 2)}
          y2={y(top / 2)}
        />
        <text className={styles.muted} x={LEFT - 6} y={y(top) + 4} textAnchor="end">
          {topLabel}
        </text>
        <text className={styles.muted} x={LEFT - 6} y={y(0) + 4} textAnchor="end">
          0
        </text>
        {props.bars.map((bar, index) => {
          const value = bar.value ?? 0;
          const x = LEFT + slot * index + (slot - barWidth) / 2;
          const height = Math.max(y(0) - y(value), bar.value ? 1 : 0);
          return (
            <g key={index}>
              <rect
                className={styles.bar}
                x={x}
                y={y(0) - height}
                width={barWidth}
                height={height}
                rx={2}
              />
              <text
                className={styles.text}
                x={x + barWidth / 2}
                y={y(0) - height - 5}
                textAnchor="middle"
              >
                {bar.display}
              </text>
              {[
                index % labelEvery === 0 ? bar.label : '',
                bar.group !== props.bars[index - 1]?.group ? (bar.group ?? '') : '',
              ].map((line, row) =>
                line ? (
                  <text
                    key={row}
                    className={styles.muted}
                    x={x + barWidth / 2}
                    y={HEIGHT - BOTTOM + 16 + row * 13}
                    textAnchor="middle"
                  >
                    {line}
                  </text>
                ) : null,
              )}
            </g>
          );
        })}
        <line className={styles.axis} x1={LEFT} x2={WIDTH - RIGHT} y1={y(0)} y2={y(0)} />
      </svg>
      <Button
        className={styles.toggle}
        size="small"
        aria-expanded={showTable}
        aria-controls={tableId}
        onClick={() => setShowTable((shown) => !shown)}
      >
        {showTable ? 'Hide data table' : 'Show data table'}
      </Button>
      <div id={tableId} hidden={!showTable}>
        <Table size="small" aria-label={`${props.title}: data table`}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{props.labelHeading}</TableHeaderCell>
              <TableHeaderCell>{props.valueHeading}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {props.bars.map((bar, index) => (
              <TableRow key={index}>
                <TableCell>{bar.longLabel ?? bar.label}</TableCell>
                <TableCell>{bar.display}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </section>
  );
}
