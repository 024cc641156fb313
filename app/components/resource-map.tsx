/**
 * The resource map (/resources/map): markers per category with clustering, health rooms, a card
 * for the chosen marker, and the closed-network mode — when no tile loads, the markers stay on a
 * plain background with the health rooms and area names drawn, and a notice says why. Leaflet is
 * loaded in the browser only; the server renders the frame, the legend and the notice slot.
 */
import { Link } from "@remix-run/react";
import type * as Leaflet from "leaflet";
import { useEffect, useMemo, useRef, useState } from "react";
import type { MessageKey } from "~/i18n/i18n";
import { useT } from "~/i18n/use-t";
import { SEED_CATEGORIES } from "~/models/constants";
import { areaLabels, type MapData, type MapPoint, type MapRow } from "~/resources/map-data";
import { RESOURCE_STATUSES } from "~/resources/types";
import {
  addTiles,
  areaLabelIcon,
  fitTo,
  healthRoomIcon,
  loadLeaflet,
  resourceIcon,
  symbolClass,
  type L,
} from "./leaflet-map";

export type MapTilesConfig = { url: string; attribution: string } | null;

type Category = (typeof SEED_CATEGORIES)[number];

const glyphKey = (c: Category | "healthRoom") => `resourceMap.glyph.${c}` as MessageKey;

/** What the map's layers need once Leaflet is there. */
interface MapHandle {
  L: L;
  map: Leaflet.Map;
  clusters: Leaflet.MarkerClusterGroup;
  rooms: Leaflet.LayerGroup;
  labels: Leaflet.LayerGroup;
}

/**
 * The map's rows from /resources/map/points (a plain JSON array): null while they load, `failed`
 * when the answer did not come. A newer href cancels the older request.
 */
export function useMapRows(href: string | null): { rows: MapRow[] | null; failed: boolean } {
  const [state, setState] = useState<{
    href: string | null;
    rows: MapRow[] | null;
    failed: boolean;
  }>({
    href,
    rows: null,
    failed: false,
  });
  useEffect(() => {
    if (href === null) return;
    const abort = new AbortController();
    setState((s) => (s.href === href && s.rows ? s : { href, rows: null, failed: false }));
    fetch(href, { signal: abort.signal, headers: { Accept: "application/json" } })
      .then((res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return res.json() as Promise<MapRow[]>;
      })
      .then((rows) => setState({ href, rows, failed: false }))
      .catch(() => {
        if (!abort.signal.aborted) setState({ href, rows: null, failed: true });
      });
    return () => abort.abort();
  }, [href]);
  return state.href === href ? state : { rows: null, failed: false };
}

export function ResourceMap({
  data,
  tiles,
  pointsLoaded = true,
}: {
  data: MapData;
  tiles: MapTilesConfig;
  /** False while the points are still on their way (no "nothing located" message then). */
  pointsLoaded?: boolean;
}) {
  const t = useT();
  const element = useRef<HTMLDivElement>(null);
  const [handle, setHandle] = useState<MapHandle | null>(null);
  const [offline, setOffline] = useState(false);
  const [failed, setFailed] = useState(false);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const byId = useMemo(() => new Map(data.points.map((p) => [p[0], p])), [data.points]);
  const selected = selectedId === null ? undefined : byId.get(selectedId);
  // Leaflet's handlers outlive renders; they read the current translations through this.
  const tRef = useRef(t);
  tRef.current = t;

  // The map itself, once.
  useEffect(() => {
    let cancelled = false;
    let stopTiles = () => {};
    let map: Leaflet.Map | null = null;
    loadLeaflet()
      .then((L) => {
        if (cancelled || !element.current) return;
        map = L.map(element.current, { zoomControl: true, keyboard: true });
        map.createPane("areaLabels").style.zIndex = "450";
        L.control.scale({ imperial: false }).addTo(map);
        const clusters = L.markerClusterGroup({
          chunkedLoading: true,
          disableClusteringAtZoom: 17,
          showCoverageOnHover: false,
        });
        clusters.addTo(map);
        const rooms = L.layerGroup().addTo(map);
        const labels = L.layerGroup().addTo(map);
        stopTiles = addTiles(L, map, tiles, () => setOffline(true));
        setHandle({ L, map, clusters, rooms, labels });
      })
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
      stopTiles();
      map?.remove();
    };
    // The tile source is fixed for the page's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // The resources: redrawn when the filters change.
  useEffect(() => {
    if (!handle) return;
    const { L, map, clusters } = handle;
    clusters.clearLayers();
    const icons = new Map<string, Leaflet.DivIcon>();
    const markers = data.points.map((p) => {
      const category = SEED_CATEGORIES[p[3]] ?? "other";
      const status = RESOURCE_STATUSES[p[4]] ?? "active";
      const key = `${category}/${status}`;
      let icon = icons.get(key);
      if (!icon) {
        icon = resourceIcon(L, category, status, tRef.current(glyphKey(category)));
        icons.set(key, icon);
      }
      const marker = L.marker([p[1], p[2]], { icon, title: p[6], keyboard: true });
      marker.on("click keypress", (e: Leaflet.LeafletEvent) => {
        const key = (e as Leaflet.LeafletKeyboardEvent).originalEvent?.key;
        if (e.type === "keypress" && key !== "Enter" && key !== " ") return;
        setSelectedId(p[0]);
      });
      return marker;
    });
    clusters.addLayers(markers);
    fitTo(L, map, [
      ...data.points.map((p): [number, number] => [p[1], p[2]]),
      ...(data.points.length ? [] : data.healthRooms.map((h): [number, number] => [h.lat, h.lng])),
    ]);
    setSelectedId((id) => (id !== null && byId.has(id) ? id : null));
  }, [handle, data.points, data.healthRooms, byId]);

  // Health rooms always; their names and the area names too when no tiles show the town.
  useEffect(() => {
    if (!handle) return;
    const { L, rooms, labels } = handle;
    rooms.clearLayers();
    labels.clearLayers();
    const roomIcon = healthRoomIcon(L, tRef.current(glyphKey("healthRoom")));
    for (const h of data.healthRooms) {
      L.marker([h.lat, h.lng], {
        icon: roomIcon,
        title: `${tRef.current("resourceMap.healthRoom")}：${h.name}`,
        keyboard: false,
        zIndexOffset: 1000,
      })
        .bindTooltip(h.name, { permanent: offline, direction: "right", offset: [14, 0] })
        .addTo(rooms);
    }
    if (offline)
      for (const a of areaLabels(data))
        L.marker([a.lat, a.lng], {
          icon: areaLabelIcon(L, a.name),
          interactive: false,
          keyboard: false,
          pane: "areaLabels",
        }).addTo(labels);
  }, [handle, data, offline]);

  const located = data.points.length;
  return (
    <div className={`resource-map${offline ? " resource-map--offline" : ""}`}>
      {offline ? (
        <p
          className="alert alert--warn resource-map__notice"
          role="status"
          data-testid="map-offline"
        >
          {t("resourceMap.offline")}
        </p>
      ) : null}
      {failed ? (
        <p className="alert alert--error" role="alert">
          {t("resourceMap.failed")}
        </p>
      ) : null}
      <div className="resource-map__body">
        <div
          ref={element}
          className="resource-map__canvas"
          role="region"
          aria-label={t("resourceMap.mapLabel")}
          data-testid="resource-map"
        >
          {handle ? null : (
            <p className="resource-map__loading muted">{t("resourceMap.loading")}</p>
          )}
        </div>
        {selected ? (
          <ResourceCard point={selected} areas={data.areas} onClose={() => setSelectedId(null)} />
        ) : null}
      </div>
      {located === 0 && pointsLoaded ? <p className="muted">{t("resourceMap.noLocated")}</p> : null}
      <MapLegend />
    </div>
  );
}

function ResourceCard({
  point,
  areas,
  onClose,
}: {
  point: MapPoint;
  areas: string[];
  onClose: () => void;
}) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  const [id, , , categoryIndex, statusIndex, areaIndex, name, address, schedule] = point;
  const category = SEED_CATEGORIES[categoryIndex] ?? "other";
  const status = RESOURCE_STATUSES[statusIndex] ?? "active";
  useEffect(() => heading.current?.focus(), [id]);
  return (
    <aside
      className="card resource-map__card"
      aria-labelledby="map-card-title"
      data-testid="map-card"
      onKeyDown={(e) => {
        if (e.key === "Escape") onClose();
      }}
    >
      <h2 id="map-card-title" ref={heading} tabIndex={-1}>
        {name}
      </h2>
      <dl className="facts">
        <dt>{t("resources.field.category")}</dt>
        <dd>
          <span className={symbolClass(category)} aria-hidden="true">
            <span>{t(glyphKey(category))}</span>
          </span>{" "}
          {t(`seeds.category.${category}`)}
        </dd>
        <dt>{t("resources.field.area")}</dt>
        <dd>{areas[areaIndex] ?? "—"}</dd>
        <dt>{t("resources.field.address")}</dt>
        <dd>{address || "—"}</dd>
        <dt>{t("resources.field.schedule")}</dt>
        <dd>{schedule || "—"}</dd>
        <dt>{t("resources.field.status")}</dt>
        <dd>
          <span className={`badge badge--resource-${status}`}>
            {t(`resources.status.${status}`)}
          </span>
        </dd>
      </dl>
      <p className="actions">
        <Link to={`/resources/${id}`}>{t("resourceMap.card.open")}</Link>{" "}
        <button type="button" className="button button--small button--quiet" onClick={onClose}>
          {t("resourceMap.card.close")}
        </button>
      </p>
    </aside>
  );
}

export function MapLegend() {
  const t = useT();
  return (
    <section className="map-legend" aria-labelledby="map-legend-title">
      <h2 id="map-legend-title" className="map-legend__title">
        {t("resourceMap.legend")}
      </h2>
      <ul className="list-plain map-legend__items">
        {SEED_CATEGORIES.map((c) => (
          <li key={c}>
            <span className={symbolClass(c)} aria-hidden="true">
              <span>{t(glyphKey(c))}</span>
            </span>{" "}
            {t(`seeds.category.${c}`)}
          </li>
        ))}
        <li>
          <span className={symbolClass("healthRoom")} aria-hidden="true">
            <span>{t(glyphKey("healthRoom"))}</span>
          </span>{" "}
          {t("resourceMap.healthRoom")}
        </li>
      </ul>
      <p className="hint">{t("resourceMap.legendStatus")}</p>
    </section>
  );
}
