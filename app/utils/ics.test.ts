import { describe, expect, it } from "vitest";
import { allDayEventIcs, foldLine } from "./ics";

describe("iCalendar file", () => {
  it("is one all-day event with escaped text and CRLF lines", () => {
    const ics = allDayEventIcs({
      uid: "due-3-2026-12-10@kokan-nikki",
      date: "2026-12-31",
      summary: "ノートを保健室へ; 忘れずに, ね",
      location: "まちの保健室\n駅前",
      now: new Date("2026-12-04T05:00:00.123Z"),
    });
    const lines = ics.split("\r\n");
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines).toContain("DTSTART;VALUE=DATE:20261231");
    // The end of an all-day event is the next day, across a year's end.
    expect(lines).toContain("DTEND;VALUE=DATE:20270101");
    expect(lines).toContain("DTSTAMP:20261204T050000Z");
    expect(lines).toContain("SUMMARY:ノートを保健室へ\\; 忘れずに\\, ね");
    expect(lines).toContain("LOCATION:まちの保健室\\n駅前");
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics).not.toMatch(/[^\r]\n/);
  });

  it("folds long lines at 75 octets without cutting a character", () => {
    const line = `DESCRIPTION:${"あ".repeat(60)}`;
    const folded = foldLine(line).split("\r\n");
    expect(folded.length).toBeGreaterThan(1);
    for (const [i, part] of folded.entries()) {
      expect(Buffer.byteLength(part, "utf8")).toBeLessThanOrEqual(75);
      if (i > 0) expect(part.startsWith(" ")).toBe(true);
    }
    expect(folded.map((p, i) => (i > 0 ? p.slice(1) : p)).join("")).toBe(line);
  });
});
