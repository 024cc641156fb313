/**
 * The staff resource list over HTTP on the real server: create and edit with Japanese errors that
 * change nothing; exports of the filtered list (CSV parses back identically, formulas are
 * neutralised; GeoJSON counts what it leaves out; HSDS is JSON); a Shift_JIS CSV import with a
 * bad row previews without writing and writes only on confirm; participants get 404 everywhere.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCsvBytes, guessMapping, parseCsv } from "~/resources/csv-import";
import { getDb } from "~/utils/db.server";
import { countRows } from "../helpers/db";
import { makeActiveGroup, makeStaff } from "../helpers/factories";
import { ROOT } from "../helpers/paths";
import { Client, startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let staff: Client;
let participant: Client;

const base = {
  category: "activity",
  status: "active",
  visibility: "public",
  intent: "save",
};

async function postMultipart(client: Client, pathname: string, form: FormData) {
  return fetch(client.base + pathname, {
    method: "POST",
    headers: { cookie: client.cookie, origin: client.base },
    body: form,
    redirect: "manual",
  });
}

beforeAll(async () => {
  const s = await makeStaff();
  const group = await makeActiveGroup();
  server = await startServer({
    databasePath: process.env.DATABASE_PATH!,
    env: { UPLOADS_DIR: process.env.UPLOADS_DIR! },
  });
  staff = new Client(server.url);
  await staff.loginStaff(s.login, s.password);
  participant = new Client(server.url);
  await participant.loginParticipant(group.codes[0]!);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe("staff", () => {
  let id: number;

  it("create a resource and see it in the list, found with another spelling", async () => {
    const created = await staff.post("/resources/new", {
      ...base,
      // A comma and quotes in the name; the line break goes in a multi-line field (decision 030).
      name: '𠮷野カフェ, "ひだまり" 2号店',
      area: "北部",
      eligibility: "どなたでも\n予約不要",
      tags: "カフェ、居場所",
      lat: "34.68",
      lng: "135.80",
      description: '=HYPERLINK("http://evil.example")',
      scheduleRules: "毎週木 10:00-12:00\n第2日 13:00-15:00",
    });
    expect(created.status).toBe(302);
    id = Number(/\/resources\/(\d+)/.exec(created.headers.get("location")!)![1]);
    const list = await (await staff.get("/resources?q=ｶﾌｪ")).text();
    expect(list).toContain(`href="/resources/${id}"`);
    const page = await (await staff.get(`/resources/${id}`)).text();
    expect(page).toContain("毎週木曜 10:00〜12:00");
  });

  it("get a Japanese error for bad input, and nothing changes", async () => {
    const before = await getDb().selectFrom("resource").selectAll().orderBy("id").execute();
    const changes = await countRows("resource_change");
    for (const [fields, message] of [
      [{ name: "" }, "入力してください。"],
      [{ name: "x", lat: "100", lng: "135" }, "緯度・経度は数値で入力してください。"],
      [{ name: "x", lat: "34" }, "緯度と経度は両方入力するか"],
      [
        { name: "x", url: ["javascript", "alert(1)"].join(":") },
        "URL は http:// か https:// で始めてください。",
      ],
      [{ name: "x", scheduleRules: "毎週ふにゃ" }, "日時の規則が読み取れません。"],
      [{ name: "x", visibility: "everyone" }, "入力内容が正しくありません。"],
    ] as const) {
      const response = await staff.post(`/resources/${id}`, { ...base, ...fields });
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect(await response.text(), JSON.stringify(fields)).toContain(message);
    }
    expect(await getDb().selectFrom("resource").selectAll().orderBy("id").execute()).toEqual(
      before,
    );
    expect(await countRows("resource_change")).toBe(changes);
  });

  it("export the filtered list: CSV parses back, formulas are neutralised, GeoJSON and HSDS", async () => {
    await staff.post("/resources/new", { ...base, name: "位置のない資源", area: "北部" });
    const csvResponse = await staff.get("/resources/export/csv?area=北部");
    expect(csvResponse.status).toBe(200);
    expect(csvResponse.headers.get("content-type")).toContain("text/csv");
    const bytes = new Uint8Array(await csvResponse.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain("\r\n");
    const rows = parse(text, { bom: true, columns: true }) as Array<Record<string, string>>;
    const row = rows.find((r) => r["名前"]?.startsWith("𠮷野"))!;
    expect(row["名前"]).toBe('𠮷野カフェ, "ひだまり" 2号店');
    expect(row["対象"]).toBe("どなたでも\n予約不要");
    expect(row["説明"]).toBe('\'=HYPERLINK("http://evil.example")');
    expect(rows).toHaveLength(2);

    const geo = await staff.get("/resources/export/geojson?area=北部");
    expect(geo.headers.get("content-type")).toContain("application/geo+json");
    expect(geo.headers.get("x-resources-without-location")).toBe("1");
    const collection = (await geo.json()) as {
      type: string;
      features: Array<{ geometry: { coordinates: number[] } }>;
    };
    expect(collection.type).toBe("FeatureCollection");
    expect(collection.features).toHaveLength(1);
    // RFC 7946: longitude first.
    expect(collection.features[0]!.geometry.coordinates).toEqual([135.8, 34.68]);

    const hsds = (await (await staff.get("/resources/export/hsds?area=北部")).json()) as Array<{
      name: string;
      schedules: Array<{ byday: string }>;
    }>;
    expect(hsds.map((s) => s.name).sort()).toEqual(
      ["位置のない資源", '𠮷野カフェ, "ひだまり" 2号店'].sort(),
    );
    expect(hsds.flatMap((s) => s.schedules ?? []).map((s) => s.byday)).toEqual(
      expect.arrayContaining(["TH", "2SU"]),
    );
    const audit = await getDb()
      .selectFrom("audit_log")
      .select("action")
      .where("action", "=", "resource.export")
      .execute();
    expect(audit).toHaveLength(3);
  });

  it("exports made again after an edit carry the edit; the map's points follow the filters", async () => {
    type Service = { name: string; status: string; schedules?: Array<{ byday?: string }> };
    const hsdsOf = async (path: string) =>
      ((await (await staff.get(path)).json()) as Service[]).map((s) => [s.name, s.status]).sort();
    const first = await hsdsOf("/resources/export/hsds?area=北部");
    const publicFirst = await hsdsOf("/public/resources/export.hsds.json?area=北部");
    expect(publicFirst).toEqual(first);
    // Edit one resource: name and status; the next export (records reused for the others) shows it.
    const edited = await staff.post(`/resources/${id}`, {
      ...base,
      name: "ひだまりカフェ（改名）",
      area: "北部",
      status: "inactive",
      lat: "34.68",
      lng: "135.80",
    });
    expect(edited.status).toBe(302);
    const second = await hsdsOf("/resources/export/hsds?area=北部");
    expect(second).toEqual(
      [
        ["ひだまりカフェ（改名）", "inactive"],
        ["位置のない資源", "active"],
      ].sort(),
    );
    // Inactive is not public: gone from the public export, whatever the staff export made before.
    expect(await hsdsOf("/public/resources/export.hsds.json?area=北部")).toEqual([
      ["位置のない資源", "active"],
    ]);

    const points = await staff.get("/resources/map/points?area=北部");
    expect(points.status).toBe(200);
    expect(points.headers.get("content-type")).toContain("application/json");
    const rows = (await points.json()) as Array<[number, number, number, string]>;
    expect(rows.map((r) => r.slice(0, 4))).toEqual([[id, 34.68, 135.8, "activity"]]);
    // Nothing changed: the browser's copy is still good.
    const again = await fetch(`${staff.base}/resources/map/points?area=北部`, {
      headers: { cookie: staff.cookie, "if-none-match": points.headers.get("etag")! },
    });
    expect(again.status).toBe(304);
    expect(await (await staff.get("/resources/map/points?area=南部")).json()).toEqual([]);
  });

  it("import a Shift_JIS CSV: the preview shows the bad row, nothing is written until confirmed", async () => {
    const file = fs.readFileSync(path.join(ROOT, "test/fixtures/resources/sjis-excel.csv"));
    const before = await countRows("resource");
    const upload = new FormData();
    upload.append("intent", "upload");
    upload.append("file", new Blob([new Uint8Array(file)], { type: "text/csv" }), "社協一覧.csv");
    const previewed = await postMultipart(staff, "/resources/import", upload);
    expect(previewed.status).toBe(200);
    const html = await previewed.text();
    expect(html).toContain("Shift_JIS");
    expect(html).toContain("ひばりサロン");
    expect(html).toMatch(/エラー 1件/);
    expect(await countRows("resource")).toBe(before);

    // Confirm with the mapping the page proposed (the form posts the file's text back).
    const csv = decodeCsvBytes(new Uint8Array(file)).text;
    const mapping = guessMapping(parseCsv(csv)[0]!.cells);
    const confirm = new FormData();
    confirm.append("intent", "confirm");
    confirm.append("csv", csv);
    confirm.append("fileName", "社協一覧.csv");
    confirm.append("encoding", "shift_jis");
    for (const [i, field] of Object.entries(mapping)) confirm.append(`col-${i}`, field ?? "");
    const done = await postMultipart(staff, "/resources/import", confirm);
    expect(done.status).toBe(302);
    const created = Number(/imported=(\d+)/.exec(done.headers.get("location")!)![1]);
    expect(created).toBeGreaterThan(0);
    expect(await countRows("resource")).toBe(before + created);
    const names = (await getDb().selectFrom("resource").select("name").execute()).map(
      (r) => r.name,
    );
    expect(names).toContain("ひばりサロン");
    expect(names).not.toContain("まちかど図書コーナー");
    const imports = await getDb()
      .selectFrom("audit_log")
      .select("action")
      .where("action", "=", "resource.import")
      .execute();
    expect(imports).toHaveLength(1);
    // Importing the same file again adds nothing: every row is a duplicate now.
    const again = await postMultipart(staff, "/resources/import", confirm);
    expect(again.status).toBe(400);
    expect(await countRows("resource")).toBe(before + created);
  });
});

describe("participants", () => {
  it("get 404 from every resource page, export and form", async () => {
    const before = await countRows("resource");
    for (const p of [
      "/resources",
      "/resources/new",
      "/resources/1",
      "/resources/import",
      "/resources/export/csv",
      "/resources/export/geojson",
      "/resources/export/hsds",
      "/resources/map/points",
    ]) {
      const response = await participant.get(p);
      expect(response.status, p).toBe(404);
      expect(await response.text()).not.toContain("𠮷野カフェ");
    }
    expect((await participant.post("/resources/new", { ...base, name: "x" })).status).toBe(404);
    expect(await countRows("resource")).toBe(before);
  });
});
