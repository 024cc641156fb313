import { describe, expect, it } from "vitest";
import {
  formatScheduleRules,
  parseScheduleRules,
  scheduleRulesToText,
  toHsdsSchedules,
  type ScheduleRule,
} from "./schedule";

function rules(text: string): ScheduleRule[] {
  const parsed = parseScheduleRules(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.rules;
}

function error(text: string): string {
  const parsed = parseScheduleRules(text);
  if (parsed.ok) throw new Error(`parsed: ${JSON.stringify(parsed.rules)}`);
  return parsed.error;
}

describe("parseScheduleRules", () => {
  it("reads weekly rules with one or more weekdays", () => {
    expect(rules("毎週木 10:00-12:00")).toEqual([
      { freq: "weekly", weekdays: ["TH"], opens: "10:00", closes: "12:00" },
    ]);
    expect(rules("毎週月・水・金 9:30〜11:30")).toEqual([
      { freq: "weekly", weekdays: ["MO", "WE", "FR"], opens: "09:30", closes: "11:30" },
    ]);
    expect(rules("毎週土")).toEqual([
      { freq: "weekly", weekdays: ["SA"], opens: null, closes: null },
    ]);
    expect(rules("木曜日 10時〜12時")).toEqual([
      { freq: "weekly", weekdays: ["TH"], opens: "10:00", closes: "12:00" },
    ]);
    expect(rules("平日 9時〜17時")[0]).toMatchObject({ weekdays: ["MO", "TU", "WE", "TH", "FR"] });
    expect(rules("毎日")[0]).toMatchObject({
      weekdays: ["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
    });
    // Weekdays come out in calendar order, without repeats.
    expect(rules("毎週金・月・金曜")[0]).toMatchObject({ weekdays: ["MO", "FR"] });
  });

  it("reads monthly rules: 第N and 最終", () => {
    expect(rules("第2日 13:00-15:00")).toEqual([
      { freq: "monthly", ordinal: 2, weekday: "SU", opens: "13:00", closes: "15:00" },
    ]);
    expect(rules("第２日曜 13時〜15時")).toEqual(rules("第2日 13:00-15:00"));
    expect(rules("最終土曜 10時-12時")).toEqual([
      { freq: "monthly", ordinal: -1, weekday: "SA", opens: "10:00", closes: "12:00" },
    ]);
    expect(rules("毎月第1・第3水曜 10:00〜11:00")).toEqual([
      { freq: "monthly", ordinal: 1, weekday: "WE", opens: "10:00", closes: "11:00" },
      { freq: "monthly", ordinal: 3, weekday: "WE", opens: "10:00", closes: "11:00" },
    ]);
  });

  it("accepts full-width digits, 〜 ～ - and Japanese time words", () => {
    const expected = [{ freq: "weekly", weekdays: ["TH"], opens: "10:00", closes: "12:00" }];
    for (const text of [
      "毎週木　１０：００～１２：００",
      "毎週木 10:00〜12:00",
      "毎週木 10:00 - 12:00",
      "毎週木 10:00－12:00",
      "毎週木 10時から12時まで",
    ])
      expect(rules(text), text).toEqual(expected);
    expect(rules("毎週火 午後1時半〜3時")[0]).toMatchObject({ opens: "13:30", closes: "15:00" });
    expect(rules("毎週火 9時15分〜")[0]).toMatchObject({ opens: "09:15", closes: null });
    expect(rules("第2・4土曜 午前10時～正午")).toEqual([
      { freq: "monthly", ordinal: 2, weekday: "SA", opens: "10:00", closes: "12:00" },
      { freq: "monthly", ordinal: 4, weekday: "SA", opens: "10:00", closes: "12:00" },
    ]);
  });

  it("splits rules on lines, ; ； and 、", () => {
    const text = "毎週木 10:00-12:00\n第2日 13:00-15:00；最終土曜;毎週火、金 9時〜10時、第4月";
    expect(rules(text)).toEqual([
      { freq: "weekly", weekdays: ["TH"], opens: "10:00", closes: "12:00" },
      { freq: "monthly", ordinal: 2, weekday: "SU", opens: "13:00", closes: "15:00" },
      { freq: "monthly", ordinal: -1, weekday: "SA", opens: null, closes: null },
      { freq: "weekly", weekdays: ["TU", "FR"], opens: "09:00", closes: "10:00" },
      { freq: "monthly", ordinal: 4, weekday: "MO", opens: null, closes: null },
    ]);
    expect(rules("")).toEqual([]);
    expect(rules(" \n ; ")).toEqual([]);
  });

  it("refuses what it cannot read, in Japanese, naming the part", () => {
    expect(error("毎週もくよう 10:00-12:00")).toBe(
      "曜日が読み取れません：毎週もくよう 10:00〜12:00",
    );
    expect(error("毎週 10:00-12:00")).toMatch(/^曜日が読み取れません：/);
    expect(error("毎週木 10:00-12:00\n月に一度")).toBe("曜日が読み取れません：月に一度");
    expect(error("毎週木 25:00-26:00")).toMatch(/^時刻の書き方が正しくありません：/);
    expect(error("毎週木 10:75-12:00")).toMatch(/^時刻の書き方が正しくありません：/);
    expect(error("毎週木 10:00 12:00")).toMatch(/^時刻の書き方が正しくありません：/);
    expect(error("毎週木 朝")).toMatch(/^曜日が読み取れません：/);
    expect(error("毎週木 12:00-10:00")).toBe(
      "終わりの時刻が始まりの時刻より前になっています：毎週木 12:00〜10:00",
    );
    expect(error("毎週木 10:00-10:00")).toMatch(/^終わりの時刻が始まりの時刻より前/);
    expect(error("第6日曜")).toMatch(/^第1〜第5、または「最終」で書いてください：/);
    expect(error("毎月15日")).toMatch(/^毎月の場合は/);
  });
});

describe("formatScheduleRules and scheduleRulesToText", () => {
  const sample = rules(
    "毎週木 10:00-12:00; 毎週月・水・金 9:30〜11:30; 第2日 13:00-15:00; 最終土曜; 毎週火 10時〜",
  );

  it("formats in Japanese and English", () => {
    expect(formatScheduleRules(sample, "ja")).toBe(
      "毎週木曜 10:00〜12:00、毎週月・水・金曜 9:30〜11:30、第2日曜 13:00〜15:00、最終土曜、毎週火曜 10:00〜",
    );
    expect(formatScheduleRules(sample, "en")).toBe(
      "Every Thursday 10:00–12:00; Every Monday, Wednesday and Friday 9:30–11:30; " +
        "2nd Sunday of the month 13:00–15:00; Last Saturday of the month; Every Tuesday from 10:00",
    );
    expect(formatScheduleRules([], "ja")).toBe("");
  });

  it("round-trips through parseScheduleRules", () => {
    expect(rules(scheduleRulesToText(sample))).toEqual(sample);
    expect(rules(formatScheduleRules(sample, "ja"))).toEqual(sample);
    expect(scheduleRulesToText(sample).split("\n")).toHaveLength(sample.length);
  });
});

describe("toHsdsSchedules", () => {
  it("gives RFC 5545 fields with the Japanese UTC offset", () => {
    let n = 0;
    const ids = () => `00000000-0000-4000-8000-00000000000${n++}`;
    const out = toHsdsSchedules(rules("毎週月・木 10:00-12:00; 第2日 13:00-15:00; 最終土曜"), ids);
    expect(out).toEqual([
      {
        id: "00000000-0000-4000-8000-000000000000",
        freq: "WEEKLY",
        interval: 1,
        wkst: "MO",
        byday: "MO,TH",
        opens_at: "10:00+09:00",
        closes_at: "12:00+09:00",
        timezone: 9,
        description: "毎週月・木曜 10:00〜12:00",
      },
      {
        id: "00000000-0000-4000-8000-000000000001",
        freq: "MONTHLY",
        interval: 1,
        wkst: "MO",
        byday: "2SU",
        opens_at: "13:00+09:00",
        closes_at: "15:00+09:00",
        timezone: 9,
        description: "第2日曜 13:00〜15:00",
      },
      {
        id: "00000000-0000-4000-8000-000000000002",
        freq: "MONTHLY",
        interval: 1,
        wkst: "MO",
        byday: "-1SA",
        timezone: 9,
        description: "最終土曜",
      },
    ]);
    expect(
      toHsdsSchedules(rules("毎週木"), () => "x", { utcOffset: "-05:30", lang: "en" })[0],
    ).toMatchObject({ timezone: -5.5, description: "Every Thursday" });
  });
});
