import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageTitle } from "~/i18n/page-title";
import { useLang, useT } from "~/i18n/use-t";
import { listNotebookStatuses, listRecentHandoffs } from "~/models/custody.server";
import { listGroups } from "~/models/groups.server";
import { countQueue } from "~/models/review.server";
import { listOpenHideRequests } from "~/models/page-visibility.server";
import { listOpenFlags } from "~/models/watch.server";
import { Age } from "~/components/age";
import { getParticipant, requireStaff } from "~/utils/auth.server";
import { addDays, daysBetween, formatDate, formatDateTime, localDate } from "~/utils/dates";

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getParticipant(request)) throw redirect("/me");
  const { staff } = await requireStaff(request);
  const today = localDate();
  const weekEnd = addDays(today, 7);
  const [notebooks, forming, recent, queue, flags, hideRequests] = await Promise.all([
    listNotebookStatuses(),
    listGroups({ status: "forming" }),
    listRecentHandoffs(10),
    countQueue(),
    listOpenFlags(10),
    listOpenHideRequests(),
  ]);
  const held = notebooks.filter((n) => n.holderParticipantId !== null && n.dueOn);
  return {
    staffName: staff.displayName,
    today,
    overdue: held.filter((n) => n.dueOn! < today),
    dueSoon: held.filter((n) => n.dueOn! >= today && n.dueOn! <= weekEnd),
    atRoom: notebooks.filter((n) => n.holderParticipantId === null && n.since !== null),
    forming,
    recent,
    queue,
    flags,
    hideRequests,
    now: new Date().toISOString(),
  };
}

export default function Dashboard() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  return (
    <div>
      <h1>{t("dashboard.title")}</h1>
      <p>{t("dashboard.greeting", { name: data.staffName })}</p>
      {data.flags.length > 0 ? (
        <section
          className="card card--flags"
          aria-labelledby="flags-title"
          data-testid="dashboard-flags"
        >
          <h2 id="flags-title">{t("watch.openTitle")}</h2>
          <p className="hint">{t("watch.aidNotAssessment")}</p>
          <ul className="list-plain">
            {data.flags.map((f) => (
              <li key={f.id}>
                <Link to={`/review/pages/${f.pageId}#flags`}>
                  {t("review.pageTitle", { group: f.groupName, n: f.pageNumber })}
                </Link>
                ・<Age iso={f.createdAt} now={Date.parse(data.now)} prefix="watch.openFor" />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {data.hideRequests.length > 0 ? (
        <section
          className="card card--flags"
          aria-labelledby="hide-requests-title"
          data-testid="dashboard-hide-requests"
        >
          <h2 id="hide-requests-title">{t("dashboard.hideRequests")}</h2>
          <p className="hint">{t("dashboard.hideRequestsIntro")}</p>
          <ul className="list-plain">
            {data.hideRequests.map((r) => (
              <li key={r.pageId}>
                <Link to={`/review/pages/${r.pageId}#visibility`}>
                  {t("dashboard.hideRequestItem", { group: r.groupName, n: r.pageNumber })}
                </Link>
                ・
                {t("dashboard.hideRequestBy", {
                  name: r.penName
                    ? t("visibility.writer", { name: r.penName })
                    : t("visibility.unknownWriter"),
                  at: formatDateTime(r.requestedAt, lang),
                })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p className="big-link">
        <Link to="/review" data-testid="dashboard-review">
          {t("dashboard.toReview", { n: data.queue.waiting + data.queue.inReview })}
        </Link>
      </p>
      <div className="grid">
        <section className="card" aria-labelledby="overdue-title">
          <h2 id="overdue-title">{t("dashboard.overdue")}</h2>
          {data.overdue.length === 0 ? (
            <p className="muted">{t("dashboard.noneOverdue")}</p>
          ) : (
            <ul className="list-plain">
              {data.overdue.map((n) => (
                <li key={n.groupId}>
                  <Link to={`/groups/${n.groupId}`}>{n.groupName}</Link>・{n.holderPenName}
                  <br />
                  {t("custody.due")}: {formatDate(n.dueOn, lang)}{" "}
                  <span className="badge badge--danger">
                    {t("dashboard.daysOverdue", { n: daysBetween(n.dueOn!, data.today) })}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="due-title">
          <h2 id="due-title">{t("dashboard.dueSoon")}</h2>
          {data.dueSoon.length === 0 ? (
            <p className="muted">{t("dashboard.noneDueSoon")}</p>
          ) : (
            <ul className="list-plain">
              {data.dueSoon.map((n) => {
                const left = daysBetween(data.today, n.dueOn!);
                return (
                  <li key={n.groupId} data-testid={`due-${n.groupId}`}>
                    <Link to={`/groups/${n.groupId}`}>{n.groupName}</Link>・{n.holderPenName}
                    <br />
                    {t("custody.due")}: {formatDate(n.dueOn, lang)}（
                    {left === 0 ? t("dashboard.dueToday") : t("dashboard.daysLeft", { n: left })}）
                  </li>
                );
              })}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="room-title">
          <h2 id="room-title">{t("dashboard.atRoom")}</h2>
          {data.atRoom.length === 0 ? (
            <p className="muted">{t("dashboard.noneAtRoom")}</p>
          ) : (
            <ul className="list-plain">
              {data.atRoom.map((n) => (
                <li key={n.groupId}>
                  <Link to={`/groups/${n.groupId}`}>{n.groupName}</Link>・{n.healthRoomName}
                  <br />
                  <span className="muted">
                    {t("dashboard.sinceDays", { n: daysBetween(localDate(n.since!), data.today) })}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="forming-title">
          <h2 id="forming-title">{t("dashboard.forming")}</h2>
          {data.forming.length === 0 ? (
            <p className="muted">{t("dashboard.noneForming")}</p>
          ) : (
            <ul className="list-plain">
              {data.forming.map((g) => (
                <li key={g.id}>
                  <Link to={`/groups/${g.id}`}>{g.name}</Link>（{g.cohortName}）
                  <br />
                  <span className="muted">
                    {t("dashboard.memberCount", { n: g.memberPenNames.length })}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <section aria-labelledby="recent-title">
        <h2 id="recent-title">{t("dashboard.recent")}</h2>
        {data.recent.length === 0 ? (
          <p className="muted">{t("dashboard.noneRecent")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("custody.handedAt")}</th>
                  <th scope="col">{t("groups.name")}</th>
                  <th scope="col">{t("custody.from")}</th>
                  <th scope="col">{t("custody.toCol")}</th>
                  <th scope="col">{t("custody.room")}</th>
                </tr>
              </thead>
              <tbody>
                {data.recent.map((h) => (
                  <tr key={h.id}>
                    <td>{formatDateTime(h.handedAt, lang)}</td>
                    <td>
                      <Link to={`/groups/${h.groupId}`}>{h.groupName}</Link>
                    </td>
                    <td>{h.fromPenName ?? t("custody.room")}</td>
                    <td>{h.toPenName ?? t("custody.room")}</td>
                    <td>{h.healthRoomName}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.dashboard");
