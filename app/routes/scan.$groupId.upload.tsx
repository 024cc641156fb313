import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getGroup } from "~/models/groups.server";
import { requireStaff } from "~/utils/auth.server";
import { notFound, requireIdParam } from "~/utils/http.server";
import { receivePhotos, type UploadOutcome } from "~/models/uploads.server";

/**
 * Only for POSTs from the station's script; a GET (a bookmark, a typed address) is told so —
 * after the session check, so that the address tells a participant nothing (decision 016).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const outcome: UploadOutcome = {
    status: "error",
    name: "",
    key: "errorPage.405",
    httpStatus: 405,
  };
  throw new Response(JSON.stringify(outcome), {
    status: 405,
    headers: { Allow: "POST", "Content-Type": "application/json; charset=utf-8" },
  });
}

/** One photo per request, sent by the station's script so that each file shows its own progress. */
export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireStaff(request);
  const groupId = requireIdParam(params.groupId);
  if (!(await getGroup(groupId))) notFound();
  const [outcome] = await receivePhotos(request, groupId, ctx);
  const status =
    outcome!.status === "error" ? outcome!.httpStatus : outcome!.status === "added" ? 201 : 200;
  return new Response(JSON.stringify(outcome), {
    status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      // The rest of an oversized body was not read: do not reuse the connection.
      ...(status === 413 ? { Connection: "close" } : {}),
    },
  });
}
