/**
 * Setting a resource's location on a map (on /resources/:id): a click or a drag puts the marker
 * and fills the edit form's `lat` / `lng` fields; typing in those fields moves the marker; the
 * button saves the whole edit form. The other located resources of the same area and the health
 * rooms are drawn for orientation (from /resources/map's loader), and on a closed network the map
 * falls back to a plain background, as the resource map does. Without JavaScript the fields alone
 * remain, as before.
 */
import { useFetcher } from "@remix-run/react";
import type * as Leaflet from "leaflet";
import { useEffect, useRef, useState } from "react";
import { useT } from "~/i18n/use-t";
import { SEED_CATEGORIES } from "~/models/constants";
import { areaLabels, mapDataFromPayload, type MapPayload, type MapRow } from "~/resources/map-data";
import { RESOURCE_STATUSES } from "~/resources/types";
import {
  addTiles,
  areaLabelIcon,
  fitTo,
  healthRoomIcon,
  loadLeaflet,
  resourceIcon,
  symbolClass,
} from "./leaflet-map";
import { useMapRows, type MapTilesConfig } from "./resource-map";

const FORM = "form.resource-form";

function formField(name: "lat" | "lng" | "area"): HTMLInputElement | null {
  return document.querySelector<HTMLInputElement>(`${FORM} input[name=${name}]`);
}

/** The position typed in the form, if it is one. */
function readForm(): [number, number] | null {
  const lat = Number(formField("lat")?.value.normalize("NFKC").trim() || NaN);
  const lng = Number(formField("lng")?.value.normalize("NFKC").trim() || NaN);
  return Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180
    ? [lat, lng]
    : null;
}

const NO_ROWS: MapRow[] = [];

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

export function LocationPicker({ resourceId }: { resourceId: number }) {
  const t = useT();
  const fetcher = useFetcher<{ payload: MapPayload; pointsHref: string; tiles: MapTilesConfig }>();
  const element = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState<[number, number] | null>(null);
  const [offline, setOffline] = useState(false);
  const [ready, setReady] = useState(false);
  const [scripted, setScripted] = useState(false);
  const tRef = useRef(t);
  tRef.current = t;

  // Neighbours and tile settings from the map's loader (same area when the form names one).
  const load = fetcher.load;
  useEffect(() => {
    setScripted(true);
    setPosition(readForm());
    const area = formField("area")?.value.trim();
    const params = new URLSearchParams({ located: "yes" });
    if (area) params.set("area", area);
    load(`/resources/map?${params}`);
  }, [load]);

  const loaded = fetcher.data;
  // The neighbours' points; without them (request failed) the picker still works, alone.
  const points = useMapRows(loaded?.pointsHref ?? null);
  const rows = points.rows ?? (points.failed ? NO_ROWS : null);
  useEffect(() => {
    if (!loaded || !rows || !element.current) return;
    const data = { ...loaded, map: mapDataFromPayload(loaded.payload, rows) };
    let cancelled = false;
    let stopTiles = () => {};
    let map: Leaflet.Map | null = null;
    let cleanupTyped = () => {};
    loadLeaflet()
      .then((L) => {
        if (cancelled || !element.current) return;
        map = L.map(element.current, { keyboard: true });
        map.createPane("areaLabels").style.zIndex = "450";
        L.control.scale({ imperial: false }).addTo(map);
        const labels = L.layerGroup().addTo(map);
        stopTiles = addTiles(L, map, data.tiles, () => {
          setOffline(true);
          for (const a of areaLabels(data.map))
            L.marker([a.lat, a.lng], {
              icon: areaLabelIcon(L, a.name),
              interactive: false,
              keyboard: false,
              pane: "areaLabels",
            }).addTo(labels);
        });
        const roomIcon = healthRoomIcon(L, tRef.current("resourceMap.glyph.healthRoom"));
        for (const h of data.map.healthRooms)
          L.marker([h.lat, h.lng], { icon: roomIcon, title: h.name, keyboard: false })
            .bindTooltip(h.name, { direction: "right", offset: [14, 0] })
            .addTo(map);
        const others = data.map.points.filter((p) => p[0] !== resourceId);
        for (const p of others) {
          const category = SEED_CATEGORIES[p[3]] ?? "other";
          const status = RESOURCE_STATUSES[p[4]] ?? "active";
          L.marker([p[1], p[2]], {
            icon: resourceIcon(L, category, status, tRef.current(`resourceMap.glyph.${category}`)),
            title: p[6],
            keyboard: false,
            opacity: 0.6,
          }).addTo(map);
        }
        // This resource's marker: on the map once it has a position.
        const marker = L.marker([0, 0], {
          draggable: true,
          autoPan: true,
          title: tRef.current("resourceMap.picker.marker"),
          icon: L.divIcon({
            className: "map-marker map-marker--picked",
            html: '<span class="map-pin" aria-hidden="true"></span>',
            iconSize: [30, 37],
            iconAnchor: [15, 36],
          }),
          zIndexOffset: 2000,
        });
        const put = (lat: number, lng: number) => {
          const value: [number, number] = [round6(lat), round6(lng)];
          marker.setLatLng(value);
          if (!map!.hasLayer(marker)) marker.addTo(map!);
          const [latField, lngField] = [formField("lat"), formField("lng")];
          if (latField) latField.value = String(value[0]);
          if (lngField) lngField.value = String(value[1]);
          setPosition(value);
        };
        map.on("click", (e: Leaflet.LeafletMouseEvent) => put(e.latlng.lat, e.latlng.lng));
        marker.on("dragend", () => {
          const at = marker.getLatLng();
          put(at.lat, at.lng);
        });
        const start = readForm();
        if (start) {
          marker.setLatLng(start).addTo(map);
          map.setView(start, 16);
        } else {
          fitTo(L, map, [
            ...others.map((p): [number, number] => [p[1], p[2]]),
            ...data.map.healthRooms.map((h): [number, number] => [h.lat, h.lng]),
          ]);
        }
        // Typed coordinates move the marker.
        const fields = [formField("lat"), formField("lng")];
        const onTyped = () => {
          const typed = readForm();
          setPosition(typed);
          if (typed) {
            marker.setLatLng(typed).addTo(map!);
            map!.panTo(typed);
          }
        };
        for (const f of fields) f?.addEventListener("change", onTyped);
        cleanupTyped = () => {
          for (const f of fields) f?.removeEventListener("change", onTyped);
        };
        setReady(true);
      })
      .catch(() => setReady(false));
    return () => {
      cancelled = true;
      stopTiles();
      cleanupTyped();
      map?.remove();
    };
  }, [loaded, rows, resourceId]);

  const save = () => {
    const form = document.querySelector<HTMLFormElement>(FORM);
    form?.requestSubmit();
  };

  return (
    <div className={`location-picker${offline ? " resource-map--offline" : ""}`}>
      <p className="hint">{t("resourceMap.picker.hint")}</p>
      {scripted ? null : <p className="muted">{t("resourceMap.picker.noScript")}</p>}
      {offline ? (
        <p className="alert alert--warn" role="status" data-testid="picker-offline">
          {t("resourceMap.offline")}
        </p>
      ) : null}
      <div
        ref={element}
        className="location-picker__canvas"
        role="region"
        aria-label={t("resourceMap.picker.label")}
        data-testid="location-picker"
        hidden={!scripted}
      >
        {ready ? null : <p className="resource-map__loading muted">{t("resourceMap.loading")}</p>}
      </div>
      <p aria-live="polite" data-testid="picker-position">
        {position
          ? t("resourceMap.picker.current", {
              lat: position[0].toFixed(6),
              lng: position[1].toFixed(6),
            })
          : t("resourceMap.picker.none")}
      </p>
      <p className="actions">
        <button
          type="button"
          className="button button--primary"
          onClick={save}
          disabled={!position}
          hidden={!scripted}
        >
          {t("resourceMap.picker.save")}
        </button>{" "}
        <span className="small muted">
          <span className={symbolClass("healthRoom")} aria-hidden="true">
            <span>{t("resourceMap.glyph.healthRoom")}</span>
          </span>{" "}
          {t("resourceMap.healthRoom")}
        </span>
      </p>
    </div>
  );
}
