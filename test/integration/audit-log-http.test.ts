/**
 * The admin audit view over HTTP (issue 15): filters by who, what, which record and a Japan
 * date range, kept in the URL and through the pages; unreadable filters are a 400 with a
 * Japanese message, never the whole log; the CSV export of the same rows (UTF-8 BOM, Japanese
 * headings, formula guard), administrators only, itself audited; and the indexes that keep
 * every filter's page an index walk on a large log.
 */
import { parse } from "csv-parse/sync";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLogPageQuery, countAuditLog } from "~/models/audit-log.server";
import { parseAuditFilters } from "~/utils/audit-filters";
import { getDb } from "~/utils/db.server";
import { makeActiveGroup, makeStaff } from "../helpers/factories";
import { Client, startServer, type RunningServer } from "../helpers/server";
import { ON_POSTGRES } from "../helpers/paths";

let server: RunningServer;
let admin: Client;
let staffClient: Client;
let participant: Client;
let adminUser: Awaited<ReturnType<typeof makeStaff>>;
let staffUser: Awaited<ReturnType<typeof makeStaff>>;
let group: Awaited<ReturnType<typeof makeActiveGroup>>;

/** The ids of the rows a page of the view lists, in order. */
function listedIds(html: string): number[] {
  return [...html.matchAll(/data-audit-id="(\d+)"/g)].map((m) => Number(m[1]));
}

/** What the database holds for a query string, newest first, as the view orders it. */
async function expectedIds(query: string, page = 1): Promise<number[]> {
  const { filters } = parseAuditFilters(new URLSearchParams(query));
  const rows = await auditLogPageQuery(filters, page).execute();
  return rows.slice(0, 50).map((r) => r.id);
}

async function auditRows() {
  return getDb().selectFrom("audit_log").selectAll().orderBy("id").execute();
}

/** Rows written straight into the log at a given instant (the app writes "now"). */
async function insertAt(at: string, entityId: string, action = "page.approve") {
  await getDb()
    .insertInto("audit_log")
    .values({
      at,
      actor_type: "staff",
      actor_staff_id: staffUser.id,
      action,
      entity_type: "page",
      entity_id: entityId,
    })
    .execute();
}

beforeAll(async () => {
  adminUser = await makeStaff("admin");
  staffUser = await makeStaff("staff");
  group = await makeActiveGroup();
  server = await startServer({
    databasePath: process.env.DATABASE_PATH!,
    env: { UPLOADS_DIR: process.env.UPLOADS_DIR! },
  });
  admin = new Client(server.url);
  await admin.loginStaff(adminUser.login, adminUser.password);
  staffClient = new Client(server.url);
  await staffClient.loginStaff(staffUser.login, staffUser.password);
  participant = new Client(server.url);
  await participant.loginParticipant(group.codes[0]!);
  // A day's boundary in Japan: 23:59:59.999 on 1 March and 00:00 on 2 March (JST).
  await insertAt("2026-03-01T14:59:59.999Z", "900001");
  await insertAt("2026-03-01T15:00:00.000Z", "900002");
  await insertAt("2026-03-02T14:59:59.999Z", "900003");
  await insertAt("2026-03-02T15:00:00.000Z", "900004");
  // Sixty entries about one page, for the pages of a filtered list.
  for (let i = 0; i < 60; i++)
    await insertAt(`2026-04-01T00:${String(i).padStart(2, "0")}:00.000Z`, "777777");
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe("the audit view's filters", () => {
  it("who: one staff account's actions only, as the database holds them", async () => {
    const query = `who=staff:${staffUser.id}`;
    const response = await admin.get(`/admin/audit?${query}`);
    expect(response.status).toBe(200);
    const ids = listedIds(await response.text());
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).toEqual(await expectedIds(query));
    const rows = await getDb()
      .selectFrom("audit_log")
      .select("actor_staff_id")
      .where("id", "in", ids)
      .execute();
    expect(new Set(rows.map((r) => r.actor_staff_id))).toEqual(new Set([staffUser.id]));
  });

  it("who: a participant (their login), and every participant", async () => {
    const one = await admin.get(`/admin/audit?who=participant:${group.members[0]}`);
    const html = await one.text();
    const ids = listedIds(html);
    expect(ids).toEqual(await expectedIds(`who=participant:${group.members[0]}`));
    const actions = await getDb()
      .selectFrom("audit_log")
      .select(["action", "actor_participant_id"])
      .where("id", "in", ids)
      .execute();
    expect(actions.map((a) => a.action)).toContain("participant.login");
    expect(new Set(actions.map((a) => a.actor_participant_id))).toEqual(
      new Set([group.members[0]]),
    );
    // The participant is offered in the "who" list because they appear in the log.
    expect(html).toContain(`value="participant:${group.members[0]}"`);
    const all = await admin.get("/admin/audit?who=participant");
    expect(listedIds(await all.text())).toEqual(await expectedIds("who=participant"));
  });

  it("what and which record: page 777777's approvals, 60 of them over two pages", async () => {
    const query = "action=page.approve&entity=page&id=777777";
    const first = await admin.get(`/admin/audit?${query}`);
    const html = await first.text();
    expect(html).toContain("60件");
    const page1 = listedIds(html);
    expect(page1).toHaveLength(50);
    expect(page1).toEqual(await expectedIds(query));
    // The link to the next page keeps every filter.
    const link = /<a [^>]*rel="next"[^>]*>/.exec(html)![0];
    const next = /href="([^"]+)"/.exec(link)![1]!.replaceAll("&amp;", "&");
    expect(new URLSearchParams(next.slice(next.indexOf("?") + 1))).toEqual(
      new URLSearchParams(`${query}&page=2`),
    );
    expect(next.startsWith("/admin/audit?")).toBe(true);
    const second = await admin.get(next);
    const page2 = listedIds(await second.text());
    expect(page2).toHaveLength(10);
    expect(page2).toEqual(await expectedIds(query, 2));
    expect(new Set([...page1, ...page2]).size).toBe(60);
  });

  it("takes a record number typed in full-width digits", async () => {
    const response = await admin.get(`/admin/audit?entity=page&id=${"７７７７７７"}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("60件");
  });

  it("date range: Japan calendar days, both ends included", async () => {
    const day = await admin.get("/admin/audit?entity=page&from=2026-03-02&to=2026-03-02");
    const ids = listedIds(await day.text());
    const entities = await getDb()
      .selectFrom("audit_log")
      .select("entity_id")
      .where("id", "in", ids)
      .execute();
    // 15:00 UTC on 1 March is midnight on 2 March in Japan; 15:00 UTC on 2 March is 3 March.
    expect(entities.map((e) => e.entity_id).sort()).toEqual(["900002", "900003"]);
    const span = await admin.get("/admin/audit?entity=page&from=2026-03-01&to=2026-03-02");
    expect(listedIds(await span.text())).toHaveLength(3);
  });

  it.each([
    ["who=nobody", "「だれが」が読み取れません"],
    ["who=staff:abc", "「だれが」が読み取れません"],
    ["action=page.steal", "その操作はありません"],
    ["entity=secrets", "その記録の種類はありません"],
    ["entity=page&id=12a", "記録の番号は数字で入れてください"],
    ["id=12", "記録の種類も選んでください"],
    ["from=2026-02-30", "実在する日を入れてください"],
    ["to=yesterday", "実在する日を入れてください"],
    ["from=2026-03-05&to=2026-03-01", "「いつまで」は「いつから」と同じ日か"],
    ["who=%00%01&action=%E2%80%AE", "「だれが」が読み取れません"],
    ["entity=page&id=%00%1B12", "記録の番号は数字で入れてください"],
  ])("refuses %s with a Japanese message and lists nothing", async (query, message) => {
    const response = await admin.get(`/admin/audit?${query}`);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("絞り込みの条件に読み取れないものがあります");
    expect(html).toContain(message);
    expect(listedIds(html)).toEqual([]);
    expect(html.includes("\u0000") || html.includes("\u001b")).toBe(false);
    // No export link for filters that cannot be read.
    expect(html).not.toContain("/admin/audit/export.csv");
  });

  it("is for administrators only", async () => {
    expect((await staffClient.get("/admin/audit")).status).toBe(403);
    expect((await participant.get("/admin/audit")).status).toBe(404);
    const anonymous = await new Client(server.url).get("/admin/audit");
    expect(anonymous.status).toBe(302);
  });
});

describe("the CSV export", () => {
  it("holds exactly the filtered rows, for Excel, and is itself audited", async () => {
    const query = `who=staff:${staffUser.id}&entity=page&from=2026-03-01&to=2026-04-30`;
    const before = await auditRows();
    const response = await admin.get(`/admin/audit/export.csv?${query}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    expect(text).toContain("\r\n");
    const [heading, ...records] = parse(text) as string[][];
    expect(heading).toEqual([
      "日時（日本時間）",
      "日時（UTC）",
      "だれが（種類）",
      "だれが",
      "だれが（番号）",
      "操作",
      "操作（コード）",
      "記録の種類",
      "記録の種類（コード）",
      "記録の番号",
      "内容",
      "アドレス",
      "番号",
    ]);
    const { filters } = parseAuditFilters(new URLSearchParams(query));
    const expected = await getDb()
      .selectFrom("audit_log")
      .select(["id", "at", "entity_id"])
      .where("actor_staff_id", "=", staffUser.id)
      .where("entity_type", "=", "page")
      .where("at", ">=", "2026-02-28T15:00:00.000Z")
      .where("at", "<", "2026-04-30T15:00:00.000Z")
      .where("id", "<=", before[before.length - 1]!.id)
      .orderBy("at", "desc")
      .orderBy("id", "desc")
      .execute();
    expect(expected).toHaveLength(64);
    expect(records.map((r) => Number(r[12]))).toEqual(expected.map((e) => e.id));
    expect(await countAuditLog(filters, { upToId: before[before.length - 1]!.id })).toBe(64);
    const first = records[records.length - 1]!;
    expect(first.slice(0, 5)).toEqual([
      "2026-03-01 23:59:59",
      "2026-03-01T14:59:59.999Z",
      "スタッフ",
      `${staffUser.displayName}（${staffUser.login}）`,
      String(staffUser.id),
    ]);
    expect(first.slice(5, 10)).toEqual([
      "ページを承認",
      "page.approve",
      "ページ",
      "page",
      "900001",
    ]);
    // The export is a row of its own: who, how many rows, which filters.
    const after = await auditRows();
    expect(after).toHaveLength(before.length + 1);
    const exported = after[after.length - 1]!;
    expect(exported).toMatchObject({
      actor_type: "staff",
      actor_staff_id: adminUser.id,
      action: "audit_log.export",
      entity_type: "audit_log",
    });
    const detail = JSON.parse(exported.detail) as { count: number; query: string };
    expect(detail.count).toBe(64);
    expect(new URLSearchParams(detail.query)).toEqual(new URLSearchParams(query));
  });

  it("exports the whole log in batches, newest first, none twice", async () => {
    const total = await countAuditLog({});
    const response = await admin.get("/admin/audit/export.csv");
    const text = new TextDecoder().decode(new Uint8Array(await response.arrayBuffer()));
    const records = (parse(text.slice(1)) as string[][]).slice(1);
    expect(records).toHaveLength(total);
    expect(new Set(records.map((r) => r[12])).size).toBe(total);
  });

  it("guards cells a spreadsheet would run as a formula", async () => {
    const sneaky = await makeStaff("staff");
    await getDb()
      .updateTable("staff_user")
      .set({ display_name: "=HYPERLINK(1)" })
      .where("id", "=", sneaky.id)
      .execute();
    await new Client(server.url).loginStaff(sneaky.login, sneaky.password);
    const response = await admin.get(`/admin/audit/export.csv?who=staff:${sneaky.id}`);
    const text = new TextDecoder().decode(new Uint8Array(await response.arrayBuffer()));
    const records = (parse(text.slice(1)) as string[][]).slice(1);
    expect(records[0]![3]).toBe(`'=HYPERLINK(1)（${sneaky.login}）`);
  });

  it("refuses unreadable filters in Japanese, exports nothing and logs nothing", async () => {
    const before = (await auditRows()).length;
    const response = await admin.get("/admin/audit/export.csv?who=everyone&from=2026-13-01");
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain("「だれが」が読み取れません");
    expect(text).toContain("実在する日を入れてください");
    expect((await auditRows()).length).toBe(before);
  });

  it("is for administrators only, and a refused export leaves no row", async () => {
    const before = (await auditRows()).length;
    expect((await staffClient.get("/admin/audit/export.csv")).status).toBe(403);
    expect((await participant.get("/admin/audit/export.csv")).status).toBe(404);
    const anonymous = await new Client(server.url).get("/admin/audit/export.csv");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/login/);
    const rows = await auditRows();
    expect(rows.slice(before).filter((r) => r.action === "audit_log.export")).toEqual([]);
  });
});

describe("on a large log", () => {
  // SQLite's query plans; PostgreSQL plans by its own statistics.
  it.skipIf(ON_POSTGRES)(
    "every filter reads its page through an index, already in order",
    async () => {
      // The planner has no statistics (no ANALYZE): its plan is the same on this log as on a big one.
      const raw = new Database(process.env.DATABASE_PATH!, { readonly: true });
      const plans: Record<string, string> = {};
      for (const query of [
        "",
        `who=staff:${staffUser.id}`,
        "who=participant:5",
        "who=anonymous",
        "action=page.approve",
        "entity=page",
        "entity=page&id=777777",
        "from=2026-03-01&to=2026-03-31",
        `who=staff:${staffUser.id}&from=2026-03-01&to=2026-03-31`,
      ]) {
        const { filters } = parseAuditFilters(new URLSearchParams(query));
        const compiled = auditLogPageQuery(filters, 3).compile();
        const rows = raw
          .prepare(`explain query plan ${compiled.sql}`)
          .all(...(compiled.parameters as unknown[])) as { detail: string }[];
        plans[query] = rows.map((r) => r.detail).join(" | ");
        if (process.env.SHOW_PLANS) console.log(query || "(none)", "→", plans[query]);
      }
      for (const [query, plan] of Object.entries(plans)) {
        expect(plan, query).not.toMatch(/TEMP B-TREE/);
        expect(plan, query).toMatch(/audit_log|PRIMARY KEY/);
        if (query) expect(plan, query).toMatch(/USING (COVERING )?INDEX audit_log_/);
      }
      raw.close();
    },
  );
});
