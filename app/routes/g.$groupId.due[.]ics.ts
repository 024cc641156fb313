import type { LoaderFunctionArgs } from "@remix-run/node";
import { getLangFromCookieHeader, makeT } from "~/i18n/i18n";
import { getCustodyState } from "~/models/custody.server";
import { getGroupForParticipantView } from "~/models/participant-view.server";
import { requireParticipantOfGroup } from "~/utils/auth.server";
import { notFound, requireIdParam } from "~/utils/http.server";
import { allDayEventIcs } from "~/utils/ics";

// The notebook's due date as a calendar file, for the group's own members (and staff): the
// holder adds it to their phone's calendar. Nothing about anyone else is in it.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const groupId = requireIdParam(params.groupId);
  await requireParticipantOfGroup(request, groupId);
  const group = await getGroupForParticipantView(groupId);
  if (!group) notFound();
  const custody = await getCustodyState(groupId, group.notebookId);
  const t = makeT(getLangFromCookieHeader(request.headers.get("Cookie")));
  if (!custody.holder || !custody.dueOn) notFound();
  const body = allDayEventIcs({
    uid: `notebook-${group.notebookId}-due-${custody.dueOn}@kokan-nikki`,
    date: custody.dueOn,
    summary: t("me.icsSummary", { room: group.roomName }),
    location: [group.roomName, group.roomAddress].filter(Boolean).join(" "),
    description: group.roomHours ? t("me.icsHours", { hours: group.roomHours }) : undefined,
    now: new Date(),
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'attachment; filename="kokan-nikki-due.ics"',
      "Cache-Control": "private, no-store",
    },
  });
}
