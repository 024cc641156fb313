/**
 * Every action the audit log records, in one style: `<entity>.<verb>`, snake_case words. The
 * name says what happened on its own; `entity_type`/`entity_id` on the row still say which record.
 * Shared (not *.server) because the admin audit page and the review history label them.
 *
 * Rows are history: renaming an action here needs a migration that renames the stored rows
 * (see db/migrations/2026_12_02_1800_rename_audit_actions.ts) and the `audit.action.*` catalogue keys.
 */
export const AUDIT_ACTIONS = [
  "page.create",
  "page.rotate",
  "page.layout",
  "page.ocr_rerun",
  "page.reorder",
  "page.details",
  "page.approve",
  "page.reopen",
  "page.delete",
  "page.hide_request",
  "page.hide_keep",
  "page.show",
  "transcription.save",
  "transcription.restore",
  "watch_flag.open",
  "watch_flag.raise",
  "watch_flag.acknowledge",
  "seed.propose",
  "seed.accept",
  "seed.merge",
  "seed.reject",
  "seed.undo",
  "seed_suggestion.dismiss",
  "resource.create",
  "resource.update",
  "resource.verify",
  "resource.import",
  "resource.export",
  "town_walk.create",
  "town_walk.record",
  "concern_phrase.create",
  "concern_phrase.update",
  "group.create",
  "group.update",
  "group.status_change",
  "group.member_add",
  "group.member_replace",
  "group.member_remove",
  "handoff.record",
  "cohort.create",
  "cohort.update",
  "health_room.create",
  "health_room.update",
  "participant.create",
  "participant.update",
  "participant.withdraw",
  "participant.access_code_issue",
  "participant.access_code_rotate",
  "participant.login",
  "participant.login_failed",
  "participant.login_throttled",
  "participant.access_denied",
  "participant.disclose",
  "participant.pages_hide",
  "participant.pages_show",
  "participant.delete",
  "staff.create",
  "staff.update",
  "staff.activate",
  "staff.deactivate",
  "staff.password_reset",
  "staff.login",
  "staff.login_failed",
  "staff.login_throttled",
  "audit_log.export",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === "string" && (AUDIT_ACTIONS as readonly string[]).includes(value);
}

/**
 * The kinds of record an audit row is about (`entity_type`), the table each names; its
 * `entity_id` is that table's id. The admin view filters by them.
 */
export const AUDIT_ENTITY_TYPES = [
  "page",
  "participant",
  "diary_group",
  "handoff",
  "cohort",
  "health_room",
  "staff_user",
  "seed",
  "resource",
  "town_walk",
  "concern_phrase",
  "audit_log",
] as const;

export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

export function isAuditEntityType(value: unknown): value is AuditEntityType {
  return typeof value === "string" && (AUDIT_ENTITY_TYPES as readonly string[]).includes(value);
}

/** The review decisions a page's history shows (its saves are listed as versions instead). */
export const PAGE_EVENT_ACTIONS = [
  "page.approve",
  "page.reopen",
  "transcription.restore",
  "watch_flag.open",
  "watch_flag.raise",
  "watch_flag.acknowledge",
  "page.details",
  "page.hide_request",
  "page.hide_keep",
  "page.show",
] as const satisfies readonly AuditAction[];

export type PageEventAction = (typeof PAGE_EVENT_ACTIONS)[number];

export function isPageEventAction(value: unknown): value is PageEventAction {
  return typeof value === "string" && (PAGE_EVENT_ACTIONS as readonly string[]).includes(value);
}
