import type {
  CatalogApp,
  CatalogEntry,
  Fault,
  InstalledApp,
  RecordedRequest,
  SimulatorSettings,
} from '../../src/dev/graph-simulator/graph-simulator.js';

export interface SimulatedUserInput {
  email: string;
  displayName: string;
  id?: string;
  teamsEnabled?: boolean;
  shortJoinLinks?: boolean;
  busy?: { start: string; end: string }[];
}

/** Talks to a Graph simulator's /_simulator control endpoints over HTTP. */
export class SimulatorControl {
  constructor(readonly url: string) {}

  async fault(fault: Partial<Fault> & { path: string; status: number }): Promise<void> {
    const response = await fetch(`${this.url}/_simulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ times: 1, ...fault }),
    });
    if (response.status !== 201) throw new Error(`fault not accepted: ${response.status}`);
  }

  async clearFaults(): Promise<void> {
    await fetch(`${this.url}/_simulator/faults`, { method: 'DELETE' });
  }

  async requests(): Promise<RecordedRequest[]> {
    return (await (await fetch(`${this.url}/_simulator/requests`)).json()) as RecordedRequest[];
  }

  async clearRequests(): Promise<void> {
    await fetch(`${this.url}/_simulator/requests`, { method: 'DELETE' });
  }

  /** Every event, shown with its immutable id, plus its regular id and its meeting's details. */
  async events(): Promise<
    (Record<string, unknown> & {
      id: string;
      regularId: string;
      organizerEmail: string;
      isCancelled: boolean;
      meetingChatId: string | null;
      longJoinUrl: string | null;
      onlineMeeting: { joinUrl: string } | null;
    })[]
  > {
    return (await (await fetch(`${this.url}/_simulator/events`)).json()) as never;
  }

  async addUsers(users: SimulatedUserInput[]): Promise<void> {
    const response = await fetch(`${this.url}/_simulator/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(users),
    });
    if (response.status !== 204) throw new Error(`users not accepted: ${response.status}`);
  }

  /** Uploads apps to the simulated organisation catalog; returns them with their catalog ids. */
  async addCatalogApps(apps: CatalogApp[]): Promise<CatalogEntry[]> {
    const response = await fetch(`${this.url}/_simulator/catalog`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(apps),
    });
    if (response.status !== 201) throw new Error(`catalog not accepted: ${response.status}`);
    return (await response.json()) as CatalogEntry[];
  }

  /** Apps added to people's personal scope: POST /users/{id}/teamwork/installedApps. */
  async userInstalls(): Promise<{ userId: string; appId: string; externalId: string }[]> {
    return (await (await fetch(`${this.url}/_simulator/user-installs`)).json()) as {
      userId: string;
      appId: string;
      externalId: string;
    }[];
  }

  async installs(): Promise<InstalledApp[]> {
    return (await (await fetch(`${this.url}/_simulator/installs`)).json()) as InstalledApp[];
  }

  async settings(settings: Partial<SimulatorSettings>): Promise<void> {
    const response = await fetch(`${this.url}/_simulator/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    });
    if (response.status !== 200) throw new Error(`settings not accepted: ${response.status}`);
  }

  async attendance(
    joinUrl: string,
    records: { email?: string; displayName: string; role?: string; seconds: number }[],
  ): Promise<void> {
    await fetch(`${this.url}/_simulator/attendance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ joinUrl, records }),
    });
  }
}
