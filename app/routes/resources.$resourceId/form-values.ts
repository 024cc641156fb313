import type { Resource } from "~/resources/types";
import { scheduleRulesToText } from "~/utils/schedule";

/** A resource as the strings its edit form starts with. */
export function resourceFormValues(r: Resource, _lang: "ja" | "en"): Record<string, string> {
  return {
    name: r.name,
    aliases: r.aliases.join("、"),
    description: r.description,
    category: r.category,
    tags: r.tags.join("、"),
    area: r.area,
    organization: r.organization,
    address: r.address,
    lat: r.lat === null ? "" : String(r.lat),
    lng: r.lng === null ? "" : String(r.lng),
    scheduleText: r.scheduleText,
    scheduleRules: scheduleRulesToText(r.schedule),
    phone: r.phone,
    email: r.email,
    url: r.url,
    eligibility: r.eligibility,
    fees: r.fees,
    status: r.status,
    visibility: r.visibility,
  };
}
