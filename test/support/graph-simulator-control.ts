import type { Fault, RecordedRequest } from '../../src/dev/graph-simulator/graph-simulator.js';

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

  async events(): Promise<
    (Record<string, unknown> & { id: string; organizerEmail: string; isCancelled: boolean })[]
  > {
    return (await (await fetch(`${this.url}/_simulator/events`)).json()) as never;
  }

  async addUsers(
    users: { email: string; displayName: string; busy?: { start: string; end: string }[] }[],
  ): Promise<void> {
    await fetch(`${this.url}/_simulator/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(users),
    });
  }
}
