/**
 * Structured schedule rules of a community resource (地域資源): "毎週木 10:00-12:00", "第2日曜
 * 13時〜15時", "最終土曜". Staff type them in a compact syntax; they are shown in Japanese or English
 * and exported as HSDS 3 `schedule` objects (RFC 5545 fields: freq, byday, wkst). Pure: no server
 * code, usable in the browser too.
 *
 * The syntax, one rule per line or separated by 「;」「；」「、」 (full-width digits, 〜 ～ - accepted):
 *   毎週木 10:00-12:00 · 毎週月・水・金 9:30〜11:30 · 毎週土 · 木曜 10時〜12時 · 平日 9時〜17時 ·
 *   毎日 · 第2日 13:00-15:00 · 毎月第２日曜 13時〜15時 · 第1・第3水曜 · 最終土曜 10時-12時 ·
 *   午後1時半〜3時 · 10:00〜 (no closing time).
 * Times are local (Japan) "HH:MM", 00:00–24:00; a closing time must come after the opening time.
 */

export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A structured schedule rule; times are "HH:MM" (24 h, local time of the municipality). */
export type ScheduleRule =
  | { freq: "weekly"; weekdays: Weekday[]; opens: string | null; closes: string | null }
  | {
      freq: "monthly";
      /** 1..5 for 第1..第5, -1 for the last (最終). */
      ordinal: number;
      weekday: Weekday;
      opens: string | null;
      closes: string | null;
    };

export type ScheduleParseResult =
  { ok: true; rules: ScheduleRule[] } | { ok: false; error: string };

const KANJI_DAY: Record<string, Weekday> = {
  月: "MO",
  火: "TU",
  水: "WE",
  木: "TH",
  金: "FR",
  土: "SA",
  日: "SU",
};
const DAY_KANJI: Record<Weekday, string> = {
  MO: "月",
  TU: "火",
  WE: "水",
  TH: "木",
  FR: "金",
  SA: "土",
  SU: "日",
};
const DAY_EN: Record<Weekday, string> = {
  MO: "Monday",
  TU: "Tuesday",
  WE: "Wednesday",
  TH: "Thursday",
  FR: "Friday",
  SA: "Saturday",
  SU: "Sunday",
};

/** NFKC (full-width digits and colons, ～ → ~), then the dashes people type between two times. */
function normalize(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[〜~\-‐‑‒–—―−ー]/g, "〜")
    .replace(/[ \t\u3000]+/g, " ")
    .trim();
}

const RULE_START = /^(?:毎週|毎月|第|最終|最後の)/;

/** One segment per rule: lines, 「;」 and 「、」 — but "毎週月、水 10時" stays one weekly rule. */
function segments(text: string): string[] {
  const out: string[] = [];
  for (const raw of normalize(text).split(/[\n\r;]+/)) {
    const parts = raw
      .split("、")
      .map((p) => p.trim())
      .filter(Boolean);
    parts.forEach((part, i) => {
      const prev = out[out.length - 1];
      // A bare weekday after 「、」 continues the previous rule's weekday list ("毎週月、水").
      const continues = i > 0 && prev !== undefined && !/\d/.test(prev) && !RULE_START.test(part);
      if (continues && /^[月火水木金土日平]/.test(part)) out[out.length - 1] = `${prev}・${part}`;
      else out.push(part);
    });
  }
  return out;
}

/** "月・水・金曜", "月水金", "平日", "毎日", "土日" → weekdays; null if anything is left unread. */
function parseWeekdays(head: string): Weekday[] | null {
  const days = new Set<Weekday>();
  let rest = head.replace(/\s+/g, "");
  if (!rest) return null;
  while (rest) {
    let m: RegExpExecArray | null;
    if ((m = /^平日/.exec(rest))) {
      for (const d of WEEKDAYS.slice(0, 5)) days.add(d);
    } else if ((m = /^毎日/.exec(rest))) {
      for (const d of WEEKDAYS) days.add(d);
    } else if ((m = /^([月火水木金土日])(?:曜日|曜)?/.exec(rest))) {
      days.add(KANJI_DAY[m[1]!]!);
    } else return null;
    rest = rest.slice(m[0].length).replace(/^[・,/と]/, "");
  }
  return WEEKDAYS.filter((d) => days.has(d));
}

const TIME = /^(午前|午後)?(\d{1,2})(?::(\d{2})|時(?:(\d{1,2})分|(半))?)(?:から)?/;

/** One time at the start of `s`: its "HH:MM" (null if out of range), the length read, and whether 「から」 followed. */
function readTime(
  s: string,
  afternoon = false,
): { hhmm: string | null; length: number; from: boolean; pm: boolean } | null {
  const noon = /^正午(から)?/.exec(s);
  if (noon) return { hhmm: "12:00", length: noon[0].length, from: !!noon[1], pm: true };
  const m = TIME.exec(s);
  if (!m) return null;
  const written = Number(m[2]);
  const minute =
    m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? Number(m[4]) : m[5] ? 30 : 0;
  // 「午後1時〜3時」: a closing time without 午前/午後 follows the opening time's 午後.
  const pm = m[1] === "午後" || (m[1] === undefined && afternoon);
  const hour = pm && written < 12 ? written + 12 : written;
  const valid =
    (m[1] === undefined || written <= 12) &&
    minute < 60 &&
    (hour < 24 || (hour === 24 && minute === 0));
  const hhmm = valid ? `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}` : null;
  return { hhmm, length: m[0].length, from: m[0].endsWith("から"), pm: m[1] === "午後" };
}

/** "10:00〜12:00", "10時から12時まで", "10:00〜" → opens/closes; an error message otherwise. */
function parseTimes(
  tail: string,
  segment: string,
): { opens: string | null; closes: string | null } | { error: string } {
  const bad = { error: `時刻の書き方が正しくありません：${segment}` };
  let rest = tail.replace(/\s+/g, "");
  if (!rest) return { opens: null, closes: null };
  const open = readTime(rest);
  if (!open || open.hhmm === null || open.hhmm === "24:00") return bad;
  rest = rest.slice(open.length);
  if (rest.startsWith("〜")) rest = rest.slice(1);
  else if (!open.from && rest) return bad;
  if (!rest) return { opens: open.hhmm, closes: null };
  const close = readTime(rest, open.pm);
  if (!close || close.hhmm === null || close.from) return bad;
  rest = rest.slice(close.length).replace(/^まで/, "");
  if (rest) return bad;
  if (close.hhmm <= open.hhmm)
    return { error: `終わりの時刻が始まりの時刻より前になっています：${segment}` };
  return { opens: open.hhmm, closes: close.hhmm };
}

function parseSegment(segment: string): ScheduleRule[] | { error: string } {
  let s = segment.replace(/^毎月\s*/, "");
  const monthlyPrefix = s !== segment;
  let ordinals: number[] = [];
  let weekly = false;
  let m: RegExpExecArray | null;
  if ((m = /^毎週\s*/.exec(s))) {
    weekly = true;
    s = s.slice(m[0].length);
  } else if ((m = /^(?:最終|最後の)\s*/.exec(s))) {
    ordinals = [-1];
    s = s.slice(m[0].length);
  } else if ((m = /^第\s*(\d+)(?:\s*[・,と]\s*第?\s*(\d+))*\s*/.exec(s))) {
    ordinals = [...m[0].matchAll(/\d+/g)].map((x) => Number(x[0]));
    s = s.slice(m[0].length);
    if (ordinals.some((n) => n < 1 || n > 5))
      return { error: `第1〜第5、または「最終」で書いてください：${segment}` };
  } else if (monthlyPrefix) {
    return { error: `毎月の場合は「第2日曜」「最終土曜」のように書いてください：${segment}` };
  } else {
    weekly = true; // "木曜 10時〜12時": every week.
  }
  // The weekdays run up to the first time (a digit, or 午前/午後).
  const timeStart = s.search(/午前|午後|正午|\d/);
  const head = timeStart === -1 ? s : s.slice(0, timeStart);
  const tail = timeStart === -1 ? "" : s.slice(timeStart);
  const weekdays = parseWeekdays(head.replace(/^の/, ""));
  if (!weekdays || weekdays.length === 0) return { error: `曜日が読み取れません：${segment}` };
  const times = parseTimes(tail, segment);
  if ("error" in times) return times;
  if (weekly) return [{ freq: "weekly", weekdays, ...times }];
  return ordinals.flatMap((ordinal) =>
    weekdays.map((weekday): ScheduleRule => ({ freq: "monthly", ordinal, weekday, ...times })),
  );
}

/** Reads the staff's compact syntax (see the top of this file); an empty text is no rules. */
export function parseScheduleRules(text: string): ScheduleParseResult {
  const rules: ScheduleRule[] = [];
  for (const segment of segments(text)) {
    const parsed = parseSegment(segment);
    if ("error" in parsed) return { ok: false, error: parsed.error };
    rules.push(...parsed);
  }
  return { ok: true, rules };
}

/** "09:30" → "9:30". */
function showTime(hhmm: string): string {
  return hhmm.replace(/^0(\d)/, "$1");
}

function timesJa(rule: ScheduleRule): string {
  if (rule.opens === null && rule.closes === null) return "";
  return ` ${rule.opens ? showTime(rule.opens) : ""}〜${rule.closes ? showTime(rule.closes) : ""}`;
}

function timesEn(rule: ScheduleRule): string {
  if (rule.opens === null && rule.closes === null) return "";
  if (rule.closes === null) return ` from ${showTime(rule.opens!)}`;
  if (rule.opens === null) return ` until ${showTime(rule.closes)}`;
  return ` ${showTime(rule.opens)}–${showTime(rule.closes)}`;
}

function ordinalEn(n: number): string {
  if (n === -1) return "Last";
  return `${n}${n === 1 ? "st" : n === 2 ? "nd" : n === 3 ? "rd" : "th"}`;
}

function listEn(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]!}`;
}

function formatRule(rule: ScheduleRule, lang: "ja" | "en"): string {
  if (lang === "ja") {
    if (rule.freq === "weekly")
      return `毎週${rule.weekdays.map((d) => DAY_KANJI[d]).join("・")}曜${timesJa(rule)}`;
    const ord = rule.ordinal === -1 ? "最終" : `第${rule.ordinal}`;
    return `${ord}${DAY_KANJI[rule.weekday]}曜${timesJa(rule)}`;
  }
  if (rule.freq === "weekly") {
    const days = rule.weekdays.map((d) => DAY_EN[d]);
    return `Every ${listEn(days)}${timesEn(rule)}`;
  }
  return `${ordinalEn(rule.ordinal)} ${DAY_EN[rule.weekday]} of the month${timesEn(rule)}`;
}

/** The rules as people read them: 「毎週木曜 10:00〜12:00、第2日曜 13:00〜15:00」 / "Every Thursday 10:00–12:00; 2nd Sunday of the month 13:00–15:00". */
export function formatScheduleRules(rules: ScheduleRule[], lang: "ja" | "en"): string {
  return rules.map((r) => formatRule(r, lang)).join(lang === "ja" ? "、" : "; ");
}

/** The rules in the staff syntax, one per line, for an edit form; parseScheduleRules reads it back. */
export function scheduleRulesToText(rules: ScheduleRule[]): string {
  return rules.map((r) => formatRule(r, "ja")).join("\n");
}

/** An HSDS 3 `schedule` object (the fields this export fills). */
export interface HsdsSchedule {
  id: string;
  freq: "WEEKLY" | "MONTHLY";
  interval: number;
  wkst: Weekday;
  byday: string;
  /** "HH:MM" with the UTC offset, e.g. "10:00+09:00" (HSDS: "HH:MM format … including an offset"). */
  opens_at?: string;
  closes_at?: string;
  /** The UTC offset in hours, e.g. 9 for Japan. */
  timezone: number;
  description: string;
}

/**
 * The rules as HSDS 3 schedules (RFC 5545 fields): weekly rules → freq WEEKLY, byday "MO,WE,FR";
 * monthly rules → freq MONTHLY, byday "2SU" or "-1SA". `ids` gives each schedule its (UUID) id.
 * Times carry the municipality's UTC offset (Japan, +09:00, unless told otherwise).
 */
export function toHsdsSchedules(
  rules: ScheduleRule[],
  ids: () => string,
  options: { utcOffset?: string; lang?: "ja" | "en" } = {},
): HsdsSchedule[] {
  const offset = options.utcOffset ?? "+09:00";
  const om = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (!om) throw new Error(`Bad UTC offset: ${offset}`);
  const timezone = (om[1] === "-" ? -1 : 1) * (Number(om[2]) + Number(om[3]) / 60);
  return rules.map((rule) => {
    const schedule: HsdsSchedule = {
      id: ids(),
      freq: rule.freq === "weekly" ? "WEEKLY" : "MONTHLY",
      interval: 1,
      wkst: "MO",
      byday: rule.freq === "weekly" ? rule.weekdays.join(",") : `${rule.ordinal}${rule.weekday}`,
      timezone,
      description: formatRule(rule, options.lang ?? "ja"),
    };
    if (rule.opens) schedule.opens_at = `${rule.opens}${offset}`;
    if (rule.closes) schedule.closes_at = `${rule.closes}${offset}`;
    return schedule;
  });
}
