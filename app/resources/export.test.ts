import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../test/helpers/paths";
import { CSV_COLUMNS, resourcesToCsv } from "./export-csv";
import { resourcesToGeoJson } from "./export-geojson";
import { resourcesToHsds, splitJapaneseAddress, uuidV5 } from "./export-hsds.server";
import type { Resource } from "./types";

function resource(overrides: Partial<Resource> = {}): Resource {
  return {
    id: 1,
    name: "ひばりカフェ",
    aliases: ["ヒバリ喫茶"],
    description: "誰でも立ち寄れるカフェです。",
    category: "place",
    tags: ["居場所", "カフェ"],
    area: "桔梗が丘",
    organization: "名張市社会福祉協議会",
    address: "〒518-0621 三重県名張市桔梗が丘1番町2-3",
    lat: 34.6291,
    lng: 136.1082,
    scheduleText: "毎週木曜 10時〜12時（祝日休み）",
    schedule: [{ freq: "weekly", weekdays: ["TH"], opens: "10:00", closes: "12:00" }],
    phone: "0595-63-0000",
    email: "hibari@example.jp",
    url: "https://example.jp/hibari",
    eligibility: "どなたでも",
    fees: "100円",
    status: "active",
    visibility: "public",
    verifiedOn: "2026-11-20",
    verifiedHow: "walk",
    createdAt: "2026-11-01T01:00:00.000Z",
    updatedAt: "2026-11-20T03:04:05.678Z",
    ...overrides,
  };
}

const tricky = resource({
  id: 2,
  name: "𠮷野家の「集い」, 2階",
  aliases: ['"おしゃべり"会', "つどい"],
  description: '一行目\r\n二行目, "引用" あり\n三行目\r四行目',
  tags: ["𠮷", "a,b"],
  area: "",
  organization: "",
  address: "",
  lat: null,
  lng: null,
  scheduleText: "",
  schedule: [
    { freq: "monthly", ordinal: 2, weekday: "SU", opens: "13:00", closes: "15:00" },
    { freq: "monthly", ordinal: -1, weekday: "SA", opens: null, closes: null },
  ],
  phone: "+81 595 63 0000",
  email: "not an address",
  url: "www.example.jp/つどい",
  eligibility: '=HYPERLINK("http://evil.example","click")',
  fees: "@SUM(A1:A2)",
  status: "to_verify",
  visibility: "staff",
  verifiedOn: null,
  verifiedHow: null,
});

describe("resourcesToCsv", () => {
  const csv = resourcesToCsv([resource(), tricky], "ja");

  it("is UTF-8 with a BOM, CRLF and a Japanese header row", () => {
    expect(
      csv.startsWith("\uFEFF名前,別名,説明,種類,タグ,地区,団体,住所,緯度,経度,日時,日時（規則）,"),
    ).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    // Every record ends in CRLF; bare line ends only inside quoted cells.
    const header = csv.slice(1, csv.indexOf("\r\n"));
    expect(header.split(",")).toEqual(CSV_COLUMNS.map((c) => c.ja));
    expect(resourcesToCsv([], "en").slice(1, 12)).toBe("Name,Other ");
  });

  it("parses back to the same cells (𠮷, commas, quotes, line breaks)", () => {
    const rows = parse(csv, { bom: true, record_delimiter: "\r\n" }) as string[][];
    expect(rows).toHaveLength(3);
    const [header, first, second] = rows as [string[], string[], string[]];
    const get = (row: string[], name: string) => row[header.indexOf(name)];
    expect(get(first, "名前")).toBe("ひばりカフェ");
    expect(get(first, "緯度")).toBe("34.6291");
    expect(get(first, "種類")).toBe("場所");
    expect(get(first, "公開")).toBe("公開");
    expect(get(first, "確認方法")).toBe("まち歩き");
    expect(get(first, "日時")).toBe("毎週木曜 10時〜12時（祝日休み）");
    expect(get(first, "日時（規則）")).toBe("毎週木曜 10:00〜12:00");
    expect(get(first, "番号")).toBe("1");

    expect(get(second, "名前")).toBe(tricky.name);
    expect(get(second, "別名")).toBe('"おしゃべり"会、つどい');
    expect(get(second, "説明")).toBe(tricky.description);
    expect(get(second, "タグ")).toBe("𠮷、a,b");
    expect(get(second, "緯度")).toBe("");
    expect(get(second, "日時（規則）")).toBe("第2日曜 13:00〜15:00、最終土曜");
    expect(get(second, "状態")).toBe("要確認");
    expect(get(second, "公開")).toBe("職員のみ");
    expect(get(second, "最終確認日")).toBe("");
    expect(header).toHaveLength(CSV_COLUMNS.length);
    expect(second).toHaveLength(CSV_COLUMNS.length);
  });

  it("neutralises cells a spreadsheet would run as formulas", () => {
    const rows = parse(csv, { bom: true }) as string[][];
    const [header, , second] = rows as [string[], string[], string[]];
    const get = (name: string) => second[header.indexOf(name)];
    expect(get("対象")).toBe(`'${tricky.eligibility}`);
    expect(get("費用")).toBe("'@SUM(A1:A2)");
    expect(get("電話")).toBe("'+81 595 63 0000");
    const more = parse(
      resourcesToCsv(
        [resource({ name: "-1+1", description: "\tx", fees: "\r=1", area: "a=b" })],
        "ja",
      ),
      { bom: true },
    ) as string[][];
    const [h, row] = more as [string[], string[]];
    expect(row[h.indexOf("名前")]).toBe("'-1+1");
    expect(row[h.indexOf("説明")]).toBe("'\tx");
    expect(row[h.indexOf("費用")]).toBe("'\r=1");
    expect(row[h.indexOf("地区")]).toBe("a=b");
  });
});

describe("resourcesToGeoJson", () => {
  it("is a FeatureCollection of [lng, lat] points; resources without a location are counted", () => {
    const noLng = resource({ id: 3, lng: null });
    const { geojson, skipped } = resourcesToGeoJson([resource(), tricky, noLng], "en");
    expect(skipped).toBe(2);
    expect(geojson.type).toBe("FeatureCollection");
    expect(geojson.features).toHaveLength(1);
    const [feature] = geojson.features;
    expect(feature).toMatchObject({
      type: "Feature",
      id: 1,
      geometry: { type: "Point", coordinates: [136.1082, 34.6291] },
      properties: {
        id: 1,
        name: "ひばりカフェ",
        category: "place",
        categoryLabel: "Place",
        area: "桔梗が丘",
        address: "〒518-0621 三重県名張市桔梗が丘1番町2-3",
        schedule: "毎週木曜 10時〜12時（祝日休み）",
        url: "https://example.jp/hibari",
      },
    });
    // Serialisable as plain JSON, with the RFC 7946 members only at the top.
    const round = JSON.parse(JSON.stringify(geojson)) as Record<string, unknown>;
    expect(Object.keys(round).sort()).toEqual(["features", "type"]);
  });

  it("formats rules when there is no free text, and rounds to 6 decimals", () => {
    const { geojson } = resourcesToGeoJson(
      [resource({ scheduleText: "", lat: 34.123456789, lng: 136.987654321 })],
      "ja",
    );
    expect(geojson.features[0]!.geometry.coordinates).toEqual([136.987654, 34.123457]);
    expect(geojson.features[0]!.properties.schedule).toBe("毎週木曜 10:00〜12:00");
    expect(geojson.features[0]!.properties.categoryLabel).toBe("場所");
  });

  it("leaves out impossible coordinates", () => {
    expect(resourcesToGeoJson([resource({ lat: 95 })], "ja").skipped).toBe(1);
  });
});

describe("resourcesToHsds", () => {
  const fixture = path.join(ROOT, "test", "fixtures", "hsds-3", "service.json");
  const schema = JSON.parse(readFileSync(fixture, "utf8")) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true });
  addFormats(ajv);
  // HSDS's own annotations (Frictionless Data Package metadata), not JSON Schema keywords.
  ajv.addVocabulary([
    "name",
    "path",
    "datapackage_metadata",
    "datapackage_type",
    "constraints",
    "core",
    "example",
    "tabular_required",
  ]);
  const validate = ajv.compile(schema);

  it("the fixture is the shared HSDS 3 schema", () => {
    const shared = path.join(ROOT, "..", "shared", "hsds-3", "schema", "compiled", "service.json");
    if (!existsSync(shared)) return; // A clean clone has only the fixture.
    expect(schema).toEqual(JSON.parse(readFileSync(shared, "utf8")));
  });

  it("makes UUID v5 ids (RFC 4122 test vector)", () => {
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
  });

  it("validates against schema/compiled/service.json, every service", () => {
    const services = resourcesToHsds([resource(), tricky, resource({ id: 3, status: "closed" })], {
      organizationName: "名張市 健康福祉部",
      baseUrl: "https://kokan.example.jp",
    });
    expect(services).toHaveLength(3);
    for (const service of services) {
      const ok = validate(service);
      expect(validate.errors ?? [], JSON.stringify(service, null, 1)).toEqual([]);
      expect(ok).toBe(true);
    }
    // A record that breaks the schema is caught (the validator is not vacuous).
    expect(validate({ ...services[0], id: "1" })).toBe(false);
    expect(validate({ ...services[0], status: "to_verify" })).toBe(false);
    const nested = structuredClone(services[0]!);
    nested.schedules[0]!.freq = "DAILY" as "WEEKLY";
    expect(validate(nested)).toBe(false);
  });

  it("fills organization, location, address, phone, schedules and taxonomy terms", () => {
    const [full, bare] = resourcesToHsds([resource(), tricky], {
      organizationName: "名張市 健康福祉部",
    });
    expect(full).toMatchObject({
      name: "ひばりカフェ",
      alternate_name: "ヒバリ喫茶",
      status: "active",
      url: "https://example.jp/hibari",
      email: "hibari@example.jp",
      fees_description: "100円",
      eligibility_description: "どなたでも",
      assured_date: "2026-11-20",
      last_modified: "2026-11-20T03:04:05.678Z",
      organization: { name: "名張市社会福祉協議会" },
      phones: [{ number: "0595-63-0000" }],
      service_areas: [{ name: "桔梗が丘" }],
      schedules: [
        {
          freq: "WEEKLY",
          byday: "TH",
          opens_at: "10:00+09:00",
          closes_at: "12:00+09:00",
          notes: "毎週木曜 10時〜12時（祝日休み）",
        },
      ],
      service_at_locations: [
        {
          location: {
            location_type: "physical",
            latitude: 34.6291,
            longitude: 136.1082,
            addresses: [
              {
                postal_code: "518-0621",
                state_province: "三重県",
                city: "名張市",
                address_1: "桔梗が丘1番町2-3",
                country: "JP",
                address_type: "physical",
              },
            ],
          },
        },
      ],
    });
    expect(full!.organization_id).toBe(full!.organization.id);
    expect(
      full!.attributes.map((a) => [a.link_type, a.taxonomy_term.code, a.taxonomy_term.name]),
    ).toEqual([
      ["category", "place", "場所"],
      ["tag", "居場所", "居場所"],
      ["tag", "カフェ", "カフェ"],
    ]);

    // No organisation named: the publisher. No location: no service_at_location.
    expect(bare!.organization.name).toBe("名張市 健康福祉部");
    expect(bare!.service_at_locations).toEqual([]);
    expect(bare!.email).toBeUndefined();
    expect(bare!.url).toBe("https://www.example.jp/%E3%81%A4%E3%81%A9%E3%81%84");
    expect(bare!.schedules.map((s) => s.byday)).toEqual(["2SU", "-1SA"]);
    expect(bare!.status).toBe("active");
  });

  it("keeps the same ids from one export to the next, different per site", () => {
    const a = resourcesToHsds([resource()], { organizationName: "x" });
    const b = resourcesToHsds([resource()], { organizationName: "x" });
    const c = resourcesToHsds([resource()], {
      organizationName: "x",
      baseUrl: "https://a.example",
    });
    expect(a).toEqual(b);
    expect(c[0]!.id).not.toBe(a[0]!.id);
    // Every record has its own id (a taxonomy, shared by its terms, is described in each).
    const json = JSON.stringify(a, (key, value: unknown) =>
      key === "taxonomy_detail" ? undefined : value,
    );
    const ids = json.match(/"id":"[^"]+"/g)!;
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("splitJapaneseAddress", () => {
  it("reads 〒, prefecture, city; falls back to the defaults", () => {
    expect(splitJapaneseAddress("大阪府大阪市北区梅田1-1")).toMatchObject({
      state_province: "大阪府",
      city: "大阪市北区",
      address_1: "梅田1-1",
    });
    expect(splitJapaneseAddress("三重県伊賀郡某町1", {})).toMatchObject({ city: "伊賀郡某町" });
    expect(
      splitJapaneseAddress("名張市桔梗が丘1番町", { stateProvince: "三重県", city: "名張市" }),
    ).toEqual({
      postal_code: "",
      state_province: "三重県",
      city: "名張市",
      address_1: "桔梗が丘1番町",
    });
    expect(splitJapaneseAddress("桔梗が丘公民館", { city: "名張市" })).toMatchObject({
      city: "名張市",
      address_1: "桔梗が丘公民館",
    });
  });
});
