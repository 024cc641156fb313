/**
 * The public resource list (/public/resources): what anyone may see without logging in, for
 * residents and link workers. Only public and active resources (the model's `PUBLIC_RESOURCE`,
 * through `listResourcesFull(…, { publicOnly: true })`), and of each only the fields meant for the
 * public: no seeds, quotes, groups, participants, staff notes, verification or visibility, and
 * no internal ids. The loader shapes every row into `PublicResource` so that nothing else reaches
 * the HTML or the serialised loader data.
 *
 * Plain HTML is enough here: the filters are a GET form, every link is a real link, and the page
 * imports no client-side library, so its own JavaScript is tiny (see `handle`).
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { getLangFromCookieHeader, type Lang } from "~/i18n/i18n";
import { pageTitle } from "~/i18n/page-title";
import { useT } from "~/i18n/use-t";
import { SEED_CATEGORIES } from "~/models/constants";
import {
  listResourcesFull,
  parseResourceFilters,
  resourceSearch,
  type ResourceFilters,
} from "~/models/resources.server";
import type { Resource } from "~/resources/types";
import { formatScheduleRules } from "~/utils/schedule";

type Category = Resource["category"];

/** A resource as the public sees it: nothing else leaves the server. */
export interface PublicResource {
  name: string;
  aliases: string[];
  description: string;
  category: Category;
  tags: string[];
  organization: string;
  address: string;
  scheduleText: string;
  /** The structured rules as people read them (「毎週木曜 10:00〜12:00」). */
  scheduleRules: string;
  phone: string;
  email: string;
  url: string;
  eligibility: string;
  fees: string;
  /** A link that opens the map app at the address, or null when there is nowhere to point. */
  mapUrl: string | null;
}

export interface PublicAreaGroup {
  /** "" for resources without an area (shown last). */
  area: string;
  categories: { category: Category; resources: PublicResource[] }[];
}

/**
 * A Google Maps "search" URL rather than a `geo:` URI: it is the documented cross-platform Maps
 * URL (https://developers.google.com/maps/documentation/urls/get-started) — it opens the Maps app
 * on Android and iOS when installed and the web map everywhere else, while `geo:` does nothing in
 * desktop browsers or iOS Safari. The address is searched (what the resident reads on the page);
 * only a resource without one is pointed at by its coordinates. The link carries no referrer.
 */
function mapUrl(r: Resource): string | null {
  const query = r.address.trim() || (r.lat !== null && r.lng !== null ? `${r.lat},${r.lng}` : "");
  return query
    ? `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(query)}`
    : null;
}

function toPublic(r: Resource, lang: Lang): PublicResource {
  return {
    name: r.name,
    aliases: r.aliases,
    description: r.description,
    category: r.category,
    tags: r.tags,
    organization: r.organization,
    address: r.address,
    scheduleText: r.scheduleText,
    scheduleRules: formatScheduleRules(r.schedule, lang),
    phone: r.phone,
    email: r.email,
    url: r.url,
    eligibility: r.eligibility,
    fees: r.fees,
    mapUrl: mapUrl(r),
  };
}

/** Resources per page: a phone gets a page it can load quickly; `?page=all` (the print) gets all. */
const PUBLIC_PAGE_SIZE = 100;

/** Areas in name order (no area last), in each the categories in their usual order, then names. */
function sortForList(resources: Resource[]): Resource[] {
  const area = (r: Resource) => r.area.trim();
  const category = (r: Resource) => SEED_CATEGORIES.indexOf(r.category);
  // The database gives them by name; a stable sort keeps that order within a category.
  return [...resources].sort(
    (a, b) =>
      (area(a) === "" ? 1 : 0) - (area(b) === "" ? 1 : 0) ||
      area(a).localeCompare(area(b), "ja") ||
      category(a) - category(b),
  );
}

/** Consecutive resources of one area, then of one category, as headed sections. */
function groupByAreaAndCategory(sorted: Resource[], lang: Lang): PublicAreaGroup[] {
  const groups: PublicAreaGroup[] = [];
  for (const r of sorted) {
    const area = r.area.trim();
    let g = groups[groups.length - 1];
    if (!g || g.area !== area) groups.push((g = { area, categories: [] }));
    let c = g.categories[g.categories.length - 1];
    if (!c || c.category !== r.category)
      g.categories.push((c = { category: r.category, resources: [] }));
    c.resources.push(toPublic(r, lang));
  }
  return groups;
}

/** Only the filters the public page offers; the rest of the staff filters mean nothing here. */
function publicFilters(params: URLSearchParams): ResourceFilters {
  const { filters } = parseResourceFilters(params);
  return { q: filters.q, category: filters.category, area: filters.area, tag: filters.tag };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const lang = getLangFromCookieHeader(request.headers.get("Cookie"));
  const filters = publicFilters(url.searchParams);
  const filtered = Boolean(filters.q || filters.category || filters.area || filters.tag);
  // The choices come from every public resource (never from staff-only ones); the search runs in
  // the database with the same kana/width folding as the staff list.
  const [all, matching] = await Promise.all([
    listResourcesFull({}, { publicOnly: true }),
    filtered ? listResourcesFull(filters, { publicOnly: true }) : null,
  ]);
  const options = {
    categories: SEED_CATEGORIES.filter((c) => all.some((r) => r.category === c)),
    areas: [...new Set(all.map((r) => r.area.trim()).filter(Boolean))].sort((a, b) =>
      a.localeCompare(b, "ja"),
    ),
    tags: [...new Set(all.flatMap((r) => r.tags))].sort((a, b) => a.localeCompare(b, "ja")),
  };
  const sorted = sortForList(matching ?? all);
  const pages = Math.max(1, Math.ceil(sorted.length / PUBLIC_PAGE_SIZE));
  const wanted = url.searchParams.get("page");
  const page = wanted === "all" ? null : Math.min(pages, Math.max(1, Number(wanted) || 1));
  const slice =
    page === null ? sorted : sorted.slice((page - 1) * PUBLIC_PAGE_SIZE, page * PUBLIC_PAGE_SIZE);
  return {
    groups: groupByAreaAndCategory(slice, lang),
    total: sorted.length,
    page,
    pages,
    filters,
    options,
    query: resourceSearch(filters),
  };
}

/** The page works as plain HTML: the root sends it without scripts. */
export const handle = { hydrate: false };

export function PublicResourceDetails({ resource: r }: { resource: PublicResource }) {
  const t = useT();
  const schedule = [r.scheduleText, r.scheduleRules].filter(Boolean);
  return (
    <dl className="public-resource__details">
      {schedule.length ? (
        <>
          <dt>{t("publicResources.schedule")}</dt>
          <dd>
            {schedule.map((s, i) => (
              <span key={i} className="public-resource__line">
                {s}
              </span>
            ))}
          </dd>
        </>
      ) : null}
      {r.address ? (
        <>
          <dt>{t("publicResources.address")}</dt>
          <dd>{r.address}</dd>
        </>
      ) : null}
      {r.phone || r.email || r.url ? (
        <>
          <dt>{t("publicResources.contact")}</dt>
          <dd>
            {r.phone ? (
              <span className="public-resource__line">
                {t("publicResources.phone")}{" "}
                <a href={`tel:${r.phone.replace(/[^0-9+]/g, "")}`}>{r.phone}</a>
              </span>
            ) : null}
            {r.email ? (
              <span className="public-resource__line">
                {t("publicResources.email")} <a href={`mailto:${r.email}`}>{r.email}</a>
              </span>
            ) : null}
            {r.url ? (
              <span className="public-resource__line public-resource__url">
                <a href={r.url} rel="noreferrer">
                  {r.url}
                </a>
              </span>
            ) : null}
          </dd>
        </>
      ) : null}
      {r.eligibility ? (
        <>
          <dt>{t("publicResources.eligibility")}</dt>
          <dd>{r.eligibility}</dd>
        </>
      ) : null}
      {r.fees ? (
        <>
          <dt>{t("publicResources.fees")}</dt>
          <dd>{r.fees}</dd>
        </>
      ) : null}
      {r.organization ? (
        <>
          <dt>{t("publicResources.organization")}</dt>
          <dd>{r.organization}</dd>
        </>
      ) : null}
    </dl>
  );
}

export default function PublicResources() {
  const { groups, total, page, pages, filters, options, query } = useLoaderData<typeof loader>();
  const t = useT();
  const suffix = query ? `?${query}` : "";
  const pageLink = (n: number) => `/public/resources?${query ? `${query}&` : ""}page=${n}`;
  return (
    <div className="public-resources">
      <h1>{t("title.publicResources")}</h1>
      <p>{t("publicResources.intro")}</p>
      <Form
        method="get"
        className="filters public-filters"
        role="search"
        aria-label={t("publicResources.filters")}
      >
        <div className="field public-filters__q">
          <label htmlFor="p-q">{t("publicResources.q")}</label>
          <input id="p-q" name="q" type="search" defaultValue={filters.q ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="p-category">{t("publicResources.category")}</label>
          <select id="p-category" name="category" defaultValue={filters.category ?? ""}>
            <option value="">{t("publicResources.all")}</option>
            {options.categories.map((c) => (
              <option key={c} value={c}>
                {t(`seeds.category.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="p-area">{t("publicResources.area")}</label>
          <select id="p-area" name="area" defaultValue={filters.area ?? ""}>
            <option value="">{t("publicResources.all")}</option>
            {options.areas.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="p-tag">{t("publicResources.tag")}</label>
          <select id="p-tag" name="tag" defaultValue={filters.tag ?? ""}>
            <option value="">{t("publicResources.all")}</option>
            {options.tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t("publicResources.search")}</button>
        {query ? <Link to="/public/resources">{t("publicResources.clear")}</Link> : null}
      </Form>
      <p className="public-resources__total" aria-live="polite" data-testid="public-total">
        {t("publicResources.total", { n: total })}
      </p>
      <p className="public-resources__tools small">
        <a href={`/public/resources/print${suffix}`}>{t("publicResources.printLink")}</a>
        <span className="public-resources__downloads">
          {t("publicResources.downloads")}{" "}
          <a href={`/public/resources/export.csv${suffix}`} download>
            {t("publicResources.export.csv")}
          </a>{" "}
          <a href={`/public/resources/export.geojson${suffix}`} download>
            {t("publicResources.export.geojson")}
          </a>{" "}
          <a href={`/public/resources/export.hsds.json${suffix}`} download>
            {t("publicResources.export.hsds")}
          </a>
        </span>
      </p>
      {groups.length === 0 ? <p className="muted">{t("publicResources.empty")}</p> : null}
      {groups.map((g, i) => (
        <section key={g.area} className="public-area" aria-labelledby={`public-area-${i}`}>
          <h2 id={`public-area-${i}`} className="public-area__title">
            {g.area || t("publicResources.noArea")}
          </h2>
          {g.categories.map((c) => (
            <section key={c.category} className="public-category">
              <h3 className="public-category__title">{t(`seeds.category.${c.category}`)}</h3>
              <ul className="public-resource-list" data-testid="public-resources">
                {c.resources.map((r, j) => (
                  <li key={`${r.name}-${j}`} className="public-resource">
                    <h4 className="public-resource__name">{r.name}</h4>
                    {r.aliases.length ? (
                      <p className="public-resource__aliases small muted">{r.aliases.join("、")}</p>
                    ) : null}
                    {r.description ? (
                      <p className="public-resource__description">{r.description}</p>
                    ) : null}
                    <PublicResourceDetails resource={r} />
                    {r.tags.length || r.mapUrl ? (
                      <p className="public-resource__footer small">
                        {r.tags.map((tag) => (
                          <Link
                            key={tag}
                            className="public-resource__tag"
                            to={`/public/resources?${new URLSearchParams({ tag })}`}
                          >
                            {tag}
                          </Link>
                        ))}
                        {r.mapUrl ? (
                          <a className="public-resource__map" href={r.mapUrl} rel="noreferrer">
                            {t("publicResources.openMap")}
                          </a>
                        ) : null}
                      </p>
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </section>
      ))}
      {page !== null && pages > 1 ? (
        <nav className="pagination" aria-label={t("resources.pages")}>
          {page > 1 ? <Link to={pageLink(page - 1)}>{t("resources.prev")}</Link> : null}{" "}
          <span>{t("resources.pageOf", { page, pages })}</span>{" "}
          {page < pages ? <Link to={pageLink(page + 1)}>{t("resources.next")}</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.publicResources");

export function ErrorBoundary() {
  return <ErrorPage />;
}
