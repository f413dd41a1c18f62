import { useId, useState, type FormEvent } from 'react';
import { Button, Field, Input, Select, makeStyles, tokens } from '@fluentui/react-components';
import { formatPeriod, isIsoDate, type Period } from '../dates.js';

export interface PeriodValue<C extends string> {
  choice: C | 'custom';
  period: Period;
}

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: tokens.spacingHorizontalM,
  },
  custom: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: tokens.spacingHorizontalM,
  },
  shown: { color: tokens.colorNeutralForeground2, paddingBottom: tokens.spacingVerticalXS },
});

/**
 * A period picker: a few named periods computed from today, or a custom from/to that applies
 * when the user presses Apply (so half-typed dates never reach the API).
 */
export function PeriodPicker<C extends string>(props: {
  label: string;
  choices: { value: C; label: string }[];
  value: PeriodValue<C>;
  periodOf: (choice: C) => Period;
  onChange: (value: PeriodValue<C>) => void;
}) {
  const styles = useStyles();
  const formId = useId();
  const [choice, setChoice] = useState<C | 'custom'>(props.value.choice);
  const [from, setFrom] = useState(props.value.period.from);
  const [to, setTo] = useState(props.value.period.to);
  const [problem, setProblem] = useState<string | null>(null);

  const onSelect = (next: string) => {
    const picked = props.choices.find((c) => c.value === next);
    if (picked) {
      setChoice(picked.value);
      const period = props.periodOf(picked.value);
      setFrom(period.from);
      setTo(period.to);
      setProblem(null);
      props.onChange({ choice: picked.value, period });
    } else {
      setChoice('custom');
    }
  };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (!isIsoDate(from) || !isIsoDate(to)) {
      setProblem('Enter both dates.');
      return;
    }
    if (from > to) {
      setProblem('The "from" date must be on or before the "to" date.');
      return;
    }
    setProblem(null);
    props.onChange({ choice: 'custom', period: { from, to } });
  };

  return (
    <div className={styles.root}>
      <Field label={props.label}>
        <Select value={choice} onChange={(_e, data) => onSelect(data.value)}>
          {props.choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
          <option value="custom">Custom dates</option>
        </Select>
      </Field>
      {choice === 'custom' ? (
        <form id={formId} className={styles.custom} onSubmit={apply} aria-label="Custom period">
          <Field label="From" validationMessage={problem ?? undefined}>
            <Input type="date" value={from} onChange={(_e, data) => setFrom(data.value)} />
          </Field>
          <Field label="To">
            <Input type="date" value={to} onChange={(_e, data) => setTo(data.value)} />
          </Field>
          <Button type="submit" appearance="primary">
            Apply
          </Button>
        </form>
      ) : null}
      <span className={styles.shown} aria-live="polite">
        {formatPeriod(props.value.period)}
      </span>
    </div>
  );
}
