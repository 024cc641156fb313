import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { Notice } from "~/components/field";
import { PhotoViewer, type ViewerPage } from "~/components/photo-viewer";
import { pageTitle } from "~/i18n/page-title";
import { useLang, useT } from "~/i18n/use-t";
import { getCustodyState } from "~/models/custody.server";
import { requestHide } from "~/models/page-visibility.server";
import { getGroupForParticipantView } from "~/models/participant-view.server";
import { countVisiblePagesForGroup, listApprovedPagesForGroup } from "~/models/review.server";
import { requireParticipantOfGroup } from "~/utils/auth.server";
import { formatDate } from "~/utils/dates";
import { DomainError } from "~/utils/forms.server";
import { notFound, readForm, requireIdParam } from "~/utils/http.server";

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
  const [custody, found, pageCount] = await Promise.all([
    getCustodyState(groupId, group.notebookId),
    listApprovedPagesForGroup(groupId, { limit: PER_PAGE + 1, offset: (pageNo - 1) * PER_PAGE }),
    countVisiblePagesForGroup(groupId),
  ]);
  const pages = found.slice(0, PER_PAGE);
  return {
    group,
    custody,
    pages,
    pageCount,
    pageNo,
    hasOlder: found.length > PER_PAGE,
    viewerParticipantId: viewer.kind === "participant" ? viewer.ctx.participant.id : null,
    staffPreview: viewer.kind === "staff",
  };
}

// A participant asks for one of their own pages to be hidden (staff use the page's own screen).
export async function action({ request, params }: ActionFunctionArgs) {
  const groupId = requireIdParam(params.groupId);
  const viewer = await requireParticipantOfGroup(request, groupId);
  if (viewer.kind !== "participant") notFound();
  const form = await readForm(request);
  if (form.get("intent") !== "hide") throw new Response("Bad Request", { status: 400 });
  const pageId = requireIdParam(String(form.get("pageId") ?? ""));
  const { participant, actor, ip } = viewer.ctx;
  try {
    await requestHide(pageId, { participantId: participant.id, groupId, actor, ip });
  } catch (error) {
    // Not their page, or not one the group sees: nothing to tell.
    if (error instanceof DomainError) notFound();
    throw error;
  }
  return redirect(`/g/${groupId}?hidden=1`);
}

/** The address as a search in the phone's map app (a link out; nothing is loaded from here). */
function mapLink(address: string) {
  return `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(address)}`;
}

export default function GroupHome() {
  const { group, custody, pages, pageCount, pageNo, hasOlder, viewerParticipantId, staffPreview } =
    useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const [params] = useSearchParams();
  const [open, setOpen] = useState<number | null>(null);
  const isMe = (id: number | null | undefined) =>
    id !== undefined && id !== null && id === viewerParticipantId;
  const photos: ViewerPage[] = pages.map((p) => ({
    id: p.id,
    pageNumber: p.pageNumber,
    imageUrl: `/g/${group.id}/pages/${p.id}/image`,
    lines: p.lines,
  }));
  const myTurn = custody.holder ? isMe(custody.holder.participantId) : false;

  return (
    <div className="group-home">
      {staffPreview ? <p className="alert alert--ok">{t("me.staffPreview")}</p> : null}
      {params.get("hidden") ? <Notice>{t("me.hidden")}</Notice> : null}
      <h1>{t("me.title", { group: group.name })}</h1>

      <section
        className={`card${myTurn ? " card--my-turn" : ""}`}
        aria-labelledby="now-title"
        data-testid="custody"
      >
        <h2 id="now-title">{t("me.now")}</h2>
        {custody.holder ? (
          myTurn ? (
            <>
              <p className="big-status">{t("me.yourTurn")}</p>
              <p>{t("me.youHaveIt")}</p>
              {custody.dueOn ? (
                <>
                  <p>{t("me.dueBy", { date: formatDate(custody.dueOn, lang) })}</p>
                  <p>
                    <a href={`/g/${group.id}/due.ics`}>{t("me.addToCalendar")}</a>
                  </p>
                </>
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

      <section className="card" aria-labelledby="where-title">
        <h2 id="where-title">{t("me.where")}</h2>
        <p className="big-status">{group.roomName}</p>
        <p>{group.roomAddress}</p>
        {group.roomHours ? <p>{t("me.hours", { hours: group.roomHours })}</p> : null}
        {group.roomAddress ? (
          <p>
            <a href={mapLink(group.roomAddress)} target="_blank" rel="noopener noreferrer">
              {t("me.openMap")}
            </a>
          </p>
        ) : null}
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

      <section aria-labelledby="diary-title" className="diary">
        <h2 id="diary-title">{t("me.diary")}</h2>
        <p data-testid="page-count">
          {pageCount > 0 ? t("me.pageCount", { n: pageCount }) : t("me.pageCountNone")}
        </p>
        {pages.length === 0 ? <p className="muted">{t("me.entriesLater")}</p> : null}
        <ol className="timeline">
          {pages.map((p, i) => (
            <li key={p.id}>
              <article
                className="diary-page card"
                data-testid={`diary-page-${p.id}`}
                aria-labelledby={`entry-${p.id}`}
              >
                <header>
                  <h3 id={`entry-${p.id}`}>
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
                    {p.lines.map((line, j) => (
                      <p key={j}>{line || "\u00a0"}</p>
                    ))}
                  </div>
                  <a
                    href={photos[i]!.imageUrl}
                    className="diary-page__photo"
                    onClick={(e) => {
                      e.preventDefault();
                      setOpen(i);
                    }}
                    aria-label={t("me.openPhoto", { n: p.pageNumber })}
                  >
                    <img
                      src={`${photos[i]!.imageUrl}?size=thumb`}
                      alt=""
                      loading="lazy"
                      width={240}
                    />
                  </a>
                </div>
                {isMe(p.authorParticipantId) ? (
                  <details className="hide-request">
                    <summary>{t("me.hideAsk")}</summary>
                    <p>{t("me.hideExplain")}</p>
                    <Form method="post">
                      <input type="hidden" name="intent" value="hide" />
                      <input type="hidden" name="pageId" value={p.id} />
                      <button type="submit" className="button--danger">
                        {t("me.hideConfirm")}
                      </button>
                    </Form>
                  </details>
                ) : null}
              </article>
            </li>
          ))}
        </ol>
        <nav className="pager" aria-label={t("me.diaryPages")}>
          {pageNo > 1 ? (
            <Link to={pageNo === 2 ? "." : `?p=${pageNo - 1}`}>{t("me.newer")}</Link>
          ) : null}
          {hasOlder ? <Link to={`?p=${pageNo + 1}`}>{t("me.older")}</Link> : null}
        </nav>
      </section>
      <PhotoViewer pages={photos} index={open} onIndex={setOpen} onClose={() => setOpen(null)} />
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.myGroup");
