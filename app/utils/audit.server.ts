import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import type { AuditAction, AuditEntityType } from "./audit-actions";

export {
  AUDIT_ACTIONS,
  AUDIT_ENTITY_TYPES,
  isAuditAction,
  type AuditAction,
  type AuditEntityType,
} from "./audit-actions";

export type Actor =
  | { type: "staff"; staffId: number }
  | { type: "participant"; participantId: number }
  | { type: "anonymous" }
  | { type: "system" };

export interface AuditEntry {
  actor: Actor;
  /** One of AUDIT_ACTIONS, so a misspelt action does not compile. */
  action: AuditAction;
  /** One of AUDIT_ENTITY_TYPES: the admin view filters by it. */
  entityType: AuditEntityType;
  entityId?: number | string | null;
  /**
   * Ids, counts, states, field names and settings — never what a person wrote or typed as a
   * secret: no diary or transcription text, no notes or reasons in free text, no passwords,
   * access codes or their hashes, no login id that matched no account (it may be a password
   * typed in the wrong field). Decision 024; test/integration/audit-no-secrets.test.ts walks
   * the app and greps the log for all of these.
   */
  detail?: Record<string, unknown>;
  ip?: string;
}

/** Writes one audit row; call it inside the same transaction as the change it records. */
export async function writeAudit(
  db: Kysely<Database> | Transaction<Database>,
  entry: AuditEntry,
): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      at: new Date().toISOString(),
      actor_type: entry.actor.type,
      actor_staff_id: entry.actor.type === "staff" ? entry.actor.staffId : null,
      actor_participant_id: entry.actor.type === "participant" ? entry.actor.participantId : null,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId == null ? null : String(entry.entityId),
      detail: JSON.stringify(entry.detail ?? {}),
      ip: entry.ip ?? "",
    })
    .execute();
}
