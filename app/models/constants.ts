import type { GroupStatus, SeedCategory } from "../../db/schema";

/** Domain constants shared by models (server) and components (browser). No server code here. */
export const AGE_BANDS = [
  "teens",
  "20s",
  "30s",
  "40s",
  "50s",
  "60s",
  "70plus",
  "unspecified",
] as const;
export const REFERRAL_TYPES = ["participant", "staff", "school", "sns", "other", "none"] as const;
export const GROUP_SIZE = 3;
export const SEED_CATEGORIES = [
  "place",
  "activity",
  "event",
  "person_skill",
  "need",
  "idea",
  "shop",
  "nature",
  "other",
] as const satisfies readonly SeedCategory[];

export const GROUP_TRANSITIONS: Record<GroupStatus, GroupStatus[]> = {
  forming: ["active"],
  active: ["finished"],
  finished: ["active"],
};
