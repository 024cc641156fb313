import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import clusterCss from "leaflet.markercluster/dist/MarkerCluster.css";
import clusterDefaultCss from "leaflet.markercluster/dist/MarkerCluster.Default.css";
import leafletCss from "leaflet/dist/leaflet.css";
import { ErrorPage } from "~/components/error-page";
import { ResourceMap, useMapRows } from "~/components/resource-map";
import { TagInput } from "~/components/tag-input";
import { getLangFromCookieHeader } from "~/i18n/i18n";
import { pageTitle } from "~/i18n/page-title";
import { useT } from "~/i18n/use-t";
import { listHealthRooms } from "~/models/health-rooms.server";
import { SEED_CATEGORIES } from "~/models/constants";
import {
  countResourcesByStatus,
  listResourceFilterOptions,
  parseResourceFilters,
  resourceSearch,
} from "~/models/resources.server";
import { mapDataFromPayload, type MapPayload } from "~/resources/map-data";
import { RESOURCE_STATUSES, RESOURCE_VISIBILITIES } from "~/resources/types";
import { requireStaff } from "~/utils/auth.server";
import { getMapTiles } from "~/utils/map-tiles.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const { filters } = parseResourceFilters(new URL(request.url).searchParams);
  const lang = getLangFromCookieHeader(request.headers.get("Cookie"));
  // The total is a count (the status tabs' query); the points come from /resources/map/points.
  const [counts, rooms, options] = await Promise.all([
    countResourcesByStatus(filters),
    listHealthRooms(),
    listResourceFilterOptions(),
  ]);
  const total = filters.status
    ? counts[filters.status]
    : Object.values(counts).reduce((a, b) => a + b, 0);
  const tiles = getMapTiles();
  return {
    payload: {
      healthRooms: rooms
        .filter((r) => r.lat !== null && r.lng !== null)
        .map((r) => ({ name: r.name, area: r.area, lat: r.lat!, lng: r.lng! })),
      total,
      lang,
    } satisfies MapPayload,
    filters,
    // The same filters on the list (resourceSearch is server code: the link is made here).
    listHref: `/resources?${resourceSearch(filters)}`,
    // Thousands of points as one plain JSON array (see that route), fetched once the page shows.
    pointsHref: `/resources/map/points?${resourceSearch(filters)}`,
    options,
    tiles: tiles.url ? { url: tiles.url, attribution: tiles.attribution } : null,
  };
}

export default function ResourcesMap() {
  const { payload, filters, listHref, pointsHref, options, tiles } = useLoaderData<typeof loader>();
  const points = useMapRows(pointsHref);
  const rows = points.rows;
  const map = useMemo(() => mapDataFromPayload(payload, rows ?? []), [payload, rows]);
  const t = useT();
  return (
    <div className="resource-map-page">
      <p className="breadcrumbs">
        <Link to={listHref}>← {t("resources.backToList")}</Link>
      </p>
      <h1>{t("title.resourceMap")}</h1>
      <Form
        method="get"
        className="filters filters--compact"
        role="search"
        aria-label={t("resources.filters")}
      >
        <div className="field">
          <label htmlFor="m-q">{t("resources.q")}</label>
          <input id="m-q" name="q" type="search" defaultValue={filters.q ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="m-category">{t("resources.field.category")}</label>
          <select id="m-category" name="category" defaultValue={filters.category ?? ""}>
            <option value="">{t("seeds.queue.all")}</option>
            {SEED_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`seeds.category.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="m-tag">{t("resources.field.tags")}</label>
          <TagInput
            key={filters.tag ?? ""}
            id="m-tag"
            name="tag"
            known={options.tags}
            defaultValue={filters.tag ?? ""}
            optionsLabel={t("seeds.tagOptions")}
          />
        </div>
        <div className="field">
          <label htmlFor="m-area">{t("resources.field.area")}</label>
          <select id="m-area" name="area" defaultValue={filters.area ?? ""}>
            <option value="">{t("seeds.queue.all")}</option>
            {options.areas.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="m-status">{t("resources.field.status")}</label>
          <select id="m-status" name="status" defaultValue={filters.status ?? ""}>
            <option value="">{t("seeds.queue.all")}</option>
            {RESOURCE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`resources.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="m-visibility">{t("resources.field.visibility")}</label>
          <select id="m-visibility" name="visibility" defaultValue={filters.visibility ?? ""}>
            <option value="">{t("seeds.queue.all")}</option>
            {RESOURCE_VISIBILITIES.map((v) => (
              <option key={v} value={v}>
                {t(`resources.visibility.${v}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="m-stale">{t("resources.stale")}</label>
          <select id="m-stale" name="stale" defaultValue={filters.staleMonths ?? ""}>
            <option value="">{t("seeds.queue.all")}</option>
            {[3, 6, 12, 24].map((m) => (
              <option key={m} value={m}>
                {t("resources.staleMonths", { n: m })}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t("seeds.queue.apply")}</button>
      </Form>
      <p aria-live="polite" data-testid="map-counts">
        {points.rows
          ? t("resourceMap.counts", { total: map.total, located: map.points.length })
          : points.failed
            ? null
            : t("resourceMap.pointsLoading", { total: map.total })}
      </p>
      {points.failed ? (
        <p className="alert alert--error" role="alert">
          {t("resourceMap.pointsFailed")}
        </p>
      ) : null}
      <ResourceMap data={map} tiles={tiles} pointsLoaded={points.rows !== null} />
    </div>
  );
}

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: leafletCss },
  { rel: "stylesheet", href: clusterCss },
  { rel: "stylesheet", href: clusterDefaultCss },
];

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.resourceMap");

export function ErrorBoundary() {
  return <ErrorPage />;
}
