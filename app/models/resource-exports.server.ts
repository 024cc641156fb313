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
import type { ResourceFilters } from "~/resources/filters";
import { listResourcesFull, listResourceStamps, parseResourceFilters } from "./resources.server";

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
  let count: number;
  const stamp = localDate();
  const base = options.publicOnly ? "public-resources" : "resources";
  let body: string | Uint8Array<ArrayBuffer>;
  let type: string;
  let name: string;
  const headers = new Headers();
  if (format === "hsds") {
    ({ body, count } = await hsdsExport(filters, !!options.publicOnly, url.origin));
    type = "application/json; charset=utf-8";
    name = `${base}-hsds-${stamp}.json`;
  } else if (format === "csv") {
    const resources = await listResourcesFull(filters, { publicOnly: options.publicOnly });
    count = resources.length;
    body = resourcesToCsv(resources, "ja");
    type = "text/csv; charset=utf-8";
    name = `${base}-${stamp}.csv`;
  } else {
    const resources = await listResourcesFull(filters, { publicOnly: options.publicOnly });
    count = resources.length;
    const { geojson, skipped } = resourcesToGeoJson(resources, "ja");
    body = JSON.stringify(geojson);
    type = "application/geo+json; charset=utf-8";
    name = `${base}-${stamp}.geojson`;
    // Resources without a location are not in the file; the count says how many.
    headers.set("X-Resources-Without-Location", String(skipped));
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
          detail: { format, count, query: url.search.slice(0, 500) },
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

/**
 * Each resource's HSDS record as JSON text, kept per publisher (organisation name + site URL) and
 * reused while the resource's `updated_at` is the same: an export of thousands of resources then
 * builds only the records of those that changed since the last one. Every change of a resource
 * goes through the resource model, which sets `updated_at`; several app servers each keep their
 * own copy, checked against the database on every export, so none can serve a stale record.
 */
const hsdsRecords = new Map<string, Map<number, { updatedAt: string; json: Buffer }>>();
const EMPTY = Buffer.alloc(0);
const OPEN = Buffer.from("[");
const COMMA = Buffer.from(",");
const CLOSE = Buffer.from("]");
/** About 3 kB a record: bounded to a few tens of megabytes. */
const HSDS_RECORDS_MAX = 20_000;

async function hsdsExport(
  filters: ResourceFilters,
  publicOnly: boolean,
  baseUrl: string,
): Promise<{ body: Uint8Array<ArrayBuffer>; count: number }> {
  const publisher = `${ORGANIZATION}\n${baseUrl}`;
  let known = hsdsRecords.get(publisher);
  if (!known || known.size > HSDS_RECORDS_MAX) {
    // A new map rather than clear(): an export still running keeps the one it holds.
    hsdsRecords.clear();
    hsdsRecords.set(publisher, (known = new Map()));
  }
  const records = known;
  // One read transaction: the list and the changed records are the same moment's (a resource
  // made staff-only in between cannot slip into a public export). The records still valid are
  // taken at that moment too.
  const { parts, changed, slots } = await getDb()
    .transaction()
    .execute(async (trx) => {
      const stamps = await listResourceStamps(filters, { publicOnly, db: trx });
      const parts: Buffer[] = [];
      const slots = new Map<number, number>();
      stamps.forEach((s, i) => {
        const record = records.get(s.id);
        if (record?.updatedAt === s.updatedAt) parts.push(record.json);
        else {
          parts.push(EMPTY);
          slots.set(s.id, i);
        }
      });
      const changed =
        slots.size === 0
          ? []
          : await listResourcesFull(filters, {
              publicOnly,
              db: trx,
              // Reading all is cheaper than a long id list when most changed (a first export).
              ...(slots.size * 2 < stamps.length ? { ids: [...slots.keys()] } : {}),
            });
      return { parts, changed: changed.filter((r) => slots.has(r.id)), slots };
    });
  if (changed.length > 0) {
    const services = resourcesToHsds(changed, { organizationName: ORGANIZATION, baseUrl });
    changed.forEach((r, i) => {
      // Kept as UTF-8 bytes: the body is then one copy of them, not a string to encode again.
      const json = Buffer.from(JSON.stringify(services[i]));
      records.set(r.id, { updatedAt: r.updatedAt, json });
      parts[slots.get(r.id)!] = json;
    });
  }
  const pieces: Buffer[] = [OPEN];
  parts.forEach((p, i) => (i === 0 ? pieces.push(p) : pieces.push(COMMA, p)));
  pieces.push(CLOSE);
  return { body: Buffer.concat(pieces), count: parts.length };
}
