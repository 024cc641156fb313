import fs from "node:fs/promises";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getPageFiles } from "~/models/pages.server";
import { isPageVisibleToGroup } from "~/models/review.server";
import { resolveUpload } from "~/ocr/images.server";
import { requireParticipantOfGroup } from "~/utils/auth.server";
import { notFound, requireIdParam } from "~/utils/http.server";

// The photo of an approved page, for its own group only (the same rule as the diary list:
// approved, not hidden, no open 見守り flag). Derived image only, never the original.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const groupId = requireIdParam(params.groupId);
  await requireParticipantOfGroup(request, groupId);
  const pageId = requireIdParam(params.pageId);
  if (!(await isPageVisibleToGroup(pageId, groupId))) notFound();
  const page = await getPageFiles(pageId);
  if (!page) notFound();
  const body = await fs.readFile(resolveUpload(page.viewing_path)).catch(() => null);
  if (!body) notFound();
  return new Response(body, {
    headers: {
      "Content-Type": "image/jpeg",
      "Cache-Control": "private, no-store",
      "Content-Length": String(body.length),
    },
  });
}
