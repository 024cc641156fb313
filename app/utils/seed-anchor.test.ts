import { describe, expect, it } from "vitest";
import {
  anchorFromUtf16,
  checkAnchor,
  codePointsToUtf16,
  reanchor,
  reanchorAll,
  sliceCodePoints,
  type Anchor,
} from "./seed-anchor";

/** The anchor of the `nth` occurrence of `quote`, counted here without the module under test. */
function anchorOf(text: string, quote: string, nth = 0): Anchor {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(quote, i + 1);
  if (i === -1) throw new Error(`"${quote}" not in text`);
  const start = Array.from(text.slice(0, i)).length;
  return { start, end: start + Array.from(quote).length, quote };
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const diary = [
  "今日は𠮷田さんと𩸽を焼いた。",
  "駅前のカフェで木曜の将棋クラブがあるらしい。",
  "来週は行ってみたい。",
].join("\n");

describe("offsets in code points", () => {
  it("counts 𠮷 and 𩸽 as one character each, before, inside and after a quote", () => {
    const text = "𠮷野家の𩸽定食と𠮷";
    expect(sliceCodePoints(text, 0, 3)).toBe("𠮷野家");
    expect(sliceCodePoints(text, 4, 6)).toBe("𩸽定");
    expect(sliceCodePoints(text, 8, 9)).toBe("𠮷");
    expect(sliceCodePoints(text, 8, 99)).toBe("𠮷");

    for (const quote of ["田さん", "𠮷田さんと𩸽", "𩸽を焼いた", "将棋クラブ"]) {
      expect(checkAnchor(diary, anchorOf(diary, quote))).toBe(true);
    }
  });

  it("refuses UTF-16 offsets, empty or out-of-range spans and a quote that is not the slice", () => {
    const quote = "𩸽を焼いた";
    const i = diary.indexOf(quote);
    expect(checkAnchor(diary, { start: i, end: i + quote.length, quote })).toBe(false);
    const good = anchorOf(diary, quote);
    expect(checkAnchor(diary, { ...good, quote: "𩸽を焼いて" })).toBe(false);
    expect(checkAnchor(diary, { ...good, end: good.start })).toBe(false);
    expect(checkAnchor(diary, { start: -1, end: 2, quote: "今" })).toBe(false);
    expect(checkAnchor(diary, { start: 0.5, end: 2, quote: "今日" })).toBe(false);
    const length = Array.from(diary).length;
    expect(checkAnchor(diary, { start: length - 1, end: length + 1, quote: "。" })).toBe(false);
    expect(checkAnchor(diary, { start: length - 1, end: length, quote: "。" })).toBe(true);
  });

  it("compares in NFC, whatever form the text and the quote arrive in", () => {
    const nfc = "がっこうのグラウンドでボール遊び";
    const nfd = nfc.normalize("NFD");
    expect(nfd.length).toBeGreaterThan(nfc.length);
    const anchor = anchorOf(nfc, "グラウンド");
    expect(checkAnchor(nfd, anchor)).toBe(true);
    expect(checkAnchor(nfc, { ...anchor, quote: anchor.quote.normalize("NFD") })).toBe(true);
  });

  it("turns a browser selection (UTF-16) into code points, never splitting a pair", () => {
    const text = "a𠮷b𩸽𩸽c\n𠮷";
    const units = text.length;
    for (let i = 0; i <= units; i++) {
      for (let j = i; j <= units; j++) {
        const anchor = anchorFromUtf16(text, i, j);
        expect(anchor.quote).not.toMatch(loneSurrogate);
        // The whole selection is kept: it only grows outward to whole characters.
        const from = codePointsToUtf16(text, anchor.start);
        const to = codePointsToUtf16(text, anchor.end);
        expect(from).toBeLessThanOrEqual(i);
        expect(to).toBeGreaterThanOrEqual(j);
        expect(to - from - (j - i)).toBeLessThanOrEqual(2);
        expect(text.slice(from, to)).toBe(anchor.quote);
        if (anchor.end > anchor.start) expect(checkAnchor(text, anchor)).toBe(true);
      }
    }
    // A selection that starts and ends inside 𩸽 takes the whole 𩸽 on both sides.
    const i = text.indexOf("𩸽");
    expect(anchorFromUtf16(text, i + 1, i + 3)).toEqual({ start: 3, end: 5, quote: "𩸽𩸽" });
    // Backwards selections and positions past the end are tolerated.
    expect(anchorFromUtf16(text, units + 5, units - 2)).toEqual({ start: 7, end: 8, quote: "𠮷" });
  });

  it("converts code points back to UTF-16 positions", () => {
    const text = "𠮷a𩸽";
    expect([0, 1, 2, 3, 4].map((cp) => codePointsToUtf16(text, cp))).toEqual([0, 2, 3, 5, 5]);
  });
});

describe("reanchor", () => {
  it("keeps an anchor whose text did not change", () => {
    const anchor = anchorOf(diary, "将棋クラブ");
    expect(reanchor(diary, diary, anchor)).toEqual({
      status: "kept",
      ...anchor,
      how: "exact-near",
    });
    const edited = diary.replace("来週は", "再来週は");
    expect(reanchor(diary, edited, anchor)).toEqual({
      status: "kept",
      ...anchor,
      how: "exact-near",
    });
  });

  it("follows a phrase when lines (with astral characters) are inserted before it", () => {
    const anchor = anchorOf(diary, "𠮷田さんと𩸽");
    const edited = "𩸽の塩焼きの話。\n𠮷田さんは元気。\n" + diary;
    const result = reanchor(diary, edited, anchor);
    expect(result).toEqual({
      status: "moved",
      ...anchorOf(edited, "𠮷田さんと𩸽"),
      how: "exact-near",
    });
    expect(result.start).toBe(anchor.start + 18);
    expect(checkAnchor(edited, result as Anchor)).toBe(true);
  });

  it("maps a phrase through the diff when one character inside it is corrected", () => {
    const before = "𩸽を焼いた。\n駅前の𠮷野カフェで将棋クラプがあるらしい。";
    const after = "今朝\n𩸽を焼いた。\n駅前の𠮷野カフェで将棋クラブがあるらしい。";
    const result = reanchor(before, after, anchorOf(before, "𠮷野カフェで将棋クラプ"));
    expect(result).toEqual({
      status: "moved",
      ...anchorOf(after, "𠮷野カフェで将棋クラブ"),
      how: "diff",
    });
    expect(checkAnchor(after, result as Anchor)).toBe(true);
  });

  it("marks a deleted phrase for checking instead of pointing elsewhere", () => {
    const anchor = anchorOf(diary, "将棋クラブ");
    const edited = diary.replace("駅前のカフェで木曜の将棋クラブがあるらしい。\n", "");
    expect(reanchor(diary, edited, anchor)).toEqual({ status: "needs_check", how: "none" });
  });

  it("marks a phrase rewritten beyond recognition for checking", () => {
    const anchor = anchorOf(diary, "木曜の将棋クラブ");
    const edited = diary.replace("木曜の将棋クラブ", "土曜の囲碁教室");
    expect(reanchor(diary, edited, anchor).status).toBe("needs_check");
  });

  it("takes the occurrence nearest the old place when the quote occurs twice after the edit", () => {
    const before = "朝は公園を散歩した。\n午後は図書館。";
    const after = "公園の桜が咲いた。\n朝は公園を散歩した。\n午後は図書館。\n帰りも公園に寄った。";
    const result = reanchor(before, after, anchorOf(before, "公園"));
    expect(result).toEqual({ status: "moved", ...anchorOf(after, "公園", 1), how: "exact-near" });
  });

  it("does not call a quote unique elsewhere when it occurs twice and the old place is gone", () => {
    const before = "朝は散歩した。\n午後は公園の花壇を見た。\n夜は早く寝た。";
    const after = "公園の花壇が好きだ。\n朝は散歩した。\n夜は早く寝た。\n公園の花壇は春がいい。";
    const result = reanchor(before, after, anchorOf(before, "公園の花壇"));
    expect(result.how).not.toBe("unique-elsewhere");
    expect(result).toEqual({ status: "needs_check", how: "none" });
  });

  it("does not move a deleted phrase onto another occurrence that was already there", () => {
    const before = "月曜は公民館の体操。\n木曜も公民館の体操。";
    const after = "木曜も公民館の体操。";
    const first = anchorOf(before, "公民館の体操");
    expect(reanchor(before, after, first)).toEqual({ status: "needs_check", how: "none" });
    const second = anchorOf(before, "公民館の体操", 1);
    expect(reanchor(before, after, second)).toEqual({
      status: "moved",
      ...anchorOf(after, "公民館の体操"),
      how: "exact-near",
    });
  });

  it("finds a line moved far away when its quote is unique", () => {
    const before = "あ\n".repeat(30) + "駄菓子屋のおばあちゃん\n" + "い\n".repeat(30);
    const after = "駄菓子屋のおばあちゃん\n" + "あ\n".repeat(30) + "い\n".repeat(30);
    const result = reanchor(before, after, anchorOf(before, "駄菓子屋のおばあちゃん"));
    expect(result).toEqual({
      status: "moved",
      ...anchorOf(after, "駄菓子屋のおばあちゃん"),
      how: "unique-elsewhere",
    });
  });

  it("keeps a quote spanning two lines, through moves and through small corrections", () => {
    const quote = "将棋クラブがあるらしい。\n来週";
    const anchor = anchorOf(diary, quote);
    const moved = "追記。\n" + diary;
    expect(reanchor(diary, moved, anchor)).toEqual({
      status: "moved",
      ...anchorOf(moved, quote),
      how: "exact-near",
    });
    const corrected = diary.replace("あるらしい", "あるらしく");
    expect(reanchor(diary, corrected, anchor)).toEqual({
      status: "moved",
      ...anchorOf(corrected, "将棋クラブがあるらしく。\n来週"),
      how: "diff",
    });
  });

  it("works on NFC text when the texts and quote arrive in NFD", () => {
    const before = "がっこうのグラウンドでボール遊び";
    const after = "きのう、" + before;
    const anchor = { ...anchorOf(before, "グラウンド"), quote: "グラウンド".normalize("NFD") };
    const result = reanchor(before.normalize("NFD"), after.normalize("NFD"), anchor);
    expect(result).toEqual({
      status: "moved",
      ...anchorOf(after, "グラウンド"),
      how: "exact-near",
    });
    expect(result.quote).toBe("グラウンド".normalize("NFC"));
  });

  it("refuses an anchor that does not match the old text", () => {
    const anchor = { ...anchorOf(diary, "将棋クラブ"), quote: "囲碁クラブ" };
    expect(reanchor(diary, diary, anchor).status).toBe("needs_check");
  });

  it("re-anchors every seed of a page at once", () => {
    const edited = "追記。\n" + diary.replace("駅前のカフェで", "駅前の喫茶店で");
    const results = reanchorAll(diary, edited, [
      anchorOf(diary, "𠮷田さん"),
      anchorOf(diary, "駅前のカフェ"),
      anchorOf(diary, "将棋クラブ"),
    ]);
    expect(results.map((r) => [r.status, r.how, r.quote])).toEqual([
      ["moved", "exact-near", "𠮷田さん"],
      ["needs_check", "none", undefined],
      ["moved", "exact-near", "将棋クラブ"],
    ]);
  });
});
