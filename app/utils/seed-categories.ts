/** The kinds of seed (タネ) and resource, shared by the suggestion rules, models and screens. */
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
] as const;
