import { describe, expect, it } from "vitest";
import { codePointLength, cutCodePoints } from "./text";

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
