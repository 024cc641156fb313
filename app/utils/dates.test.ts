import { describe, expect, it } from "vitest";
import { addDays, isValidDateString, localDate, localDateTimeToIso } from "./dates";

describe("dates", () => {
  it("accepts only real calendar dates", () => {
    expect(isValidDateString("2026-02-28")).toBe(true);
    expect(isValidDateString("2026-02-30")).toBe(false);
    expect(isValidDateString("2026/02/28")).toBe(false);
    expect(isValidDateString("26-2-28")).toBe(false);
  });

  it("uses Japan's calendar day", () => {
    // 23:30 UTC on the 22nd is already the 23rd in Japan.
    expect(localDate("2026-11-22T23:30:00Z")).toBe("2026-11-23");
    expect(localDateTimeToIso("2026-11-23T08:30")).toBe("2026-11-22T23:30:00.000Z");
    expect(localDateTimeToIso("2026-11-23T25:30")).toBeNull();
  });

  it("adds days across month ends", () => {
    expect(addDays("2026-12-28", 7)).toBe("2027-01-04");
  });
});
