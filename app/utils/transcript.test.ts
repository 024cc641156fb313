import { describe, expect, it } from "vitest";
import {
  deriveLines,
  editedLinesFromText,
  splitText,
  tidyEditedLines,
  type TranscriptLine,
} from "./transcript";

const base: TranscriptLine[] = [
  { text: "きょうは雨", bbox: { x0: 0, y0: 0, x1: 100, y1: 20 }, confidence: 91, unsure: [] },
  { text: "でした", bbox: { x0: 0, y0: 30, x1: 60, y1: 50 }, confidence: 55, unsure: [1] },
];

describe("deriveLines", () => {
  it("keeps OCR marks on untouched lines and drops them on corrected ones", () => {
    const lines = deriveLines(base, [
      { text: "きょうは雨", src: [0] },
      { text: "だった", src: [1] },
    ]);
    expect(lines[0]).toEqual(base[0]);
    expect(lines[1]).toEqual({ text: "だった", bbox: base[1]!.bbox, confidence: null, unsure: [] });
  });

  it("gives a joined line the union of the boxes and a new line no box", () => {
    const lines = deriveLines(base, [
      { text: "きょうは雨でした", src: [0, 1] },
      { text: "追加", src: [] },
    ]);
    expect(lines[0]!.bbox).toEqual({ x0: 0, y0: 0, x1: 100, y1: 50 });
    expect(lines[1]!.bbox).toBeNull();
  });

  it("stores text in NFC", () => {
    const [line] = deriveLines(base, [{ text: "か\u3099", src: [] }]);
    expect(line!.text).toBe("が");
  });
});

describe("whole-text editing", () => {
  it("keeps boxes by position when the line count is the same", () => {
    expect(editedLinesFromText(base, "きょうは晴れ\nでした\n\n")).toEqual([
      { text: "きょうは晴れ", src: [0] },
      { text: "でした", src: [1] },
    ]);
  });

  it("matches lines by text when lines were added or removed", () => {
    expect(editedLinesFromText(base, "はじめに\r\nきょうは雨\nでした")).toEqual([
      { text: "はじめに", src: [] },
      { text: "きょうは雨", src: [0] },
      { text: "でした", src: [1] },
    ]);
    expect(splitText("a\n\n b\n \n")).toEqual(["a", "", " b"]);
  });
});

describe("tidyEditedLines", () => {
  it("starts new lines at pasted line breaks and drops blank lines at the end", () => {
    expect(
      tidyEditedLines([
        { text: "一行目\r\n二行目", src: [0] },
        { text: "  ", src: [1] },
        { text: "", src: [] },
      ]),
    ).toEqual([
      { text: "一行目", src: [0] },
      { text: "二行目", src: [] },
    ]);
    expect(tidyEditedLines([{ text: " ", src: [0] }])).toEqual([]);
  });
});
