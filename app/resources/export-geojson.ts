/**
 * The resources with a location as GeoJSON (RFC 7946) for QGIS, uMap and the like: a
 * FeatureCollection of Points, coordinates [longitude, latitude] (WGS 84) rounded to 6 decimals
 * (about 10 cm). Resources without a usable location are left out and counted. Pure: no database,
 * no server code.
 */
import { formatScheduleRules } from "~/utils/schedule";
import { CATEGORY_LABELS, STATUS_LABELS, type ExportLang } from "./export-csv";
import type { Resource } from "./types";

export interface ResourceFeatureProperties {
  id: number;
  name: string;
  aliases: string[];
  description: string;
  category: Resource["category"];
  categoryLabel: string;
  tags: string[];
  area: string;
  organization: string;
  address: string;
  /** The schedule as people read it: the free text, else the formatted rules. */
  schedule: string;
  phone: string;
  email: string;
  url: string;
  eligibility: string;
  fees: string;
  status: Resource["status"];
  statusLabel: string;
  verifiedOn: string | null;
  updatedAt: string;
}

export interface PointFeature<P> {
  type: "Feature";
  id: number;
  geometry: { type: "Point"; coordinates: [number, number] };
  properties: P;
}

export interface FeatureCollection<P> {
  type: "FeatureCollection";
  features: PointFeature<P>[];
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

function position(r: Resource): [number, number] | null {
  const { lat, lng } = r;
  if (lat === null || lng === null || !Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  if (lat < -90 || lat > 90 || lng < -180 || lng > 180) return null;
  return [round6(lng), round6(lat)];
}

/** The resources as a FeatureCollection; `skipped` counts those without a location. */
export function resourcesToGeoJson(
  resources: Resource[],
  lang: ExportLang,
): { geojson: FeatureCollection<ResourceFeatureProperties>; skipped: number } {
  const features: PointFeature<ResourceFeatureProperties>[] = [];
  let skipped = 0;
  for (const r of resources) {
    const coordinates = position(r);
    if (!coordinates) {
      skipped++;
      continue;
    }
    features.push({
      type: "Feature",
      id: r.id,
      geometry: { type: "Point", coordinates },
      properties: {
        id: r.id,
        name: r.name,
        aliases: r.aliases,
        description: r.description,
        category: r.category,
        categoryLabel: CATEGORY_LABELS[lang][r.category],
        tags: r.tags,
        area: r.area,
        organization: r.organization,
        address: r.address,
        schedule: r.scheduleText || formatScheduleRules(r.schedule, lang),
        phone: r.phone,
        email: r.email,
        url: r.url,
        eligibility: r.eligibility,
        fees: r.fees,
        status: r.status,
        statusLabel: STATUS_LABELS[lang][r.status],
        verifiedOn: r.verifiedOn,
        updatedAt: r.updatedAt,
      },
    });
  }
  return { geojson: { type: "FeatureCollection", features }, skipped };
}
