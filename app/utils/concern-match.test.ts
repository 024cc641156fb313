import { describe, expect, it } from "vitest";
import { findConcerns, foldForMatch, phraseKey } from "./concern-match";

const phrases = [
  { id: 1, phrase: "死にたい", forms: ["しにたい"] },
  { id: 2, phrase: "消えたい", forms: ["きえたい"] },
  { id: 3, phrase: "リストカット", forms: ["リスカ"] },
];

describe("findConcerns", () => {
  it("finds a phrase with spaces, full-width and katakana spellings, and shows it as written", () => {
    const [m] = findConcerns("きのうは　もう シニ タイ と思った", phrases);
    expect(m).toMatchObject({ phraseId: 1, matched: "シニ タイ", before: "きのうは　もう " });
    expect(m!.after).toBe(" と思った");
  });

  it("matches a phrase whose small kana were written (or read) full size", () => {
    const [m] = findConcerns("もう、つらくて、いなくなつちやいたい", [
      { id: 4, phrase: "いなくなっちゃいたい", forms: [] },
    ]);
    expect(m).toMatchObject({ phraseId: 4, matched: "いなくなつちやいたい" });
  });

  it("matches half-width katakana with voicing marks", () => {
    const [m] = findConcerns("ﾘｽｶしちゃった", phrases);
    expect(m).toMatchObject({ phraseId: 3, matched: "ﾘｽｶ" });
  });

  it("keeps code-point offsets right around characters outside the BMP", () => {
    const text = "𠮷野さん、消えたいって";
    const [m] = findConcerns(text, phrases);
    expect(m).toMatchObject({
      phraseId: 2,
      start: 5,
      end: 9,
      matched: "消えたい",
      before: "𠮷野さん、",
    });
    expect(Array.from(text).slice(m!.start, m!.end).join("")).toBe("消えたい");
  });

  it("reports each phrase once, in reading order, and nothing for ordinary text", () => {
    const found = findConcerns("消えたい。死にたい。消えたい。", phrases);
    expect(found.map((m) => m.phraseId)).toEqual([2, 1]);
    expect(findConcerns("今日は公園でお花見をしました", phrases)).toEqual([]);
  });

  it("folds the same way for keys and text", () => {
    expect(phraseKey("シニタイ")).toBe(phraseKey("し に た い"));
    expect(foldForMatch("ｶﾞ").folded).toEqual(["が"]);
  });
});
