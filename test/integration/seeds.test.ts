/**
 * Seeds (タネ) on the real database, anchored to real approved transcriptions: code-point offsets
 * with characters outside the BMP and NFD input, re-anchoring when a page is approved again with
 * changed text, the consent rule for public resources, decisions and their undo, and provenance.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { approvePage, reopenPage, saveTranscription } from "~/models/page-lifecycle.server";
import { getParticipant, updateParticipant } from "~/models/participants.server";
import {
  acceptSeed,
  createSeed,
  getResourceWithProvenance,
  listSeedsOfPage,
  mergeSeed,
  rejectSeed,
  undoLastDecision,
} from "~/models/seeds.server";
import { getEditBase, updatePageDetails } from "~/models/transcriptions.server";
import { getDb } from "~/utils/db.server";
import { DomainError } from "~/utils/forms.server";
import { makeActiveGroup, makeStaff, participantInput, system } from "../helpers/factories";
import { fixture, pagesWithDrafts } from "../helpers/ocr-pages";

type Staff = Awaited<ReturnType<typeof makeStaff>>;
let staff: Staff;
let group: Awaited<ReturnType<typeof makeActiveGroup>>;
let pageId: number;
let consentingPage: number;

const TEXT = [
  "𠮷田さんと𩸽を食べた。",
  "駅前のカフェ「ひだまり」で毎週木曜に",
  "将棋の会があるらしい。",
  "自転車を直すのが得意な山本さんに会った。",
].join("\n");

const by = () => ({ actor: staff.actor });

/** Saves `text` on the page (as a reviewer would) and approves it. */
async function approveText(id: number, text: string) {
  const base = await getEditBase(id);
  const saved = await saveTranscription(id, base, { text }, by());
  expect(saved.status).not.toBe("conflict");
  const approved = await approvePage(id, await getEditBase(id), null, by());
  expect(approved.status).toBe("approved");
  return (await getEditBase(id)).version;
}

/** Code-point offsets of `quote` in `text` (as the editor computes them from a selection). */
function cp(text: string, quote: string) {
  const utf16 = text.indexOf(quote);
  expect(utf16).toBeGreaterThanOrEqual(0);
  const start = Array.from(text.slice(0, utf16)).length;
  return { start, end: start + Array.from(quote).length, quote };
}

beforeAll(async () => {
  staff = await makeStaff();
  group = await makeActiveGroup();
  [pageId, consentingPage] = (await pagesWithDrafts(group.groupId, staff.actor, [
    fixture("ocr", "horizontal.jpg"),
    fixture("ocr", "vertical.jpg"),
  ])) as [number, number];
  // The first page's writer has not consented to anonymised seeds; the second's has.
  const consenting = group.members[1]!;
  const current = (await getParticipant(consenting))!;
  await updateParticipant(
    consenting,
    participantInput(current.cohort_id, {
      realName: current.real_name,
      penName: current.pen_name,
      consentSeedsOn: "2026-04-01",
    }),
    system,
  );
  for (const [id, author] of [
    [pageId, group.members[0]!],
    [consentingPage, consenting],
  ] as const) {
    await updatePageDetails(
      id,
      {
        authorId: author,
        entryDate: null,
        pageNumber: id === pageId ? 1 : 2,
        layout: "horizontal",
      },
      by(),
    );
    await approveText(id, TEXT);
  }
}, 180_000);

describe("anchors", () => {
  it("counts offsets in code points, across lines and after characters outside the BMP", async () => {
    const version = (await getEditBase(pageId)).version;
    const span = cp(TEXT, "カフェ「ひだまり」で毎週木曜に\n将棋の会");
    // 𠮷 and 𩸽 are two UTF-16 units each: UTF-16 offsets would be 2 further on.
    expect(span.start).toBe(TEXT.indexOf("カフェ") - 2);
    const id = await createSeed(
      {
        pageId,
        version,
        ...span,
        title: "木曜の将棋の会",
        category: "activity",
        tags: ["将棋"],
        area: null,
        note: null,
      },
      by(),
    );
    const [seed] = await listSeedsOfPage(pageId);
    expect(seed).toMatchObject({ id, quote: span.quote, status: "proposed", needsCheck: false });
    // The area defaults to the group's health-room area.
    expect(seed!.area).toBe("テスト地区");
  });

  it("accepts a quote typed in NFD, and refuses UTF-16 offsets or words that are not there", async () => {
    const version = (await getEditBase(pageId)).version;
    const span = cp(TEXT, "𠮷田さん");
    const nfd = "𠮷田さん".normalize("NFD");
    await expect(
      createSeed(
        {
          pageId,
          version,
          ...span,
          quote: nfd,
          title: "𠮷田さん",
          category: "person_skill",
          tags: [],
          area: null,
          note: null,
        },
        by(),
      ),
    ).resolves.toBeGreaterThan(0);
    const before = (await listSeedsOfPage(pageId)).length;
    const utf16Start = TEXT.indexOf("山本さん");
    for (const bad of [
      { start: utf16Start, end: utf16Start + 4, quote: "山本さん" },
      { ...cp(TEXT, "山本さん"), quote: "田中さん" },
      { start: 5, end: 5, quote: "" },
    ]) {
      const refused = await createSeed(
        {
          pageId,
          version,
          ...bad,
          title: "x",
          category: "other",
          tags: [],
          area: null,
          note: null,
        },
        by(),
      ).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DomainError);
    }
    // An old version is refused too: the seed must point at the approved text.
    const stale = await createSeed(
      {
        pageId,
        version: 1,
        ...cp(TEXT, "山本さん"),
        title: "x",
        category: "other",
        tags: [],
        area: null,
        note: null,
      },
      by(),
    ).catch((e: unknown) => e);
    expect((stale as DomainError).key).toBe("seeds.staleVersion");
    expect((await listSeedsOfPage(pageId)).length).toBe(before);
  });

  it("follows the words when the page is approved again with changed text, or says 要確認", async () => {
    const version = (await getEditBase(consentingPage)).version;
    const mk = (quote: string, title: string) =>
      createSeed(
        {
          pageId: consentingPage,
          version,
          ...cp(TEXT, quote),
          title,
          category: "place",
          tags: [],
          area: null,
          note: null,
        },
        by(),
      );
    const moved = await mk("将棋の会", "将棋の会");
    const changed = await mk("自転車を直すのが得意な山本さん", "自転車の山本さん");
    const deleted = await mk("𩸽を食べた", "𩸽");

    await reopenPage(consentingPage, by());
    const edited = [
      "きょうのこと。",
      "駅前のカフェ「ひだまり」で毎週木曜に",
      "将棋の会があるらしい。",
      "自転車をなおすのが得意な山本さんに会った。",
    ].join("\n");
    await approveText(consentingPage, edited);

    const seeds = new Map((await listSeedsOfPage(consentingPage)).map((s) => [s.id, s]));
    expect(seeds.get(moved)).toMatchObject({ quote: "将棋の会", needsCheck: false });
    expect(seeds.get(changed)).toMatchObject({
      quote: "自転車をなおすのが得意な山本さん",
      needsCheck: false,
    });
    expect(seeds.get(deleted)).toMatchObject({ needsCheck: true });
    // Every seed that was re-anchored points at its words in the newly approved version.
    const row = await getDb()
      .selectFrom("seed as s")
      .innerJoin("transcription as t", "t.id", "s.transcription_id")
      .select(["s.start_cp", "s.end_cp", "s.quote", "t.text", "t.version"])
      .where("s.id", "=", moved)
      .executeTakeFirstOrThrow();
    expect(Array.from(row.text).slice(row.start_cp, row.end_cp).join("")).toBe(row.quote);
    expect(row.version).toBe((await getEditBase(consentingPage)).version);
  });
});

describe("decisions", () => {
  it("accepts, merges, rejects and undoes; the resource lists both seeds; no public resource without consent", async () => {
    const version = (await getEditBase(consentingPage)).version;
    const text = (
      await getDb()
        .selectFrom("transcription")
        .select("text")
        .where("page_id", "=", consentingPage)
        .where("version", "=", version)
        .executeTakeFirstOrThrow()
    ).text;
    const make = (quote: string, page = consentingPage, v = version, t = text) =>
      createSeed(
        {
          pageId: page,
          version: v,
          ...cp(t, quote),
          title: quote,
          category: "activity",
          tags: ["将棋"],
          area: null,
          note: null,
        },
        by(),
      );
    const first = await make("毎週木曜に");
    const second = await make("カフェ「ひだまり」");
    const third = await make("きょうのこと");

    const resourceId = await acceptSeed(
      first,
      { name: "ひだまりの将棋の会", visibility: "public" },
      by(),
    );
    await mergeSeed(second, resourceId, by());
    await rejectSeed(third, "other", "資源ではない", by());
    expect(await undoLastDecision(by())).toBe(third);
    expect((await listSeedsOfPage(consentingPage)).find((s) => s.id === third)?.status).toBe(
      "proposed",
    );

    const provenance = await getResourceWithProvenance(resourceId);
    expect(provenance?.resource).toMatchObject({
      name: "ひだまりの将棋の会",
      visibility: "public",
    });
    expect(provenance?.seeds.map((s) => s.id)).toEqual([first, second]);

    // A seed from the writer who did not consent: staff-only, never public.
    const versionA = (await getEditBase(pageId)).version;
    const fromNonConsenting = await make("山本さん", pageId, versionA, TEXT);
    const refused = await acceptSeed(fromNonConsenting, { visibility: "public" }, by()).catch(
      (e: unknown) => e,
    );
    expect((refused as DomainError).key).toBe("seeds.noConsentPublic");
    const merged = await mergeSeed(fromNonConsenting, resourceId, by()).catch((e: unknown) => e);
    expect((merged as DomainError).key).toBe("seeds.noConsentPublic");
    const staffOnly = await acceptSeed(fromNonConsenting, { visibility: "staff" }, by());
    // Undoing that accept removes the resource it created, which nothing else points to.
    expect(await undoLastDecision(by())).toBe(fromNonConsenting);
    expect(await getResourceWithProvenance(staffOnly)).toBeNull();
    expect(await getResourceWithProvenance(resourceId)).not.toBeNull();

    // The consenting writer withdraws consent: their accepted seeds need a look.
    const writer = (await getParticipant(group.members[1]!))!;
    await updateParticipant(
      writer.id,
      participantInput(writer.cohort_id, {
        realName: writer.real_name,
        penName: writer.pen_name,
        consentSeedsOn: null,
      }),
      system,
    );
    const after = new Map((await listSeedsOfPage(consentingPage)).map((s) => [s.id, s]));
    expect(after.get(first)?.needsCheck).toBe(true);
    expect(after.get(second)?.needsCheck).toBe(true);
    expect(after.get(third)?.needsCheck).toBe(false);
  });
});
