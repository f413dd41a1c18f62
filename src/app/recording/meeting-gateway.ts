/** What Microsoft Graph can tell about a review's Teams meeting, and putting the app into its chat. */
export interface AttendanceRecord {
  email: string | null;
  displayName: string;
  seconds: number;
}

export interface MeetingGateway {
  /** The online meeting behind a join link (organiser only): its id and its chat's id. */
  findOnlineMeeting(
    organiser: string,
    joinUrl: string,
  ): Promise<{ meetingId: string; chatId: string } | undefined>;
  /** Everyone who joined online, from the meeting's attendance reports (available after it ends). */
  attendance(organiser: string, meetingId: string): Promise<AttendanceRecord[]>;
  /** Adds the Teams app to a chat (the meeting chat), so it hears the meeting's events. */
  installApp(chatId: string, teamsAppId: string): Promise<void>;
}
