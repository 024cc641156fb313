/**
 * The Leaflet side shared by the resource map and the location picker: loading Leaflet in the
 * browser only (it touches `window` when imported, so it is never part of the server render or the
 * route's own chunk), tiles that give way to a plain background on a closed network, and the marker
 * icons (shape + colour + letter per category, so colour is never the only cue).
 */
import type * as Leaflet from "leaflet";
import type { SEED_CATEGORIES } from "~/models/constants";

export type L = typeof Leaflet;
type Category = (typeof SEED_CATEGORIES)[number];

let loading: Promise<L> | null = null;

/** Leaflet with leaflet.markercluster, loaded once per page. */
export function loadLeaflet(): Promise<L> {
  loading ??= (async () => {
    const mod = (await import("leaflet")) as unknown as { default?: L } & L;
    const leaflet = mod.default ?? mod;
    // The cluster plugin extends the global `L` (Leaflet sets it too; this keeps it certain).
    (window as unknown as { L: L }).L = leaflet;
    await import("leaflet.markercluster");
    return leaflet;
  })();
  return loading;
}

/** Japan as a whole: where a map with nothing on it starts. */
export const FALLBACK_VIEW = { center: [36.5, 137.5] as [number, number], zoom: 5 };

/** No tile loaded this long after the map opened: treat the network as closed. */
const TILE_TIMEOUT_MS = 8000;

/**
 * Adds the tile layer; calls `onOffline` once if tiles cannot be had (no tile URL, errors before
 * any tile loaded, or none loaded in time) and removes the layer so no more requests hang.
 * Returns a cleanup function.
 */
export function addTiles(
  L: L,
  map: Leaflet.Map,
  tiles: { url: string; attribution: string } | null,
  onOffline: () => void,
): () => void {
  // Leaflet's own credit without the flag it shows by default; the tiles add theirs.
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  if (!tiles) {
    onOffline();
    return () => {};
  }
  const layer = L.tileLayer(tiles.url, {
    attribution: tiles.attribution,
    maxZoom: 19,
    crossOrigin: false,
  });
  let loaded = 0;
  let failed = 0;
  let offline = false;
  const goOffline = () => {
    if (offline || loaded > 0) return;
    offline = true;
    map.removeLayer(layer);
    onOffline();
  };
  layer.on("tileload", () => {
    loaded++;
  });
  layer.on("tileerror", () => {
    failed++;
    // One broken tile is not a closed network; several and none loaded is.
    if (failed >= 2) goOffline();
  });
  const timer = window.setTimeout(goOffline, TILE_TIMEOUT_MS);
  layer.addTo(map);
  return () => window.clearTimeout(timer);
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

/** The class names of a category's symbol (app.css draws the shape and colour). */
export function symbolClass(category: Category | "healthRoom", status?: string) {
  return `map-symbol map-symbol--${category}${status ? ` map-symbol--status-${status}` : ""}`;
}

const SIZE = 28;

export function resourceIcon(L: L, category: Category, status: string, glyph: string) {
  return L.divIcon({
    className: "map-marker",
    html: `<span class="${symbolClass(category, status)}"><span aria-hidden="true">${escapeHtml(glyph)}</span></span>`,
    iconSize: [SIZE, SIZE],
    iconAnchor: [SIZE / 2, SIZE / 2],
  });
}

export function healthRoomIcon(L: L, glyph: string) {
  return L.divIcon({
    className: "map-marker map-marker--health-room",
    html: `<span class="${symbolClass("healthRoom")}"><span aria-hidden="true">${escapeHtml(glyph)}</span></span>`,
    iconSize: [32, 32],
    iconAnchor: [16, 16],
  });
}

export function areaLabelIcon(L: L, name: string) {
  return L.divIcon({
    className: "map-area-label",
    html: `<span>${escapeHtml(name)}</span>`,
    iconSize: undefined,
  });
}

/** Shows all the points: one point closely, several by their bounds, none as Japan. */
export function fitTo(L: L, map: Leaflet.Map, points: Array<[number, number]>) {
  if (points.length === 0) map.setView(FALLBACK_VIEW.center, FALLBACK_VIEW.zoom);
  else if (points.length === 1) map.setView(points[0]!, 15);
  else map.fitBounds(L.latLngBounds(points), { padding: [30, 30], maxZoom: 16 });
}
