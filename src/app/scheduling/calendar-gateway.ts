import type { Interval } from '../../domain/meeting-slots.js';

/** A review meeting to put in the IRO's calendar, with a Teams link, for everyone invited. */
export interface ReviewEventRequest {
  subject: string;
  bodyHtml: string;
  start: Date;
  end: Date;
  /** The in-person part of the hybrid review. */
  venue: string;
  attendees: { email: string; name?: string }[];
  /**
   * Each attendee sees only themselves in the invitation and its tracking list (Graph's
   * `hideAttendees`): set when anyone outside the staff list is invited.
   */
  hideAttendees: boolean;
  /** Makes a retried create return the first event instead of a second one. */
  transactionId: string;
}

export interface BookedEvent {
  /** The event's immutable id (it survives the item moving between calendars). */
  eventId: string;
  iCalUId: string;
  /** The Teams join link, long or short form; null when the mailbox made no Teams meeting. */
  joinUrl: string | null;
  webLink: string | null;
  start: Date;
  end: Date;
}

/** An event as it stands in someone's calendar (read to link a meeting booked in Outlook). */
export interface CalendarEvent extends BookedEvent {
  subject: string;
  /** The calendar's owner organised it (only the organiser can change it for everyone). */
  isOrganizer: boolean;
  isCancelled: boolean;
  /** The master of a recurring series rather than one meeting. */
  isSeries: boolean;
  /** The location's display name; null when none was given. */
  venue: string | null;
  /** The people invited (lower-case e-mail addresses; rooms and other resources left out). */
  attendees: string[];
}

/**
 * What reading a booked event found: the event as it stands; `gone` (deleted, or cancelled by
 * its organiser); or `unreadable` (Graph failed for this one: try again another time).
 */
export type EventReading =
  { state: 'found'; event: CalendarEvent } | { state: 'gone' } | { state: 'unreadable' };

/** Free/busy of several people; `unavailable` lists those whose calendar could not be read. */
export interface BusyTimes {
  busy: Map<string, Interval[]>;
  unavailable: string[];
}

/** The calendar operations scheduling needs (Microsoft Graph in production). */
export interface CalendarGateway {
  busyTimes(emails: readonly string[], from: Date, to: Date): Promise<BusyTimes>;
  createEvent(organiser: string, request: ReviewEventRequest): Promise<BookedEvent>;
  moveEvent(
    organiser: string,
    eventId: string,
    change: { start: Date; end: Date; venue?: string; hideAttendees?: boolean },
  ): Promise<BookedEvent>;
  /** Cancels for everyone, with the comment; an event already cancelled counts as done. */
  cancelEvent(organiser: string, eventId: string, comment: string): Promise<void>;
  /**
   * The immutable id of an item in this mailbox, from the REST id Outlook gives an add-in
   * (`convertToRestId`); null when the mailbox holds no such item.
   */
  immutableEventId(mailbox: string, restId: string): Promise<string | null>;
  /** Reads an event of this calendar by its immutable id; null when it is not there. */
  readEvent(mailbox: string, eventId: string): Promise<CalendarEvent | null>;
  /** Reads several events, each in its calendar's mailbox; the readings in the same order. */
  readEvents(items: readonly { mailbox: string; eventId: string }[]): Promise<EventReading[]>;
  /** Changes the subject only (the attendees get the update). */
  renameEvent(organiser: string, eventId: string, subject: string): Promise<void>;
}
