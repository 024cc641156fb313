import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { Notice } from "~/components/field";
import { TagInput } from "~/components/tag-input";
import { pageTitle } from "~/i18n/page-title";
import { useLang, useT } from "~/i18n/use-t";
import { SEED_CATEGORIES } from "~/models/constants";
import {
  countResourcesByStatus,
  listResourceFilterOptions,
  listResources,
} from "~/models/resources.server";
import {
  parseResourceFilters,
  RESOURCE_PAGE_SIZE,
  RESOURCE_SORTS,
  resourceSearch,
} from "~/resources/filters";
import { RESOURCE_STATUSES, RESOURCE_VISIBILITIES } from "~/resources/types";
import { requireStaff } from "~/utils/auth.server";
import { formatDate } from "~/utils/dates";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const { filters, sort, page } = parseResourceFilters(new URL(request.url).searchParams);
  const [list, counts, options] = await Promise.all([
    listResources(filters, sort, page),
    countResourcesByStatus(filters),
    listResourceFilterOptions(),
  ]);
  return { ...list, counts, options, filters, sort, page };
}

export default function Resources() {
  const { rows, total, counts, options, filters, sort, page } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const pages = Math.max(1, Math.ceil(total / RESOURCE_PAGE_SIZE));
  const [params] = useSearchParams();
  const imported = Number(params.get("imported")) || 0;
  const query = resourceSearch(filters);
  return (
    <div>
      <h1>{t("title.resources")}</h1>
      <p className="actions">
        <Link className="button button--primary" to="/resources/new">
          {t("resources.new")}
        </Link>{" "}
        <Link className="button" to="/resources/import">
          {t("resources.importLink")}
        </Link>{" "}
        <Link className="button" to={`/resources/map${query ? `?${query}` : ""}`}>
          {t("resourceMap.openMap")}
        </Link>
      </p>
      {imported ? <Notice>{t("resources.imported", { n: imported })}</Notice> : null}
      <ul className="status-tabs list-plain" aria-label={t("resources.counts")}>
        {RESOURCE_STATUSES.map((s) => (
          <li key={s}>
            <Link
              to={`/resources?${resourceSearch({ ...filters, status: s }, sort)}`}
              aria-current={filters.status === s ? "page" : undefined}
              data-testid={`count-${s}`}
            >
              <strong>{counts[s]}</strong> {t(`resources.status.${s}`)}
            </Link>
          </li>
        ))}
      </ul>
      <Form method="get" className="filters" role="search" aria-label={t("resources.filters")}>
        <div className="field">
          <label htmlFor="r-q">{t("resources.q")}</label>
          <input id="r-q" name="q" type="search" defaultValue={filters.q ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="r-category">{t("resources.field.category")}</label>
          <select id="r-category" name="category" defaultValue={filters.category ?? ""}>
            <option value="">{t("seeds.queue.all")}</option>
            {SEED_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`seeds.category.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="r-tag">{t("resources.field.tags")}</label>
          <TagInput
            key={filters.tag ?? ""}
            id="r-tag"
            name="tag"
            known={options.tags}
            defaultValue={filters.tag ?? ""}
            optionsLabel={t("seeds.tagOptions")}
          />
        </div>
        <div className="field">
          <label htmlFor="r-area">{t("resources.field.area")}</label>
          <select id="r-area" name="area" defaultValue={filters.area ?? ""}>
            <option value="">{t("seeds.queue.all")}</option>
            {options.areas.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="r-status">{t("resources.field.status")}</label>
          <select id="r-status" name="status" defaultValue={filters.status ?? ""}>
            <option value="">{t("seeds.queue.all")}</option>
            {RESOURCE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`resources.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="r-visibility">{t("resources.field.visibility")}</label>
          <select id="r-visibility" name="visibility" defaultValue={filters.visibility ?? ""}>
            <option value="">{t("seeds.queue.all")}</option>
            {RESOURCE_VISIBILITIES.map((v) => (
              <option key={v} value={v}>
                {t(`resources.visibility.${v}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="r-stale">{t("resources.stale")}</label>
          <select id="r-stale" name="stale" defaultValue={filters.staleMonths ?? ""}>
            <option value="">{t("seeds.queue.all")}</option>
            {[3, 6, 12, 24].map((m) => (
              <option key={m} value={m}>
                {t("resources.staleMonths", { n: m })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="r-sort">{t("seeds.queue.order")}</label>
          <select id="r-sort" name="sort" defaultValue={sort}>
            {RESOURCE_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`resources.sort.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t("seeds.queue.apply")}</button>
      </Form>
      <p aria-live="polite" data-testid="resource-total">
        {t("resources.total", { n: total })}
      </p>
      <p className="export-links small">
        {t("resources.export")}{" "}
        {(["csv", "geojson", "hsds"] as const).map((f) => (
          <span key={f}>
            <a href={`/resources/export/${f}${query ? `?${query}` : ""}`} download>
              {t(`resources.export.${f}`)}
            </a>{" "}
          </span>
        ))}
      </p>
      {rows.length === 0 ? (
        <p className="muted">{t("resources.empty")}</p>
      ) : (
        <table className="table resource-table" data-testid="resources">
          <thead>
            <tr>
              <th scope="col">{t("resources.field.name")}</th>
              <th scope="col">{t("resources.field.category")}</th>
              <th scope="col">{t("resources.field.area")}</th>
              <th scope="col">{t("resources.field.status")}</th>
              <th scope="col">{t("resources.field.visibility")}</th>
              <th scope="col">{t("resources.field.verified")}</th>
              <th scope="col">{t("resources.seedsCount")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/resources/${r.id}`}>{r.name}</Link>
                  {r.tags.length ? <div className="small muted">{r.tags.join("、")}</div> : null}
                  {!r.located ? (
                    <div className="small muted">{t("resources.noLocation")}</div>
                  ) : null}
                </td>
                <td>{t(`seeds.category.${r.category}`)}</td>
                <td>{r.area}</td>
                <td>{t(`resources.status.${r.status}`)}</td>
                <td>{t(`resources.visibility.${r.visibility}`)}</td>
                <td>
                  {r.verifiedOn ? formatDate(r.verifiedOn, lang) : t("resources.neverVerified")}
                </td>
                <td>{r.seeds}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 ? (
        <nav className="pagination" aria-label={t("resources.pages")}>
          {page > 1 ? (
            <Link to={`/resources?${resourceSearch(filters, sort, page - 1)}`}>
              {t("resources.prev")}
            </Link>
          ) : null}{" "}
          <span>{t("resources.pageOf", { page, pages })}</span>{" "}
          {page < pages ? (
            <Link to={`/resources?${resourceSearch(filters, sort, page + 1)}`}>
              {t("resources.next")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.resources");

export function ErrorBoundary() {
  return <ErrorPage />;
}
