/**
 * Sentences the Outlook add-in's route and its task pane both say: the pane says this one itself
 * for a series never saved (the server cannot see it yet), the route for one saved before.
 */
export const RECURRING_SERIES_TEXT =
  'This is a recurring series, and a review is one meeting. Book a one-off meeting for the review, then link it.';
