/**
 * The resource list as files: CSV for Excel, GeoJSON for QGIS and web maps, HSDS 3 JSON for Open
 * Referral tools — for staff (the list as filtered, audited) and for the public (public and active
 * resources only, through `PUBLIC_RESOURCE`). The formats themselves are app/resources/export-*.
 */
import { resourcesToCsv } from "~/resources/export-csv";
import { resourcesToGeoJson } from "~/resources/export-geojson";
import { resourcesToHsds } from "~/resources/export-hsds.server";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { localDate } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { listResourcesFull, parseResourceFilters } from "./resources.server";

export type ExportFormat = "csv" | "geojson" | "hsds";

/** The organisation named in HSDS records of resources that carry none of their own. */
const ORGANIZATION = process.env.HSDS_ORGANIZATION_NAME || "まちの保健室";

export async function exportResources(
  request: Request,
  format: ExportFormat,
  options: { by?: { actor: Actor & { type: "staff" }; ip?: string }; publicOnly?: boolean },
): Promise<Response> {
  const url = new URL(request.url);
  const { filters } = parseResourceFilters(url.searchParams);
  const resources = await listResourcesFull(filters, { publicOnly: options.publicOnly });
  const stamp = localDate();
  const base = options.publicOnly ? "public-resources" : "resources";
  let body: string;
  let type: string;
  let name: string;
  const headers = new Headers();
  if (format === "csv") {
    body = resourcesToCsv(resources, "ja");
    type = "text/csv; charset=utf-8";
    name = `${base}-${stamp}.csv`;
  } else if (format === "geojson") {
    const { geojson, skipped } = resourcesToGeoJson(resources, "ja");
    body = JSON.stringify(geojson);
    type = "application/geo+json; charset=utf-8";
    name = `${base}-${stamp}.geojson`;
    // Resources without a location are not in the file; the count says how many.
    headers.set("X-Resources-Without-Location", String(skipped));
  } else {
    body = JSON.stringify(
      resourcesToHsds(resources, { organizationName: ORGANIZATION, baseUrl: url.origin }),
    );
    type = "application/json; charset=utf-8";
    name = `${base}-hsds-${stamp}.json`;
  }
  if (options.by) {
    const by = options.by;
    await getDb()
      .transaction()
      .execute((trx) =>
        writeAudit(trx, {
          ...by,
          action: "resource.export",
          entityType: "resource",
          entityId: null,
          detail: { format, count: resources.length, query: url.search.slice(0, 500) },
        }),
      );
  }
  headers.set("Content-Type", type);
  headers.set(
    "Content-Disposition",
    `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
  );
  return new Response(body, { status: 200, headers });
}
