import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportResources } from "~/models/resource-exports.server";

/**
 * The public list as CSV for Excel (/public/resources/export.csv, same query string as
 * /public/resources): public and active resources only, no login, not audited.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return exportResources(request, "csv", { publicOnly: true });
}
