/**
 * The filters of the admin audit view (/admin/audit and its CSV export) as a query string and
 * back: who, what (action), which record (entity type + id) and a date range in Japan's
 * calendar (decision 010). Pure and browser-safe: the view builds its links from it.
 *
 * A value that is present but cannot be read gives an error for its field (shown in Japanese
 * next to it) instead of being dropped: an administrator looking for one person's actions must
 * never get everyone's rows by mistake.
 */
import type { MessageKey } from "~/i18n/i18n";
import {
  isAuditAction,
  isAuditEntityType,
  type AuditAction,
  type AuditEntityType,
} from "./audit-actions";
import { addDays, isValidDateString } from "./dates";

export const AUDIT_PAGE_SIZE = 50;

/** `staff` / `participant` alone: every account of that kind; with an id: that one. */
export type AuditWho =
  { type: "staff" | "participant"; id?: number } | { type: "system" | "anonymous" };

export interface AuditFilters {
  who?: AuditWho;
  action?: AuditAction;
  entityType?: AuditEntityType;
  /** Only with `entityType`. */
  entityId?: string;
  /** Japan calendar dates, YYYY-MM-DD, both included. */
  from?: string;
  to?: string;
}

export type AuditFilterField = "who" | "action" | "entity" | "id" | "from" | "to";
export type AuditFilterErrors = Partial<Record<AuditFilterField, MessageKey>>;

const ID_RE = /^[1-9]\d{0,14}$/;

export function parseAuditWho(value: string): AuditWho | null {
  if (value === "system" || value === "anonymous" || value === "staff" || value === "participant")
    return { type: value };
  const m = /^(staff|participant):(\d+)$/.exec(value);
  if (!m || !ID_RE.test(m[2]!)) return null;
  return { type: m[1] as "staff" | "participant", id: Number(m[2]) };
}

export function auditWhoValue(who: AuditWho): string {
  return "id" in who && who.id !== undefined ? `${who.type}:${who.id}` : who.type;
}

export function parseAuditFilters(params: URLSearchParams): {
  filters: AuditFilters;
  errors: AuditFilterErrors;
  page: number;
} {
  const filters: AuditFilters = {};
  const errors: AuditFilterErrors = {};
  const get = (name: string) => params.get(name)?.trim() ?? "";

  const who = get("who");
  if (who) {
    const parsed = parseAuditWho(who);
    if (parsed) filters.who = parsed;
    else errors.who = "audit.error.who";
  }
  const action = get("action");
  if (action) {
    if (isAuditAction(action)) filters.action = action;
    else errors.action = "audit.error.action";
  }
  const entity = get("entity");
  if (entity) {
    if (isAuditEntityType(entity)) filters.entityType = entity;
    else errors.entity = "audit.error.entity";
  }
  // Full-width digits (１２３) are what a Japanese keyboard often types.
  const id = get("id").replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (id) {
    if (!ID_RE.test(id)) errors.id = "audit.error.entityIdFormat";
    else if (!entity) errors.id = "audit.error.entityIdNeedsType";
    // With an unknown type, the type's own error says what to fix.
    else if (filters.entityType) filters.entityId = id;
  }
  for (const field of ["from", "to"] as const) {
    const value = get(field);
    if (!value) continue;
    if (isValidDateString(value)) filters[field] = value;
    else errors[field] = "audit.error.date";
  }
  if (filters.from && filters.to && filters.from > filters.to) errors.to = "audit.error.dateOrder";

  const pageParam = Number(params.get("page") ?? "1");
  const page = Number.isInteger(pageParam) && pageParam > 0 && pageParam <= 100_000 ? pageParam : 1;
  return { filters, errors, page };
}

export function hasAuditFilterErrors(errors: AuditFilterErrors): boolean {
  return Object.keys(errors).length > 0;
}

/** The filters as a query string (without `?`), page 1 left out. */
export function auditSearch(filters: AuditFilters, page = 1): string {
  const p = new URLSearchParams();
  if (filters.who) p.set("who", auditWhoValue(filters.who));
  if (filters.action) p.set("action", filters.action);
  if (filters.entityType) p.set("entity", filters.entityType);
  if (filters.entityId) p.set("id", filters.entityId);
  if (filters.from) p.set("from", filters.from);
  if (filters.to) p.set("to", filters.to);
  if (page > 1) p.set("page", String(page));
  return p.toString();
}

/**
 * The date range as UTC instants for `at` (ISO text): from the start of `from` in Japan,
 * up to but not including the start of the day after `to`. Japan has no daylight saving time,
 * so +09:00 is exact (decision 010).
 */
export function auditInstantRange(filters: Pick<AuditFilters, "from" | "to">): {
  fromIso?: string;
  beforeIso?: string;
} {
  const startOf = (date: string) => new Date(`${date}T00:00:00+09:00`).toISOString();
  return {
    ...(filters.from ? { fromIso: startOf(filters.from) } : {}),
    ...(filters.to ? { beforeIso: startOf(addDays(filters.to, 1)) } : {}),
  };
}
