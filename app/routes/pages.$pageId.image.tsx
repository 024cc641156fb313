import type { LoaderFunctionArgs } from "@remix-run/node";
import { getPageFiles } from "~/models/pages.server";
import { derivedImageResponse } from "~/ocr/images.server";
import { requireStaff } from "~/utils/auth.server";
import { notFound, requireIdParam } from "~/utils/http.server";

// Derived images only (auto-oriented, no metadata); originals are never served.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const page = await getPageFiles(requireIdParam(params.pageId));
  if (!page) notFound();
  const size = new URL(request.url).searchParams.get("size") === "view" ? "view" : "thumb";
  const response = await derivedImageResponse(
    size === "view" ? page.viewing_path : page.thumb_path,
    "private, max-age=300",
  );
  return response ?? notFound();
}
