import { describe, expect, it } from "vitest";
import { foldForMatch, foldForSearch, indexOfSeq, originalSpan, searchKey } from "./kana-fold";

describe("foldForMatch", () => {
  it("folds katakana, half width, case and spaces, keeping where each character came from", () => {
    const f = foldForMatch("ｶﾌｪ Ａb");
    expect(f.folded.join("")).toBe("かふぇab");
    expect(f.origin).toEqual([0, 1, 2, 4, 5]);
  });

  it("treats a half-width letter and its voicing mark as one character", () => {
    const f = foldForMatch("ﾊﾞｽ停");
    expect(f.folded.join("")).toBe("ばす停");
    expect(originalSpan(f, 0, 2)).toEqual({ start: 0, end: 3 });
  });

  it("counts characters outside the BMP as one code point", () => {
    const f = foldForMatch("𩸽の店");
    expect(f.folded).toEqual(["𩸽", "の", "店"]);
    expect(f.origin).toEqual([0, 1, 2]);
  });
});

describe("foldForSearch", () => {
  it("expands iteration marks", () => {
    expect(searchKey("佐々木")).toBe(searchKey("佐佐木"));
    expect(searchKey("こゝろ")).toBe(searchKey("こころ"));
  });

  it("drops okurigana between kanji but keeps particles", () => {
    expect(searchKey("申し込み窓口")).toBe(searchKey("申込窓口"));
    expect(searchKey("読み聞かせ会")).toBe(searchKey("読聞会"));
    expect(searchKey("駅の前")).not.toBe(searchKey("駅前"));
  });

  it("maps a match in the folded text back to the words as written", () => {
    const text = "きのう𠮷田の ｶﾌｪ･ﾋﾀﾞﾏﾘ に行った";
    const hay = foldForSearch(text);
    const needle = foldForSearch("カフェ・ひだまり").folded;
    const at = indexOfSeq(hay.folded, needle);
    const { start, end } = originalSpan(hay, at, needle.length);
    expect(Array.from(text).slice(start, end).join("")).toBe("ｶﾌｪ･ﾋﾀﾞﾏﾘ");
  });

  it("can be asked for the base fold only", () => {
    expect(foldForSearch("人々", { iterationMarks: false, okurigana: false }).folded.join("")).toBe(
      "人々",
    );
  });
});
