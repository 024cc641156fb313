/**
 * A community resource (地域資源) as the resource list, its exports and its import see it: plain
 * data, no database. The model (app/models/resources.server.ts) reads rows into this shape;
 * the exporters (./export-*.ts) and the import (./csv-import.ts) work on it. Pure: no server code,
 * usable in the browser too.
 */
import type { ScheduleRule } from "~/utils/schedule";
import type { SEED_CATEGORIES } from "~/utils/seed-categories";

type SeedCategory = (typeof SEED_CATEGORIES)[number];

export const RESOURCE_STATUSES = ["active", "to_verify", "inactive", "closed"] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];
export const RESOURCE_VISIBILITIES = ["staff", "public"] as const;
export type ResourceVisibility = (typeof RESOURCE_VISIBILITIES)[number];
export const VERIFIED_HOW = ["walk", "phone", "visit", "other"] as const;
export type VerifiedHow = (typeof VERIFIED_HOW)[number];

// The schedule rules live with their parser in app/utils/schedule.ts (utils never import resources).
export type { ScheduleRule, Weekday } from "~/utils/schedule";
export { WEEKDAYS } from "~/utils/schedule";

export interface Resource {
  id: number;
  name: string;
  aliases: string[];
  /** Public description. */
  description: string;
  category: SeedCategory;
  tags: string[];
  /** 地区 */
  area: string;
  organization: string;
  address: string;
  lat: number | null;
  lng: number | null;
  scheduleText: string;
  schedule: ScheduleRule[];
  phone: string;
  email: string;
  url: string;
  eligibility: string;
  fees: string;
  status: ResourceStatus;
  visibility: ResourceVisibility;
  /** Date (YYYY-MM-DD) of the last verification, and how it was done. */
  verifiedOn: string | null;
  verifiedHow: VerifiedHow | null;
  createdAt: string;
  updatedAt: string;
}
