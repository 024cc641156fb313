/**
 * The resources as Open Referral HSDS 3 JSON: an array of `service` records, each whole — its
 * organization, service_at_locations → location → addresses, phones, schedules (RFC 5545 fields),
 * service_areas (地区) and attributes → taxonomy_term for the category and the tags — valid
 * against HSDS 3 `schema/compiled/service.json` (../shared/hsds-3; a copy in test/fixtures/hsds-3).
 *
 * Identifiers are UUIDs (the schema demands them), derived deterministically (UUID v5, SHA-1)
 * from the resource id and the site's base URL, so that the same resource keeps the same ids from
 * one export to the next and a consumer can update rather than duplicate. Server only: node:crypto.
 */
import { createHash } from "node:crypto";
import { toHsdsSchedules, type HsdsSchedule } from "~/utils/schedule";
import { CATEGORY_LABELS } from "./export-csv";
import type { Resource, ResourceStatus } from "./types";

export interface HsdsExportOptions {
  /** The publisher (e.g. 名張市健康福祉部): the organization of resources that name none. */
  organizationName: string;
  /** The site's public URL; it seeds the ids and is the publisher's website. */
  baseUrl?: string;
  /** Used for an address whose prefecture / city cannot be read from the text (e.g. "三重県", "名張市"). */
  stateProvince?: string;
  city?: string;
  /** The municipality's UTC offset; Japan's "+09:00" unless told otherwise. */
  utcOffset?: string;
}

interface HsdsOrganization {
  id: string;
  name: string;
  description: string;
  website?: string;
}

interface HsdsAddress {
  id: string;
  location_id: string;
  address_1: string;
  city: string;
  state_province: string;
  postal_code: string;
  country: string;
  address_type: "physical";
}

interface HsdsLocation {
  id: string;
  location_type: "physical";
  organization_id: string;
  name: string;
  latitude?: number;
  longitude?: number;
  addresses: HsdsAddress[];
}

interface HsdsTaxonomyTerm {
  id: string;
  code: string;
  name: string;
  description: string;
  taxonomy: string;
  taxonomy_id: string;
  language: string;
  taxonomy_detail: { id: string; name: string; description: string; uri?: string };
}

interface HsdsAttribute {
  id: string;
  link_id: string;
  link_type: string;
  link_entity: "service";
  taxonomy_term_id: string;
  taxonomy_term: HsdsTaxonomyTerm;
}

/** A schedule of the service: rule fields when it has a structured rule, a description always. */
export type HsdsServiceSchedule = {
  id: string;
  service_id: string;
  description: string;
  notes?: string;
} & Partial<Omit<HsdsSchedule, "id" | "description">>;

export interface HsdsService {
  id: string;
  organization_id: string;
  name: string;
  alternate_name?: string;
  description: string;
  url?: string;
  email?: string;
  status: "active" | "inactive" | "defunct" | "temporarily closed";
  fees_description?: string;
  eligibility_description?: string;
  assured_date?: string;
  last_modified?: string;
  organization: HsdsOrganization;
  phones: { id: string; service_id: string; number: string }[];
  schedules: HsdsServiceSchedule[];
  service_areas: { id: string; service_id: string; name: string }[];
  service_at_locations: {
    id: string;
    service_id: string;
    location_id: string;
    location: HsdsLocation;
  }[];
  attributes: HsdsAttribute[];
}

/** RFC 4122 UUID version 5 (SHA-1 of namespace + name). */
const namespaces = new Map<string, Buffer>();
/** Ids already made (the same names recur in every export: categories, tags, organisations). */
const made = new Map<string, string>();

function sha1Uuid(name: string, namespace: string): Buffer {
  let ns = namespaces.get(namespace);
  if (!ns) namespaces.set(namespace, (ns = Buffer.from(namespace.replace(/-/g, ""), "hex")));
  return createHash("sha1").update(ns).update(name, "utf8").digest().subarray(0, 16);
}

/** 16 bytes as a UUID of version 5, RFC 4122 variant. */
function formatUuid(bytes: Uint8Array): string {
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function uuidV5(name: string, namespace: string): string {
  const key = `${namespace}\u0000${name}`;
  const known = made.get(key);
  if (known) return known;
  const id = formatUuid(sha1Uuid(name, namespace));
  // Bounded: a long-running server exporting ever-new names keeps at most this many.
  if (made.size > 20_000) made.clear();
  made.set(key, id);
  return id;
}

/**
 * The ids of one service's parts (its phone, schedules, location…): the service's own SHA-1 bytes
 * combined (XOR) with the fixed bytes of the part's name, marked as version 5. As stable and as
 * unique as one UUID v5 per part, for one SHA-1 per resource instead of ten — most of the time of
 * a first export of thousands of resources went to hashing.
 */
const masks = new Map<string, Buffer>();
function partIds(service: Buffer, dataset: string): (part: string) => string {
  return (part) => {
    const key = `${dataset}\u0000${part}`;
    let mask = masks.get(key);
    if (!mask) {
      if (masks.size > 20_000) masks.clear();
      masks.set(key, (mask = sha1Uuid(`part/${part}`, dataset)));
    }
    const bytes = Buffer.allocUnsafe(16);
    for (let i = 0; i < 16; i++) bytes[i] = service[i]! ^ mask[i]!;
    return formatUuid(bytes);
  };
}

/** RFC 4122's namespace for URLs. */
const URL_NAMESPACE = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";

const STATUS: Record<ResourceStatus, HsdsService["status"]> = {
  active: "active",
  // Not yet re-checked, but as far as we know still running.
  to_verify: "active",
  inactive: "inactive",
  closed: "defunct",
};

// The same test as ajv-formats' "email" format, so that what we write validates.
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** An absolute http(s) URL (percent-encoded), "www.example.jp" read as https; else undefined. */
function absoluteUrl(text: string): string | undefined {
  const s = text.normalize("NFKC").trim();
  if (!s) return undefined;
  const withScheme = /^https?:\/\//i.test(s)
    ? s
    : /^[\w-]+(\.[\w-]+)+(\/|$)/.test(s)
      ? `https://${s}`
      : null;
  if (!withScheme) return undefined;
  try {
    const url = new URL(withScheme);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const PREFECTURE = /^(北海道|東京都|京都府|大阪府|[^\s\d]{2,3}県)/;
// 市 (with 区 for a designated city), 郡 + 町/村, or 区/町/村.
const CITY = /^(\S+?市\S+?区|\S+?郡\S+?[町村]|\S+?[市区町村])/;

/** A Japanese address split as HSDS wants it: 〒, 都道府県, 市区町村, the rest. Best effort. */
export function splitJapaneseAddress(
  address: string,
  defaults: { stateProvince?: string; city?: string } = {},
): { postal_code: string; state_province: string; city: string; address_1: string } {
  let rest = address.normalize("NFKC").replace(/\s+/g, " ").trim();
  let postal_code = "";
  const zip = /^〒?\s*(\d{3})-?(\d{4})\s*/.exec(rest);
  if (zip) {
    postal_code = `${zip[1]}-${zip[2]}`;
    rest = rest.slice(zip[0].length);
  }
  let state_province = defaults.stateProvince ?? "";
  const pref = PREFECTURE.exec(rest);
  if (pref) {
    state_province = pref[1]!;
    rest = rest.slice(pref[0].length).trim();
  }
  let city = defaults.city ?? "";
  // Only when the prefecture was written or the default city starts the text: "桔梗が丘" is no city.
  const cityMatch = pref ? CITY.exec(rest) : null;
  if (cityMatch) {
    city = cityMatch[1]!;
    rest = rest.slice(cityMatch[0].length).trim();
  } else if (defaults.city && rest.startsWith(defaults.city)) {
    rest = rest.slice(defaults.city.length).trim();
  }
  return { postal_code, state_province, city, address_1: rest || address.trim() };
}

/** The resources as HSDS 3 services (see the top of this file). */
export function resourcesToHsds(resources: Resource[], options: HsdsExportOptions): HsdsService[] {
  const dataset = uuidV5(options.baseUrl ?? "urn:kokan-nikki", URL_NAMESPACE);
  const uuid = (name: string) => uuidV5(name, dataset);
  const website = options.baseUrl ? absoluteUrl(options.baseUrl) : undefined;

  const categoryTaxonomy = {
    id: uuid("taxonomy/category"),
    name: "地域資源の種類",
    description: "交換日記の地域資源リストで使う資源の種類（場所・活動・行事など）",
  };
  const tagTaxonomy = {
    id: uuid("taxonomy/tag"),
    name: "地域資源のタグ",
    description: "交換日記の地域資源リストで職員が付けたタグ",
  };

  const organizations = new Map<string, HsdsOrganization>();
  const organizationFor = (r: Resource): HsdsOrganization => {
    const name = r.organization.trim() || options.organizationName;
    let org = organizations.get(name);
    if (!org) {
      org = { id: uuid(`organization/${name}`), name, description: "" };
      if (name === options.organizationName && website) org.website = website;
      organizations.set(name, org);
    }
    return org;
  };

  return resources.map((r) => {
    const serviceBytes = sha1Uuid(`service/${r.id}`, dataset);
    const part = partIds(serviceBytes, dataset);
    const id = formatUuid(Buffer.from(serviceBytes)); // a copy: formatUuid marks the version
    const org = organizationFor(r);
    const service: HsdsService = {
      id,
      organization_id: org.id,
      name: r.name,
      description: r.description,
      status: STATUS[r.status],
      organization: { ...org },
      phones: [],
      schedules: [],
      service_areas: [],
      service_at_locations: [],
      attributes: [],
    };
    if (r.aliases.length > 0) service.alternate_name = r.aliases.join("、");
    const url = absoluteUrl(r.url);
    if (url) service.url = url;
    const email = r.email.trim();
    if (EMAIL.test(email)) service.email = email;
    if (r.fees) service.fees_description = r.fees;
    if (r.eligibility) service.eligibility_description = r.eligibility;
    if (r.verifiedOn) service.assured_date = r.verifiedOn;
    const modified = Date.parse(r.updatedAt);
    if (Number.isFinite(modified)) service.last_modified = new Date(modified).toISOString();

    if (r.phone.trim())
      service.phones.push({
        id: part(`phone/0`),
        service_id: id,
        number: r.phone.trim(),
      });

    let n = 0;
    const schedules = toHsdsSchedules(r.schedule, () => part(`schedule/${n++}`), {
      utcOffset: options.utcOffset,
    });
    const note = r.scheduleText.trim();
    if (schedules.length > 0)
      service.schedules = schedules.map((s) => ({
        ...s,
        service_id: id,
        ...(note ? { notes: note } : {}),
      }));
    else if (note)
      // Only free text: a schedule with a description and no recurrence.
      service.schedules = [{ id: part(`schedule/text`), service_id: id, description: note }];

    if (r.area.trim())
      service.service_areas.push({
        id: part(`area`),
        service_id: id,
        name: r.area.trim(),
      });

    const hasPoint = r.lat !== null && r.lng !== null;
    if (r.address.trim() || hasPoint) {
      const locationId = part(`location`);
      const location: HsdsLocation = {
        id: locationId,
        location_type: "physical",
        organization_id: org.id,
        name: r.name,
        addresses: [],
      };
      if (hasPoint) {
        location.latitude = r.lat!;
        location.longitude = r.lng!;
      }
      if (r.address.trim())
        location.addresses.push({
          id: part(`address`),
          location_id: locationId,
          ...splitJapaneseAddress(r.address, options),
          country: "JP",
          address_type: "physical",
        });
      service.service_at_locations.push({
        id: part(`service_at_location`),
        service_id: id,
        location_id: locationId,
        location,
      });
    }

    const attribute = (kind: "category" | "tag", code: string, name: string): HsdsAttribute => {
      const taxonomy = kind === "category" ? categoryTaxonomy : tagTaxonomy;
      const termId = uuid(`taxonomy/${kind}/${code}`);
      return {
        id: part(`${kind}/${code}`),
        link_id: id,
        link_type: kind,
        link_entity: "service",
        taxonomy_term_id: termId,
        taxonomy_term: {
          id: termId,
          code,
          name,
          description: name,
          taxonomy: taxonomy.name,
          taxonomy_id: taxonomy.id,
          language: "ja",
          taxonomy_detail: { ...taxonomy, ...(website ? { uri: website } : {}) },
        },
      };
    };
    service.attributes.push(attribute("category", r.category, CATEGORY_LABELS.ja[r.category]));
    for (const tag of new Set(r.tags)) service.attributes.push(attribute("tag", tag, tag));
    return service;
  });
}
