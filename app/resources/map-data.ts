/**
 * What the resource map (/resources/map) sends to the browser: a compact form of the filtered
 * resources — one small tuple per resource with a location, categories/statuses/areas by index —
 * so that 5 000 resources stay a few hundred kilobytes and quick to draw. Also the area labels the
 * map draws without tiles. Pure: no database, usable in the browser too.
 */
import { formatScheduleRules } from "~/utils/schedule";
import { SEED_CATEGORIES } from "~/utils/seed-categories";
import { RESOURCE_STATUSES, type Resource } from "./types";

/** [id, lat, lng, category index, status index, area index (-1: none), name, address, schedule] */
export type MapPoint = [
  id: number,
  lat: number,
  lng: number,
  category: number,
  status: number,
  area: number,
  name: string,
  address: string,
  schedule: string,
];

export interface MapHealthRoom {
  name: string;
  area: string;
  lat: number;
  lng: number;
}

export interface MapData {
  /** Resources matching the filters, with or without a location. */
  total: number;
  areas: string[];
  points: MapPoint[];
  healthRooms: MapHealthRoom[];
}

/** The fields of a resource the map shows. */
export type MapResource = Pick<
  Resource,
  | "id"
  | "lat"
  | "lng"
  | "category"
  | "status"
  | "area"
  | "name"
  | "address"
  | "scheduleText"
  | "schedule"
>;

/** A located resource as the map's SQL query gives it (resourceMapRowsJson). */
export type MapRow = [
  id: number,
  lat: number,
  lng: number,
  category: Resource["category"],
  status: Resource["status"],
  area: string,
  name: string,
  address: string,
  scheduleText: string,
  schedule: Resource["schedule"],
];

/**
 * What the map's loader sends: the rooms and the count. The rows come separately, as the JSON
 * array of /resources/map/points (fetched by the page once it has drawn).
 */
export interface MapPayload {
  healthRooms: MapHealthRoom[];
  total: number;
  lang: "ja" | "en";
}

/** The map's data from its loader's payload and the points' rows, built in the browser. */
export function mapDataFromPayload(payload: MapPayload, rows: readonly MapRow[]): MapData {
  return toMapData(
    rows.map(([id, lat, lng, category, status, area, name, address, scheduleText, schedule]) => ({
      id,
      lat,
      lng,
      category,
      status,
      area,
      name,
      address,
      scheduleText,
      schedule,
    })),
    payload.healthRooms,
    payload.lang,
    payload.total,
  );
}

export function toMapData(
  resources: MapResource[],
  healthRooms: ReadonlyArray<{
    name: string;
    area: string;
    lat: number | null;
    lng: number | null;
  }>,
  lang: "ja" | "en",
  /** How many matched the filters, when `resources` holds only the located ones. */
  total = resources.length,
): MapData {
  const areas: string[] = [];
  const areaIndex = new Map<string, number>();
  const points: MapPoint[] = [];
  for (const r of resources) {
    if (r.lat === null || r.lng === null) continue;
    let area = -1;
    if (r.area) {
      area = areaIndex.get(r.area) ?? -1;
      if (area < 0) {
        area = areas.push(r.area) - 1;
        areaIndex.set(r.area, area);
      }
    }
    const schedule = [r.scheduleText, formatScheduleRules(r.schedule, lang)]
      .filter(Boolean)
      .join("／");
    points.push([
      r.id,
      r.lat,
      r.lng,
      SEED_CATEGORIES.indexOf(r.category),
      RESOURCE_STATUSES.indexOf(r.status),
      area,
      r.name,
      r.address,
      schedule,
    ]);
  }
  return {
    total,
    areas,
    points,
    healthRooms: healthRooms.flatMap((h) =>
      h.lat !== null && h.lng !== null
        ? [{ name: h.name, area: h.area, lat: h.lat, lng: h.lng }]
        : [],
    ),
  };
}

export interface AreaLabel {
  name: string;
  lat: number;
  lng: number;
  count: number;
}

/** One label per area, at the centroid of its resources (drawn when no tiles show the town). */
export function areaLabels(data: Pick<MapData, "areas" | "points">): AreaLabel[] {
  const sums = data.areas.map((name) => ({ name, lat: 0, lng: 0, count: 0 }));
  for (const p of data.points) {
    const s = sums[p[5]];
    if (!s) continue;
    s.lat += p[1];
    s.lng += p[2];
    s.count++;
  }
  return sums
    .filter((s) => s.count > 0)
    .map((s) => ({ name: s.name, lat: s.lat / s.count, lng: s.lng / s.count, count: s.count }));
}
