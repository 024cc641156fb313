import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportResources } from "~/models/resource-exports.server";
import { requireStaff } from "~/utils/auth.server";
import { notFound } from "~/utils/http.server";

/**
 * Staff exports of the list as it is filtered: /resources/export/csv, /geojson, /hsds
 * (same query string as /resources). Every export is audited.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireStaff(request);
  const format = params.format;
  if (format !== "csv" && format !== "geojson" && format !== "hsds") notFound();
  return exportResources(request, format, {
    by: { actor: { type: "staff" as const, staffId: ctx.staff.id }, ip: ctx.ip },
  });
}
