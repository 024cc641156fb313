import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportResources } from "~/models/resource-exports.server";

/**
 * The public list as GeoJSON for QGIS and web maps (/public/resources/export.geojson, same query
 * string as /public/resources): public and active resources with a location only, no login.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return exportResources(request, "geojson", { publicOnly: true });
}
