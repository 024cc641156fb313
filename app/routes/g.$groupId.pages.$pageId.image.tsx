import type { LoaderFunctionArgs } from "@remix-run/node";
import { getVisiblePageImage } from "~/models/review.server";
import { derivedImageResponse } from "~/storage/images.server";
import { requireParticipantOfGroup } from "~/utils/auth.server";
import { notFound, requireIdParam } from "~/utils/http.server";

// The photo of an approved page, for its own group only (the same rule as the diary list:
// approved, not hidden, no open 見守り flag): the straightened page crop (the viewing image only
// for pages read before crops existed), or with ?size=thumb the small picture; never the original.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const groupId = requireIdParam(params.groupId);
  await requireParticipantOfGroup(request, groupId);
  const size = new URL(request.url).searchParams.get("size") === "thumb" ? "thumb" : "view";
  const imagePath = await getVisiblePageImage(requireIdParam(params.pageId), groupId, size);
  if (!imagePath) notFound();
  return (await derivedImageResponse(imagePath, "private, no-store")) ?? notFound();
}
