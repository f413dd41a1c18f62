import type { LocalDate } from '../domain/local-date.js';
import { longDay } from './card-dates.js';

/**
 * "Due Sun 13 December 2026 (hold by Fri 11 December 2026)" when the due date is not a working
 * day (`holdBy` from the domain's `holdByDay`), otherwise "Due Tue 1 December 2026". The hold-by
 * day that is today says so ("hold by today"); once the review is overdue, a hold-by day in the
 * past is noise and is left out.
 */
export function dueWithHoldBy(
  dueDate: LocalDate,
  holdBy: LocalDate | null,
  today: LocalDate,
): string {
  if (!holdBy || dueDate < today) return `Due ${longDay(dueDate)}`;
  if (holdBy === today) return `Due ${longDay(dueDate)} (hold by today)`;
  if (holdBy < today) return `Due ${longDay(dueDate)} (hold-by day ${longDay(holdBy)} has passed)`;
  return `Due ${longDay(dueDate)} (hold by ${longDay(holdBy)})`;
}
