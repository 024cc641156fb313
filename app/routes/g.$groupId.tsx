import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useLang, useT } from "~/i18n/use-t";
import { getCustodyState } from "~/models/custody.server";
import { getGroupForParticipantView } from "~/models/groups.server";
import { requireParticipantOfGroup } from "~/utils/auth.server";
import { formatDate } from "~/utils/dates";
import { notFound, requireIdParam } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const groupId = requireIdParam(params.groupId);
  const viewer = await requireParticipantOfGroup(request, groupId);
  const group = await getGroupForParticipantView(groupId);
  if (!group) notFound();
  const custody = await getCustodyState(groupId, group.notebookId);
  return {
    group,
    custody,
    viewerParticipantId: viewer.kind === "participant" ? viewer.ctx.participant.id : null,
    staffPreview: viewer.kind === "staff",
  };
}

export default function GroupHome() {
  const { group, custody, viewerParticipantId, staffPreview } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const isMe = (id: number | undefined) => id !== undefined && id === viewerParticipantId;
  return (
    <div>
      {staffPreview ? <p className="alert alert--ok">{t("me.staffPreview")}</p> : null}
      <h1>{t("me.title", { group: group.name })}</h1>

      <section className="card" aria-labelledby="now-title">
        <h2 id="now-title">{t("me.now")}</h2>
        {custody.holder ? (
          isMe(custody.holder.participantId) ? (
            <>
              <p className="big-status">{t("me.youHaveIt")}</p>
              {custody.dueOn ? (
                <p>{t("me.dueBy", { date: formatDate(custody.dueOn, lang) })}</p>
              ) : null}
            </>
          ) : (
            <>
              <p className="big-status">{custody.holder.penName}</p>
              {custody.dueOn ? (
                <p>{t("me.holderDue", { date: formatDate(custody.dueOn, lang) })}</p>
              ) : null}
            </>
          )
        ) : (
          <>
            <p className="big-status">{t("me.atRoom")}</p>
            {custody.suggestedNext ? (
              <p>
                {isMe(custody.suggestedNext.participantId)
                  ? t("me.nextIsYou")
                  : t("me.nextIs", { name: custody.suggestedNext.penName })}
              </p>
            ) : null}
          </>
        )}
      </section>

      <section className="card" aria-labelledby="members-title">
        <h2 id="members-title">{t("me.members")}</h2>
        <ol className="rotation">
          {group.members.map((m) => (
            <li key={m.participantId}>
              {m.penName}
              {isMe(m.participantId) ? <span className="muted">{t("me.you")}</span> : null}
            </li>
          ))}
        </ol>
      </section>

      <section className="card" aria-labelledby="where-title">
        <h2 id="where-title">{t("me.where")}</h2>
        <p className="big-status">{group.roomName}</p>
        <p>{group.roomAddress}</p>
        {group.roomHours ? <p>{group.roomHours}</p> : null}
      </section>

      <p className="muted">{t("me.entriesLater")}</p>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: "わたしのグループ | 交換日記" }];
