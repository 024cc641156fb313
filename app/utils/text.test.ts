import { describe, expect, it } from "vitest";
import { codePointLength, cutCodePoints, hasForbiddenCharacters } from "./text";

describe("text in code points", () => {
  it("counts a character outside the BMP as one", () => {
    expect(codePointLength("𠮷野さんと𩸽")).toBe(6);
    expect("𠮷野さんと𩸽".length).toBe(8);
    expect(codePointLength("")).toBe(0);
  });

  it("never cuts a surrogate pair in half", () => {
    expect(cutCodePoints("あ𠮷い", 2)).toBe("あ𠮷");
    expect(cutCodePoints("𩸽𩸽𩸽", 1)).toBe("𩸽");
    const cut = cutCodePoints("a".repeat(499) + "𠮷𠮷", 500);
    expect(cut.endsWith("𠮷")).toBe(true);
    expect(codePointLength(cut)).toBe(500);
    expect(/[\uD800-\uDBFF]$/.test(cut)).toBe(false);
    expect(cutCodePoints("short", 500)).toBe("short");
  });
});

describe("forbidden characters (decision 030)", () => {
  it("refuses controls and bidi overrides everywhere, line breaks only in one-line text", () => {
    for (const ch of ["\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u202e", "\u2066"]) {
      expect(hasForbiddenCharacters(`a${ch}b`), JSON.stringify(ch)).toBe(true);
      expect(hasForbiddenCharacters(`a${ch}b`, { multiline: true }), JSON.stringify(ch)).toBe(true);
    }
    for (const ch of ["\n", "\r", "\t", "\u2028"]) {
      expect(hasForbiddenCharacters(`a${ch}b`), JSON.stringify(ch)).toBe(true);
    }
    expect(hasForbiddenCharacters("一行目\r\n二行目\tです", { multiline: true })).toBe(false);
    // Ordinary Japanese text, emoji, 𠮷 and the zero-width joiner in emoji are fine.
    expect(hasForbiddenCharacters("𠮷野さん 👨‍👩‍👧 ー・「」（）")).toBe(false);
  });
});
