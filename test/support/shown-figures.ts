import type { AnnualReportFigures, HeldReviewFigures } from '../../src/app/annual-report.js';

/** The fields a caseload summary and the bot's figures show, to compare two ways of summing. */
export function shownFigures(f: AnnualReportFigures | HeldReviewFigures) {
  return {
    reviewsHeld: f.reviewsHeld,
    reviewsAssessed: f.reviewsAssessed,
    reviewsOnTime: f.reviewsOnTime,
    timelinessPercent: f.timelinessPercent,
    reviewsDueUnknown: f.reviewsDueUnknown,
    participation: f.participation,
    participationPercent: f.participationPercent,
    viewsCommunicated: f.viewsCommunicated,
    viewsConveyed: f.viewsConveyed,
    childTimeliness: f.childTimeliness,
    shortBreaks: {
      reviewsHeld: f.shortBreaks.reviewsHeld,
      reviewsAssessed: f.shortBreaks.reviewsAssessed,
      reviewsOnTime: f.shortBreaks.reviewsOnTime,
    },
  };
}
