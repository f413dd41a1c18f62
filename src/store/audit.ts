import type { Kysely } from 'kysely';
import type { ChangeContext } from '../app/ports.js';
import type { Database } from './database.js';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string;
  detail: Record<string, unknown>;
}

/** Appends audit records; call it inside the transaction that makes the change. */
export async function appendAudit(
  db: Kysely<Database>,
  context: ChangeContext,
  entries: readonly AuditEntry[],
): Promise<void> {
  for (let i = 0; i < entries.length; i += 1000) {
    const rows = entries.slice(i, i + 1000).map((e) => ({
      actor: context.actor,
      action: e.action,
      entity: e.entity,
      entityId: e.entityId,
      detail: JSON.stringify(e.detail),
      correlationId: context.correlationId ?? null,
    }));
    await db.insertInto('auditLog').values(rows).execute();
  }
}
