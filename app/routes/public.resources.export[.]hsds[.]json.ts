import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportResources } from "~/models/resource-exports.server";

/**
 * The public list as Open Referral HSDS 3 JSON (/public/resources/export.hsds.json, same query
 * string as /public/resources): public and active resources only, no login.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return exportResources(request, "hsds", { publicOnly: true });
}
