import type { LocalDate } from '../domain/local-date.js';
import { longDay } from './card-dates.js';

/**
 * "Due Sun 13 December 2026 (hold by Fri 11 December 2026)" when the due date is not a working
 * day (`holdBy` from the domain's `holdByDay`), otherwise "Due Tue 1 December 2026".
 */
export function dueWithHoldBy(dueDate: LocalDate, holdBy: LocalDate | null): string {
  return holdBy
    ? `Due ${longDay(dueDate)} (hold by ${longDay(holdBy)})`
    : `Due ${longDay(dueDate)}`;
}
