import { describe, expect, it } from "vitest";
import { isPrintedHeader, postCorrectLine } from "./postcorrect";

describe("postCorrectLine", () => {
  it("turns circled numbers into digits", () => {
    expect(postCorrectLine("⑥月の第三土曜、朝⑩時から")).toBe("6月の第三土曜、朝10時から");
  });
  it("fixes small ぃ and look-alike katakana inside hiragana", () => {
    expect(postCorrectLine("知りたぃ方")).toBe("知りたい方");
    expect(postCorrectLine("やリませんか")).toBe("やりませんか");
  });
  it("keeps katakana words and long-vowel marks", () => {
    expect(postCorrectLine("チェーンが外れて")).toBe("チェーンが外れて");
    expect(postCorrectLine("ヘルパーさん")).toBe("ヘルパーさん");
  });
  it("tells the kanji 一 from the long-vowel mark", () => {
    expect(postCorrectLine("ー緒にやりませんか")).toBe("一緒にやりませんか");
    expect(postCorrectLine("コ一ヒー")).toBe("コーヒー");
  });
  it("reads a full-size つ before て/た as the small っ of a verb, and keeps it where it ends a word", () => {
    expect(postCorrectLine("と思つてしまう")).toBe("と思ってしまう");
    expect(postCorrectLine("楽しかつた。やつぱりちょつと")).toBe("楽しかった。やっぱりちょっと");
    expect(postCorrectLine("一つ、いつも、つくえ、つた")).toBe("一つ、いつも、つくえ、つた");
    expect(postCorrectLine("ゆつくり休んで、いつしよに")).toBe("ゆっくり休んで、いっしょに");
  });

  it("drops stray quotes next to Japanese but keeps Latin text", () => {
    expect(postCorrectLine("いっぱぃ“です")).toBe("いっぱいです");
    expect(postCorrectLine('say "hello"')).toBe('say "hello"');
  });
});

describe("isPrintedHeader", () => {
  it("knows a notebook's empty printed No./Date header, also misread after the D", () => {
    for (const line of ["NO Date", "No. Date", "NO D引tら", "Date", "No.", "Date."]) {
      expect(isPrintedHeader(line), line).toBe(true);
    }
  });
  it("keeps a header with something written in it, and every line of writing", () => {
    for (const line of ["No.3 Date 6/12", "Date 12/4", "ノート", "Note", "No", "Dance", "土曜日"]) {
      expect(isPrintedHeader(line), line).toBe(false);
    }
  });
});
