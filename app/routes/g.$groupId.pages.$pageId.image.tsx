import type { LoaderFunctionArgs } from "@remix-run/node";
import { getVisiblePageImage } from "~/models/review.server";
import { derivedImageResponse } from "~/ocr/images.server";
import { requireParticipantOfGroup } from "~/utils/auth.server";
import { notFound, requireIdParam } from "~/utils/http.server";

// The photo of an approved page, for its own group only (the same rule as the diary list:
// approved, not hidden, no open 見守り flag). Derived image only, never the original.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const groupId = requireIdParam(params.groupId);
  await requireParticipantOfGroup(request, groupId);
  const viewingPath = await getVisiblePageImage(requireIdParam(params.pageId), groupId);
  if (!viewingPath) notFound();
  return (await derivedImageResponse(viewingPath, "private, no-store")) ?? notFound();
}
