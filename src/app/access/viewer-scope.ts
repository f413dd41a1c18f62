import type { CaseReader, OpenAllocation, StaffMember } from '../ports.js';

export type Role = StaffMember['role'];

export const MANAGER_ROLES: readonly Role[] = ['team_manager', 'service_manager'];

export function isManager(person: Pick<StaffMember, 'role'>): boolean {
  return MANAGER_ROLES.includes(person.role);
}

/**
 * The IROs whose caseloads a person's own reports list: themselves for an IRO, the IROs they
 * manage for a manager, none for a social worker (who sees the IROs of their children only).
 */
export function iroEmailsInScope(person: StaffMember, staff: readonly StaffMember[]): string[] {
  if (person.role === 'iro') return [person.email];
  if (!isManager(person)) return [];
  return managedStaff(person, staff)
    .filter((s) => s.role === 'iro')
    .map((s) => s.email);
}

/**
 * The staff a manager answers for: everyone who reports to them, directly or through other
 * managers, and everyone in a team one of those people belongs to.
 */
export function managedStaff(manager: StaffMember, staff: readonly StaffMember[]): StaffMember[] {
  const reports = new Map<string, StaffMember[]>();
  for (const s of staff) {
    if (!s.managerEmail) continue;
    const list = reports.get(s.managerEmail) ?? [];
    list.push(s);
    reports.set(s.managerEmail, list);
  }
  const seen = new Set<string>([manager.email]);
  const queue = [manager.email];
  const managed: StaffMember[] = [];
  while (queue.length > 0) {
    for (const report of reports.get(queue.shift() as string) ?? []) {
      if (seen.has(report.email)) continue;
      seen.add(report.email);
      managed.push(report);
      queue.push(report.email);
    }
  }
  const teams = new Set(managed.map((s) => s.team).filter((t): t is string => Boolean(t)));
  for (const s of staff) {
    if (!seen.has(s.email) && s.team && teams.has(s.team)) {
      seen.add(s.email);
      managed.push(s);
    }
  }
  return managed;
}

/**
 * The children a person may see (DOMAIN.md, Privacy): an IRO their own caseload, a social worker
 * their own children, a manager the children of the staff they manage. Anyone else (including the
 * data team's admin accounts in chat) sees no child.
 */
export function visibleChildIds(
  person: StaffMember,
  staff: readonly StaffMember[],
  allocations: readonly OpenAllocation[],
): Set<string> {
  if (person.role === 'iro' || person.role === 'social_worker') {
    return new Set(
      allocations
        .filter((a) => a.role === person.role && a.staffEmail === person.email)
        .map((a) => a.childId),
    );
  }
  if (isManager(person)) {
    const managed = new Set(managedStaff(person, staff).map((s) => s.email));
    return new Set(allocations.filter((a) => managed.has(a.staffEmail)).map((a) => a.childId));
  }
  return new Set();
}

/** Whose open allocations decide what these people may see: theirs, and a manager's staff's. */
export function scopeEmails(
  people: readonly StaffMember[],
  staff: readonly StaffMember[],
): string[] {
  const emails = new Set<string>();
  for (const person of people) {
    if (person.role === 'iro' || person.role === 'social_worker') emails.add(person.email);
    else if (isManager(person)) for (const s of managedStaff(person, staff)) emails.add(s.email);
  }
  return [...emails];
}

/**
 * The children a person may see, reading only the open allocations that decide it (their own, or
 * their staff's), never every allocation in the store.
 */
export async function readVisibleChildIds(
  cases: Pick<CaseReader, 'listOpenAllocations'>,
  person: StaffMember,
  staff: readonly StaffMember[],
): Promise<Set<string>> {
  const emails = scopeEmails([person], staff);
  if (emails.length === 0) return new Set();
  return visibleChildIds(person, staff, await cases.listOpenAllocations({ staffEmails: emails }));
}

/** What every member of a conversation may see: the intersection of their scopes. */
export function sharedVisibility(scopes: readonly Set<string>[]): Set<string> {
  const [first, ...rest] = scopes;
  if (!first) return new Set();
  return new Set([...first].filter((id) => rest.every((s) => s.has(id))));
}

/** The registered person behind a Teams user's Entra object id (matched without regard to case). */
export function staffByObjectId(
  staff: readonly StaffMember[],
  aadObjectId: string | undefined,
): StaffMember | undefined {
  if (!aadObjectId) return undefined;
  const wanted = aadObjectId.toLowerCase();
  return staff.find((s) => s.aadObjectId === wanted);
}

/**
 * The person asking, found once: who they are, the staff list their managers' views read, and
 * the children they may see. Callers that have it already (the tab's signed-in viewer) pass it
 * on instead of the object id, so nothing is read twice.
 */
export interface ResolvedAsker {
  person: StaffMember;
  staff: StaffMember[];
  /** The children the person may see (DOMAIN.md, Privacy). */
  childIds: readonly string[];
}

/** The person asking and the staff list, before their children are read. */
export type FoundAsker = Pick<ResolvedAsker, 'person' | 'staff'>;

/**
 * The registered person behind a Teams or Entra object id, with the staff list; an asker found
 * already is returned as it is. Undefined when not in Staff.csv.
 */
export async function findAsker(
  cases: Pick<CaseReader, 'listStaff'>,
  askerOrAadObjectId: FoundAsker | string | undefined,
): Promise<FoundAsker | undefined> {
  if (typeof askerOrAadObjectId === 'object') return askerOrAadObjectId;
  if (!askerOrAadObjectId) return undefined;
  const staff = await cases.listStaff();
  const person = staffByObjectId(staff, askerOrAadObjectId);
  return person ? { person, staff } : undefined;
}

/**
 * The registered person behind a Teams or Entra object id, with the children they may see; only
 * the open allocations that decide their scope are read. An asker resolved already is returned
 * as it is. Undefined when not in Staff.csv.
 */
export async function resolveAsker(
  cases: Pick<CaseReader, 'listStaff' | 'listOpenAllocations'>,
  askerOrAadObjectId: ResolvedAsker | FoundAsker | string | undefined,
): Promise<ResolvedAsker | undefined> {
  if (typeof askerOrAadObjectId === 'object' && 'childIds' in askerOrAadObjectId)
    return askerOrAadObjectId;
  const found = await findAsker(cases, askerOrAadObjectId);
  if (!found) return undefined;
  const { person, staff } = found;
  return { person, staff, childIds: [...(await readVisibleChildIds(cases, person, staff))] };
}
