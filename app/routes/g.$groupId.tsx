import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageTitle } from "~/i18n/page-title";
import { useLang, useT } from "~/i18n/use-t";
import { getCustodyState } from "~/models/custody.server";
import { getGroupForParticipantView } from "~/models/participant-view.server";
import { listApprovedPagesForGroup } from "~/models/review.server";
import { requireParticipantOfGroup } from "~/utils/auth.server";
import { formatDate } from "~/utils/dates";
import { notFound, requireIdParam } from "~/utils/http.server";

const PER_PAGE = 20;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const groupId = requireIdParam(params.groupId);
  const viewer = await requireParticipantOfGroup(request, groupId);
  const group = await getGroupForParticipantView(groupId);
  if (!group) notFound();
  const pageNo = Math.max(
    1,
    Math.min(1000, Number(new URL(request.url).searchParams.get("p")) || 1),
  );
  const [custody, found] = await Promise.all([
    getCustodyState(groupId, group.notebookId),
    listApprovedPagesForGroup(groupId, { limit: PER_PAGE + 1, offset: (pageNo - 1) * PER_PAGE }),
  ]);
  const pages = found.slice(0, PER_PAGE);
  return {
    group,
    custody,
    pages,
    pageNo,
    hasOlder: found.length > PER_PAGE,
    viewerParticipantId: viewer.kind === "participant" ? viewer.ctx.participant.id : null,
    staffPreview: viewer.kind === "staff",
  };
}

export default function GroupHome() {
  const { group, custody, pages, pageNo, hasOlder, viewerParticipantId, staffPreview } =
    useLoaderData<typeof loader>();
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

      <section aria-labelledby="diary-title" className="diary">
        <h2 id="diary-title">{t("me.diary")}</h2>
        {pages.length === 0 ? <p className="muted">{t("me.entriesLater")}</p> : null}
        {pages.map((p) => (
          <article key={p.id} className="diary-page card" data-testid={`diary-page-${p.id}`}>
            <header>
              <h3>
                {p.penName ?? t("me.someone")}
                {p.entryDate ? (
                  <span className="muted">・{formatDate(p.entryDate, lang)}</span>
                ) : null}
              </h3>
              <p className="muted small">{t("me.pageNo", { n: p.pageNumber })}</p>
            </header>
            <div className="diary-page__body">
              <div
                className={`diary-page__text${p.layout === "vertical" ? " diary-page__text--vertical" : ""}`}
                lang="ja"
              >
                {p.lines.map((line, i) => (
                  <p key={i}>{line || "\u00a0"}</p>
                ))}
              </div>
              <a href={`/g/${group.id}/pages/${p.id}/image`} className="diary-page__photo">
                <img
                  src={`/g/${group.id}/pages/${p.id}/image`}
                  alt={t("me.photoAlt", { n: p.pageNumber })}
                  loading="lazy"
                  width={240}
                />
              </a>
            </div>
          </article>
        ))}
        <nav className="pager" aria-label={t("me.diaryPages")}>
          {pageNo > 1 ? (
            <Link to={pageNo === 2 ? "." : `?p=${pageNo - 1}`}>{t("me.newer")}</Link>
          ) : null}
          {hasOlder ? <Link to={`?p=${pageNo + 1}`}>{t("me.older")}</Link> : null}
        </nav>
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.myGroup");
