import type { LoaderFunctionArgs } from "@remix-run/node";
import { createHash } from "node:crypto";
import { parseResourceFilters, resourceMapRowsJson } from "~/models/resources.server";
import { requireStaff } from "~/utils/auth.server";

/**
 * The map's points (/resources/map/points?<the list's filters>): the located resources matching
 * the filters as one JSON array of `MapRow` tuples, built by SQLite and sent as it is. The map page
 * fetches it after it has drawn, so that thousands of points are not encoded a second time inside
 * the page's data. A weak ETag lets a revisit with nothing changed answer 304.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const { filters } = parseResourceFilters(new URL(request.url).searchParams);
  const body = filters.located === false ? "[]" : await resourceMapRowsJson(filters);
  const etag = `W/"${createHash("sha1").update(body).digest("base64url")}"`;
  const headers = {
    "Content-Type": "application/json; charset=utf-8",
    // Staff data: the browser may keep it but must ask again each time; no shared cache.
    "Cache-Control": "private, no-cache",
    ETag: etag,
  };
  if (request.headers.get("If-None-Match") === etag)
    return new Response(null, { status: 304, headers });
  return new Response(body, { status: 200, headers });
}
