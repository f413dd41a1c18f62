import { useState } from 'react';
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Tab,
  TabList,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { Me } from '../../api-types.js';
import type { Api } from '../api.js';
import { reportPeriod, reviewsPeriod } from '../dates.js';
import type { PeriodValue } from '../components/period-picker.js';
import { ROLE_LABEL } from '../labels.js';
import type { Route } from '../route.js';
import { navigate, useRoute } from '../use-route.js';
import { AnnualReportView } from './annual-report.js';
import { CaseloadView } from './caseload.js';
import { ChildView } from './child-page.js';
import { MyReviewsView, type ReviewsChoice } from './my-reviews.js';
import type { ReportChoice } from './report-choices.js';
import { ScheduleView } from './schedule.js';
import { inDialog, type ThemeName } from '../host.js';

const useStyles = makeStyles({
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  product: {
    fontSize: tokens.fontSizeBase400,
    fontWeight: tokens.fontWeightSemibold,
  },
  user: { color: tokens.colorNeutralForeground2 },
  nav: {
    padding: `0 ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  main: {
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}`,
    maxWidth: '1280px',
    ':focus': { outline: 'none' },
  },
  banner: {
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXL} 0`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
});

type ListView = 'reviews' | 'caseload' | 'report';

/** The signed-in page: header, the views' tab list, and the view the URL hash names. */
export function Shell(props: {
  api: Api;
  me: Me;
  timeZone: string;
  theme: ThemeName;
  onSwitchUser?: (() => void) | undefined;
}) {
  const styles = useStyles();
  const { me } = props;
  const route = useRoute();
  const [reviews, setReviews] = useState<PeriodValue<ReviewsChoice>>(() => ({
    choice: 'thisMonth',
    period: reviewsPeriod('thisMonth', me.today),
  }));
  const [caseload, setCaseload] = useState<PeriodValue<ReportChoice>>(() => ({
    choice: 'yearToDate',
    period: reportPeriod('yearToDate', me.today),
  }));
  const [report, setReport] = useState<PeriodValue<ReportChoice>>(() => ({
    choice: 'lastFinancialYear',
    period: reportPeriod('lastFinancialYear', me.today),
  }));

  const selected: ListView | '' =
    route.view === 'child' || route.view === 'schedule' ? '' : route.view;

  if (route.view === 'schedule' && inDialog()) {
    return (
      <main className={styles.main} id="main">
        <ScheduleView api={props.api} childId={route.childId} theme={props.theme} />
      </main>
    );
  }

  return (
    <>
      <header className={styles.header} data-print="hide">
        <span className={styles.product}>IRO Assistant</span>
        <span className={styles.user}>
          {me.name} · {ROLE_LABEL[me.role]}
          {me.team ? ` · ${me.team}` : ''}
        </span>
      </header>
      {me.demo ? (
        <div className={styles.banner} data-print="hide">
          <MessageBar intent="warning">
            <MessageBarBody>Demo sign-in: made-up data, not for real children.</MessageBarBody>
            {props.onSwitchUser ? (
              <MessageBarActions>
                <Button size="small" onClick={props.onSwitchUser}>
                  Switch user
                </Button>
              </MessageBarActions>
            ) : null}
          </MessageBar>
        </div>
      ) : null}
      <nav className={styles.nav} aria-label="Views" data-print="hide">
        <TabList
          selectedValue={selected}
          onTabSelect={(_e, data) => navigate({ view: data.value as ListView } as Route)}
        >
          <Tab value="reviews">My reviews</Tab>
          {me.isManager ? <Tab value="caseload">Caseload</Tab> : null}
          <Tab value="report">Annual report</Tab>
        </TabList>
      </nav>
      <main className={styles.main} id="main">
        {route.view === 'reviews' ? (
          <MyReviewsView
            api={props.api}
            me={me}
            timeZone={props.timeZone}
            value={reviews}
            onChange={setReviews}
          />
        ) : null}
        {route.view === 'child' ? (
          <ChildView
            key={route.childId}
            api={props.api}
            childId={route.childId}
            today={me.today}
            timeZone={props.timeZone}
          />
        ) : null}
        {route.view === 'schedule' ? (
          <ScheduleView
            key={route.childId}
            api={props.api}
            childId={route.childId}
            theme={props.theme}
          />
        ) : null}
        {route.view === 'caseload' ? (
          <CaseloadView api={props.api} me={me} value={caseload} onChange={setCaseload} />
        ) : null}
        {route.view === 'report' ? (
          <AnnualReportView api={props.api} me={me} value={report} onChange={setReport} />
        ) : null}
      </main>
    </>
  );
}
