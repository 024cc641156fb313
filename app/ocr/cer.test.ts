import { describe, expect, it } from "vitest";
import { cer, normalizeForCer } from "./cer";

describe("CER as ../shared/ocr-dev/score.mjs defines it", () => {
  it("normalises width, spaces, dashes and dots", () => {
    expect(normalizeForCer("ＡＢ c\u3000ー―-｜ ... ・・").join("")).toBe("abcーーーー……");
  });
  it("counts edits over ground-truth code points", () => {
    expect(cer("梅干しを漬ける", "梅十しを潰ける")).toMatchObject({ distance: 2, length: 7 });
    expect(cer("𠮷野家", "吉野家").distance).toBe(1);
  });
});
