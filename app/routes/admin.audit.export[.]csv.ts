import type { LoaderFunctionArgs } from "@remix-run/node";
import { ja } from "~/i18n/ja";
import { exportAuditLogCsv } from "~/models/audit-export.server";
import { hasAuditFilterErrors, parseAuditFilters } from "~/utils/audit-filters";
import { requireAdmin } from "~/utils/auth.server";

/**
 * /admin/audit/export.csv with the query string of /admin/audit: the filtered log as CSV.
 * Administrators only; every export is itself an audit row. Filters that cannot be read are a
 * 400 that says which, in Japanese — never the whole log instead.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requireAdmin(request);
  const { filters, errors } = parseAuditFilters(new URL(request.url).searchParams);
  if (hasAuditFilterErrors(errors)) {
    const lines = [ja["audit.invalid"], ...Object.values(errors).map((key) => `・${ja[key!]}`)];
    return new Response(`${lines.join("\n")}\n`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  return exportAuditLogCsv(filters, {
    actor: { type: "staff", staffId: ctx.staff.id },
    ip: ctx.ip,
  });
}
