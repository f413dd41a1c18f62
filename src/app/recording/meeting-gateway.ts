/** What Microsoft Graph can tell about a review's Teams meeting, and putting the app into its chat. */
export interface AttendanceRecord {
  email: string | null;
  displayName: string;
  seconds: number;
}

/**
 * Online meetings and their attendance are read through the organiser: with an app token Graph
 * takes only the organiser's Entra object id (Staff.csv AAD_OBJECT_ID) there, never an e-mail.
 */
export interface MeetingGateway {
  /** The online meeting behind a join link, long or short (organiser only): its id and chat id. */
  findOnlineMeeting(
    organiserObjectId: string,
    joinUrl: string,
  ): Promise<{ meetingId: string; chatId: string } | undefined>;
  /** Everyone who joined online, from the meeting's attendance reports (available after it ends). */
  attendance(organiserObjectId: string, meetingId: string): Promise<AttendanceRecord[]>;
  /**
   * The app's id in the organisation's Teams app catalog, found by its manifest id (an uploaded
   * app gets a catalog id of its own); undefined when the catalog does not hold it.
   */
  catalogAppId(manifestId: string): Promise<string | undefined>;
  /**
   * Adds the Teams app (by catalog id) to a chat, the meeting chat, consenting to the
   * resource-specific permission its manifest asks for, so it hears the meeting's events.
   */
  installApp(chatId: string, catalogAppId: string): Promise<void>;
  /**
   * Adds the Teams app (by catalog id) for one person (personal scope), which gives the bot a
   * 1:1 chat with them: Teams then tells the bot of the chat (installationUpdate). Done already
   * counts as done.
   */
  installForUser(userObjectId: string, catalogAppId: string): Promise<void>;
}
