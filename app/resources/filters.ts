/**
 * The filters of the resource list (/resources, its map and exports) as a query string and back.
 * Pure and browser-safe: the list's links are built in the browser too.
 */
import { SEED_CATEGORIES } from "~/utils/seed-categories";
import { RESOURCE_STATUSES, RESOURCE_VISIBILITIES, type Resource } from "./types";

export const RESOURCE_PAGE_SIZE = 50;

export const RESOURCE_SORTS = ["name", "updated", "verified"] as const;

export interface ResourceFilters {
  q?: string;
  category?: (typeof SEED_CATEGORIES)[number];
  tag?: string;
  area?: string;
  status?: Resource["status"];
  visibility?: Resource["visibility"];
  /** Not verified for this many months (or never). */
  staleMonths?: number;
  /** Only resources with (true) or without (false) a location. */
  located?: boolean;
}

const oneOf = <T extends readonly string[]>(values: T, v: string | null) =>
  v !== null && (values as readonly string[]).includes(v) ? (v as T[number]) : undefined;

export function parseResourceFilters(params: URLSearchParams): {
  filters: ResourceFilters;
  sort: (typeof RESOURCE_SORTS)[number];
  page: number;
} {
  const stale = Number(params.get("stale"));
  const located = params.get("located");
  return {
    filters: {
      q: params.get("q")?.trim().slice(0, 100) || undefined,
      category: oneOf(SEED_CATEGORIES, params.get("category")),
      tag: params.get("tag")?.trim().slice(0, 50) || undefined,
      area: params.get("area")?.trim().slice(0, 100) || undefined,
      status: oneOf(RESOURCE_STATUSES, params.get("status")),
      visibility: oneOf(RESOURCE_VISIBILITIES, params.get("visibility")),
      staleMonths: Number.isInteger(stale) && stale > 0 && stale <= 120 ? stale : undefined,
      located: located === "yes" ? true : located === "no" ? false : undefined,
    },
    sort: oneOf(RESOURCE_SORTS, params.get("sort")) ?? "name",
    page: Math.max(1, Math.min(10_000, Number(params.get("page")) || 1)),
  };
}

export function resourceSearch(filters: ResourceFilters, sort = "name", page = 1): string {
  const p = new URLSearchParams();
  if (filters.q) p.set("q", filters.q);
  if (filters.category) p.set("category", filters.category);
  if (filters.tag) p.set("tag", filters.tag);
  if (filters.area) p.set("area", filters.area);
  if (filters.status) p.set("status", filters.status);
  if (filters.visibility) p.set("visibility", filters.visibility);
  if (filters.staleMonths) p.set("stale", String(filters.staleMonths));
  if (filters.located !== undefined) p.set("located", filters.located ? "yes" : "no");
  if (sort !== "name") p.set("sort", sort);
  if (page > 1) p.set("page", String(page));
  return p.toString();
}
