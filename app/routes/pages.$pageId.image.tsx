import type { LoaderFunctionArgs } from "@remix-run/node";
import { getStaffPageImage, type StaffImageSize } from "~/models/review.server";
import { derivedImageResponse } from "~/storage/images.server";
import { requireStaff } from "~/utils/auth.server";
import { notFound, requireIdParam } from "~/utils/http.server";

const SIZES: StaffImageSize[] = ["thumb", "view", "crop"];

// Derived images only (auto-oriented, no metadata); originals are never served. `crop` is the
// straightened page; a page without one (not read yet, or rotated since) gets the viewing image.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const asked = new URL(request.url).searchParams.get("size");
  const size = SIZES.find((s) => s === asked) ?? "thumb";
  const relative = await getStaffPageImage(requireIdParam(params.pageId), size);
  if (!relative) notFound();
  const response = await derivedImageResponse(relative, "private, max-age=300");
  return response ?? notFound();
}
