import fs from "node:fs/promises";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getPageFiles } from "~/models/pages.server";
import { resolveUpload } from "~/ocr/images.server";
import { requireStaff } from "~/utils/auth.server";
import { notFound, requireIdParam } from "~/utils/http.server";

// Derived images only (auto-oriented, no metadata); originals are never served.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const page = await getPageFiles(requireIdParam(params.pageId));
  if (!page) notFound();
  const size = new URL(request.url).searchParams.get("size") === "view" ? "view" : "thumb";
  const file = resolveUpload(size === "view" ? page.viewing_path : page.thumb_path);
  const body = await fs.readFile(file).catch(() => null);
  if (!body) notFound();
  return new Response(body, {
    headers: {
      "Content-Type": "image/jpeg",
      "Cache-Control": "private, max-age=300",
      "Content-Length": String(body.length),
    },
  });
}
