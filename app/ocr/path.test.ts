import { describe, expect, it } from "vitest";
import { notesOfPath } from "./path";

describe("notesOfPath", () => {
  it("names the kept pass's notes, and a second pass when it was kept", () => {
    const path = {
      chosen: 1,
      passes: [
        { notes: ["red-channel"], score: 0.05 },
        { notes: ["red-channel", "plain"], score: 0.8 },
      ],
    };
    expect(notesOfPath(JSON.stringify(path))).toEqual(["plain", "second-pass", "red-channel"]);
    expect(notesOfPath(JSON.stringify({ ...path, chosen: 0 }))).toEqual(["red-channel"]);
  });

  it("shows nothing for a job without a path, or one it cannot read", () => {
    expect(notesOfPath(null)).toEqual([]);
    expect(notesOfPath("{")).toEqual([]);
    expect(notesOfPath(JSON.stringify({ chosen: 0, passes: [{ notes: ["<b>"] }] }))).toEqual([]);
  });
});
