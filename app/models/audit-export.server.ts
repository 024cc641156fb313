/**
 * The filtered audit log as CSV for Excel in Japan: UTF-8 with a BOM, CRLF, RFC 4180 quoting by
 * csv-stringify, Japanese headings, and the same formula guard as the resource export. The
 * export is audited before the first byte is sent (the row says how many entries and which
 * filters), and it stops at the newest row of that moment, so the count it records is exactly
 * the rows in the file. Rows are read and written in batches as the client takes them: a log of
 * millions is never held in memory and never holds the shared database connection for long.
 */
import { stringify } from "csv-stringify/sync";
import { ja } from "~/i18n/ja";
import { neutraliseFormula } from "~/resources/export-csv";
import { isAuditAction, isAuditEntityType } from "~/utils/audit-actions";
import { auditSearch, type AuditFilters } from "~/utils/audit-filters";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { isoToLocalSeconds, localDate } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { countAuditLog, iterateAuditLog, lastAuditId, type AuditRow } from "./audit-log.server";

const ACTOR_TYPES: Record<string, string> = {
  staff: "スタッフ",
  participant: "参加者",
  system: "システム",
  anonymous: "未ログイン",
};

type Cell = string | number | null;

/** The columns, in order. The row id comes last: Excel takes a file starting "ID" for SYLK. */
export const AUDIT_CSV_COLUMNS: readonly { heading: string; value: (r: AuditRow) => Cell }[] = [
  { heading: "日時（日本時間）", value: (r) => isoToLocalSeconds(r.at) },
  { heading: "日時（UTC）", value: (r) => r.at },
  { heading: "だれが（種類）", value: (r) => ACTOR_TYPES[r.actor_type] ?? r.actor_type },
  {
    heading: "だれが",
    value: (r) =>
      r.actor_type === "staff"
        ? `${r.staff_name ?? ""}（${r.staff_login ?? ""}）`
        : r.actor_type === "participant"
          ? (r.participant_pen_name ?? "削除された参加者")
          : null,
  },
  {
    heading: "だれが（番号）",
    value: (r) => r.actor_staff_id ?? r.actor_participant_id ?? null,
  },
  {
    heading: "操作",
    value: (r) => (isAuditAction(r.action) ? ja[`audit.action.${r.action}`] : r.action),
  },
  { heading: "操作（コード）", value: (r) => r.action },
  {
    heading: "記録の種類",
    value: (r) =>
      isAuditEntityType(r.entity_type) ? ja[`audit.entity.${r.entity_type}`] : r.entity_type,
  },
  { heading: "記録の種類（コード）", value: (r) => r.entity_type },
  { heading: "記録の番号", value: (r) => r.entity_id },
  { heading: "内容", value: (r) => (r.detail === "{}" ? null : r.detail) },
  { heading: "アドレス", value: (r) => r.ip },
  { heading: "番号", value: (r) => r.id },
];

const CSV_OPTIONS = { record_delimiter: "\r\n", quoted_match: /[\r\n]/ } as const;

function cell(value: Cell): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  return neutraliseFormula(value);
}

export function auditRowsToCsv(rows: AuditRow[]): string {
  return stringify(
    rows.map((r) => AUDIT_CSV_COLUMNS.map((c) => cell(c.value(r)))),
    CSV_OPTIONS,
  );
}

export async function exportAuditLogCsv(
  filters: AuditFilters,
  by: { actor: Actor & { type: "staff" }; ip?: string },
): Promise<Response> {
  const upToId = await lastAuditId();
  const count = await countAuditLog(filters, { upToId });
  await writeAudit(getDb(), {
    ...by,
    action: "audit_log.export",
    entityType: "audit_log",
    entityId: null,
    detail: { count, upToId, query: auditSearch(filters) },
  });
  const batches = iterateAuditLog(filters, upToId);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const heading = AUDIT_CSV_COLUMNS.map((c) => c.heading);
      controller.enqueue(encoder.encode(stringify([heading], { ...CSV_OPTIONS, bom: true })));
    },
    async pull(controller) {
      try {
        const next = await batches.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(auditRowsToCsv(next.value)));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  const name = `audit-log-${localDate()}.csv`;
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "Cache-Control": "no-store",
      "X-Audit-Rows": String(count),
    },
  });
}
