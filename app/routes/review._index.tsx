import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { ErrorPage } from "~/components/error-page";
import { Notice } from "~/components/field";
import { pageTitle } from "~/i18n/page-title";
import { useLang, useT } from "~/i18n/use-t";
import { listCohorts } from "~/models/cohorts.server";
import { listGroups } from "~/models/groups.server";
import { listHealthRooms } from "~/models/health-rooms.server";
import {
  claimPage,
  countQueue,
  findNextPage,
  listQueueAuthors,
  listReviewQueue,
  parseQueueFilters,
  queueSearch,
} from "~/models/review.server";
import { listOpenFlags } from "~/models/watch.server";
import { requireStaff } from "~/utils/auth.server";
import { formatDate, formatDateTime } from "~/utils/dates";
import { Age } from "~/components/age";

const PAGE_SIZE = 50;

export async function loader({ request }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request);
  const url = new URL(request.url);
  const filters = parseQueueFilters(url.searchParams);
  const pageNo = Math.max(1, Math.min(1000, Number(url.searchParams.get("page")) || 1));
  const [rows, counts, flags, cohorts, groups, rooms, authors] = await Promise.all([
    listReviewQueue(filters, { limit: PAGE_SIZE + 1, offset: (pageNo - 1) * PAGE_SIZE }),
    countQueue(filters),
    listOpenFlags(20),
    listCohorts(),
    listGroups({ cohortId: filters.cohortId }),
    listHealthRooms(),
    listQueueAuthors(filters),
  ]);
  return {
    rows: rows.slice(0, PAGE_SIZE),
    hasMore: rows.length > PAGE_SIZE,
    pageNo,
    counts,
    flags,
    filters,
    search: queueSearch(filters),
    options: {
      cohorts: cohorts.map((c) => ({ id: c.id, name: c.name })),
      groups: groups.map((g) => ({ id: g.id, name: g.name })),
      rooms: rooms.map((r) => ({ id: r.id, name: r.name })),
      authors: authors.map((a) => ({ id: a.id, name: `${a.pen_name}（${a.real_name}）` })),
    },
    now: new Date().toISOString(),
    me: staff.id,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { staff } = await requireStaff(request);
  const url = new URL(request.url);
  const filters = parseQueueFilters(url.searchParams);
  const search = queueSearch(filters);
  const next = await findNextPage(filters, staff.id, null);
  if (!next) return redirect(`/review${search ? `${search}&` : "?"}done=1`);
  await claimPage(next, staff.id);
  return redirect(`/review/pages/${next}${search}`);
}

export default function ReviewQueue() {
  const { rows, hasMore, pageNo, counts, flags, filters, search, options, now, me } =
    useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const [params] = useSearchParams();
  const [nowMs] = useState(() => Date.parse(now));
  const pageLink = (n: number) => {
    const p = new URLSearchParams(search);
    if (n > 1) p.set("page", String(n));
    const s = p.toString();
    return `/review${s ? `?${s}` : ""}`;
  };
  const select = (
    name: string,
    label: string,
    value: number | null | undefined,
    items: Array<{ id: number; name: string }>,
  ) => (
    <div className="field">
      <label htmlFor={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name} defaultValue={value ?? ""}>
        <option value="">{t("review.filterAll")}</option>
        {items.map((i) => (
          <option key={i.id} value={i.id}>
            {i.name}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <div>
      <h1>{t("review.title")}</h1>
      {params.get("done") ? <Notice>{t("review.queueEmptyDone")}</Notice> : null}

      <ul className="counts" aria-label={t("review.counts")}>
        <li data-testid="count-waiting">
          <strong>{counts.waiting}</strong> {t("review.count.waiting")}
        </li>
        <li data-testid="count-in-review">
          <strong>{counts.inReview}</strong> {t("review.count.inReview")}
        </li>
        <li data-testid="count-flagged">
          <strong>{counts.flagged}</strong> {t("review.count.flagged")}
        </li>
        <li>
          <strong>{counts.processing}</strong> {t("review.count.processing")}
        </li>
        <li>
          <strong>{counts.failed}</strong> {t("review.count.failed")}
        </li>
        <li>
          <strong>{counts.approved}</strong> {t("review.count.approved")}
        </li>
      </ul>

      {flags.length > 0 ? (
        <section className="card card--flags" aria-labelledby="flags-title">
          <h2 id="flags-title">{t("watch.openTitle")}</h2>
          <p className="hint">{t("watch.aidNotAssessment")}</p>
          <ul className="list-plain">
            {flags.map((f) => (
              <li key={f.id}>
                <Link to={`/review/pages/${f.pageId}#flags`}>
                  {t("review.pageTitle", { group: f.groupName, n: f.pageNumber })}
                </Link>
                ：{f.source === "phrase" ? `「${f.matchedText}」` : t("watch.manual")}・
                <Age iso={f.createdAt} now={nowMs} prefix="watch.openFor" />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <Form method="get" className="filters" aria-label={t("review.filters")}>
        {select("cohort", t("review.filterCohort"), filters.cohortId, options.cohorts)}
        {select("group", t("review.filterGroup"), filters.groupId, options.groups)}
        {select("room", t("review.filterRoom"), filters.roomId, options.rooms)}
        {select("author", t("review.filterAuthor"), filters.authorId, options.authors)}
        <button type="submit">{t("review.applyFilters")}</button>
      </Form>

      <Form method="post" action={`/review${search}`} className="next-form">
        <button type="submit" className="button--primary" disabled={counts.waiting === 0}>
          {t("review.openNext")}
        </button>
      </Form>

      {rows.length === 0 ? (
        <p className="muted">{t("review.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="queue">
            <thead>
              <tr>
                <th scope="col">{t("review.col.page")}</th>
                <th scope="col">{t("review.col.author")}</th>
                <th scope="col">{t("review.col.uploaded")}</th>
                <th scope="col">{t("review.col.confidence")}</th>
                <th scope="col">{t("review.col.state")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className={r.flagged ? "row--flagged" : undefined}>
                  <td>
                    <Link to={`/review/pages/${r.id}${search}`}>
                      {t("review.pageTitle", { group: r.groupName, n: r.pageNumber })}
                    </Link>
                    {r.flagged ? (
                      <span className="badge badge--danger">{t("watch.badge")}</span>
                    ) : null}
                  </td>
                  <td>
                    {r.authorPenName ??
                      (r.suggestedPenName ? (
                        <span className="muted">
                          {t("review.suggestedWriter", { name: r.suggestedPenName })}
                        </span>
                      ) : (
                        <span className="muted">{t("review.authorUnknown")}</span>
                      ))}
                    {r.entryDate ? (
                      <div className="small">{formatDate(r.entryDate, lang)}</div>
                    ) : null}
                  </td>
                  <td>
                    {formatDateTime(r.uploadedAt, lang)}
                    <div className="small muted">
                      <Age iso={r.uploadedAt} now={nowMs} prefix="review.waitingFor" />
                    </div>
                  </td>
                  <td>{r.confidence !== null ? `${Math.round(r.confidence)}` : "—"}</td>
                  <td>
                    {r.reviewer ? (
                      <span className="badge badge--warn">
                        {r.reviewer.id === me
                          ? t("review.inReviewByMe")
                          : t("review.inReviewBy", { name: r.reviewer.name })}
                      </span>
                    ) : (
                      t("review.count.waiting")
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label={t("review.pager")}>
        {pageNo > 1 ? <Link to={pageLink(pageNo - 1)}>{t("review.prevPage")}</Link> : null}
        {hasMore ? <Link to={pageLink(pageNo + 1)}>{t("review.nextPage")}</Link> : null}
      </nav>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.review");

export function ErrorBoundary() {
  return <ErrorPage />;
}
