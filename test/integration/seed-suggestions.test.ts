/**
 * Suggested seeds on the real database with the real analyser (kuromoji): made once per approved
 * version, at code-point offsets that match the text; taken into a seed (which records where it
 * came from) or dismissed, and then never suggested again on that page; names staff already
 * accepted are found again in another page however they are spelt (autolink).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { approvePage, reopenPage, saveTranscription } from "~/models/page-lifecycle.server";
import {
  dismissSuggestion,
  ensureSuggestions,
  listOpenSuggestions,
} from "~/models/seed-suggestions.server";
import { acceptSeed, createSeed } from "~/models/seeds.server";
import { getEditBase, updatePageDetails } from "~/models/transcriptions.server";
import { getDb } from "~/utils/db.server";
import { DomainError } from "~/utils/forms.server";
import { makeActiveGroup, makeStaff } from "../helpers/factories";
import { fixture, pagesWithDrafts } from "../helpers/ocr-pages";

type Staff = Awaited<ReturnType<typeof makeStaff>>;
let staff: Staff;
let pageId: number;
let otherPage: number;

const TEXT = [
  "𠮷田さんと駅前のカフェ「ひだまり」に行った。",
  "毎週木曜に将棋の会があるらしい。",
  "自転車を直すのが得意な山本さんに会った。",
].join("\n");

const by = () => ({ actor: staff.actor });

async function approveText(id: number, text: string) {
  const saved = await saveTranscription(id, await getEditBase(id), { text }, by());
  expect(saved.status).not.toBe("conflict");
  expect((await approvePage(id, await getEditBase(id), null, by())).status).toBe("approved");
  return getEditBase(id);
}

/** The code points of `text` from start to end, as the server slices anchors. */
const slice = (text: string, start: number, end: number) =>
  Array.from(text).slice(start, end).join("");

beforeAll(async () => {
  staff = await makeStaff();
  const group = await makeActiveGroup();
  [pageId, otherPage] = (await pagesWithDrafts(group.groupId, staff.actor, [
    fixture("ocr", "horizontal.jpg"),
    fixture("ocr", "vertical.jpg"),
  ])) as [number, number];
  for (const [i, id] of [pageId, otherPage].entries())
    await updatePageDetails(
      id,
      { authorId: group.members[i]!, entryDate: null, pageNumber: i + 1, layout: "horizontal" },
      by(),
    );
}, 180_000);

describe("suggestions", () => {
  it("are made once for an approved version, at code-point offsets of its text", async () => {
    expect(await listOpenSuggestions(pageId)).toEqual([]);
    // Not approved yet: nothing is made.
    await ensureSuggestions(pageId);
    expect(await getDb().selectFrom("seed_suggestion_run").selectAll().execute()).toEqual([]);

    const { version } = await approveText(pageId, TEXT);
    await Promise.all([ensureSuggestions(pageId), ensureSuggestions(pageId)]);
    await ensureSuggestions(pageId);
    const runs = await getDb()
      .selectFrom("seed_suggestion_run")
      .selectAll()
      .where("page_id", "=", pageId)
      .execute();
    expect(runs).toHaveLength(1);

    const open = await listOpenSuggestions(pageId);
    expect(runs[0]!.found).toBe(open.length);
    const quotes = open.map((s) => s.quote);
    expect(quotes.some((q) => q.includes("ひだまり"))).toBe(true);
    expect(quotes.some((q) => q.includes("将棋"))).toBe(true);
    expect(quotes.some((q) => q.includes("得意な山本さん"))).toBe(true);
    for (const s of open) {
      // After 𠮷 (two UTF-16 units, one code point) the offsets still point at the words.
      expect(slice(TEXT, s.start, s.end)).toBe(s.quote);
      expect(s.source).toBe("discovery");
    }
    expect(open.find((s) => s.quote.includes("得意な山本さん"))!.category).toBe("person_skill");
    expect(version).toBeGreaterThan(1);
  });

  it("taken into a seed: the seed says where it came from and the suggestion is gone", async () => {
    const { version } = await getEditBase(pageId);
    const suggestion = (await listOpenSuggestions(pageId)).find((s) =>
      s.quote.includes("ひだまり"),
    )!;
    const input = {
      pageId,
      version,
      start: suggestion.start,
      end: suggestion.end,
      quote: suggestion.quote,
      title: "カフェひだまり",
      category: suggestion.category,
      tags: ["カフェ"],
      area: null,
      note: null,
      suggestionId: suggestion.id,
    };
    const seedId = await createSeed(input, by());
    const seed = await getDb()
      .selectFrom("seed")
      .selectAll()
      .where("id", "=", seedId)
      .executeTakeFirstOrThrow();
    expect(seed.source).toBe("discovery");
    expect(slice(TEXT, seed.start_cp, seed.end_cp)).toBe(suggestion.quote);
    const row = await getDb()
      .selectFrom("seed_suggestion")
      .selectAll()
      .where("id", "=", suggestion.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: "taken",
      seed_id: seedId,
      decided_by_staff_id: staff.actor.staffId,
    });
    expect((await listOpenSuggestions(pageId)).map((s) => s.id)).not.toContain(suggestion.id);

    // Taken once: a second form from the same suggestion is refused and makes no seed.
    const seeds = (await getDb().selectFrom("seed").select("id").execute()).length;
    await expect(createSeed(input, by())).rejects.toThrow(DomainError);
    expect((await getDb().selectFrom("seed").select("id").execute()).length).toBe(seeds);
    await acceptSeed(seedId, { visibility: "staff" }, by());
  });

  it("dismissed: not shown, not suggested again when the page is approved again, and audited", async () => {
    const dismissed = (await listOpenSuggestions(pageId)).find((s) => s.quote.includes("将棋"))!;
    await dismissSuggestion(pageId, dismissed.id, by());
    expect((await listOpenSuggestions(pageId)).map((s) => s.id)).not.toContain(dismissed.id);
    await expect(dismissSuggestion(pageId, dismissed.id, by())).rejects.toThrow(DomainError);
    const audit = await getDb()
      .selectFrom("audit_log")
      .select(["action", "entity_id"])
      .where("action", "=", "seed_suggestion.dismiss")
      .execute();
    expect(audit).toEqual([{ action: "seed_suggestion.dismiss", entity_id: String(pageId) }]);

    // Reopened and approved again with a new first line: the suggestions are made anew.
    await reopenPage(pageId, by());
    const changed = `きょうは雨。\n${TEXT}`;
    await approveText(pageId, changed);
    await ensureSuggestions(pageId);
    const again = await listOpenSuggestions(pageId);
    for (const s of again) expect(slice(changed, s.start, s.end)).toBe(s.quote);
    // Neither the dismissed words nor the words that are now a seed come back.
    expect(again.some((s) => s.quote.includes("将棋"))).toBe(false);
    expect(again.some((s) => s.quote.includes("ひだまり"))).toBe(false);
    expect(again.some((s) => s.quote.includes("得意な山本さん"))).toBe(true);
  });

  it("autolink finds an accepted name in another page however it is spelt", async () => {
    // Half-width katakana, as a scan's OCR or a hurried reviewer may leave it: the accepted
    // seed's words (駅前のカフェ「ひだまり」) are found and point at the seed's resource.
    const text = "きのうは 駅前のｶﾌｪ「ひだまり」で お茶を飲んだ。";
    await approveText(otherPage, text);
    await ensureSuggestions(otherPage);
    const open = await listOpenSuggestions(otherPage);
    const linked = open.find((s) => s.source === "autolink");
    expect(linked, JSON.stringify(open)).toBeDefined();
    expect(linked!.quote).toContain("ひだまり");
    expect(slice(text, linked!.start, linked!.end)).toBe(linked!.quote);
    expect(linked!.resource?.name).toBe("カフェひだまり");
  });
});
