import type { GroupStatus } from "../../db/schema";

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
export { SEED_CATEGORIES } from "~/utils/seed-categories";

export const GROUP_TRANSITIONS: Record<GroupStatus, GroupStatus[]> = {
  forming: ["active"],
  active: ["finished"],
  finished: ["active"],
};
