/**
 * Dates. Timestamps are stored as ISO-8601 UTC text; calendar dates (due dates, cohort dates,
 * consent dates) as YYYY-MM-DD in the program's local time zone, Japan.
 */
export const APP_TIME_ZONE = "Asia/Tokyo";

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDateString(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** The calendar date of an instant in Japan, as YYYY-MM-DD. */
export function localDate(instant: Date | string = new Date()): string {
  const d = typeof instant === "string" ? new Date(instant) : instant;
  return formatter("localDate", "en-CA", {
    timeZone: APP_TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(d);
}

// Building an Intl.DateTimeFormat costs far more than formatting with one (a list of a few
// hundred dates spent most of its rendering time building them): one per kind and locale.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: string, locale: string, options: Intl.DateTimeFormatOptions) {
  const key = `${kind}|${locale}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** "2026-11-23T10:05" as typed into <input type="datetime-local">, read as Japan time. */
export function localDateTimeToIso(value: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m || !isValidDateString(m[1]!)) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (hours > 23 || minutes > 59) return null;
  // Japan has no daylight saving time: a fixed +09:00 offset is exact.
  return new Date(`${m[1]}T${m[2]}:${m[3]}:00+09:00`).toISOString();
}

export function isoToLocalDateTime(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 9 * 60 * 60 * 1000);
  return d.toISOString().slice(0, 16);
}

/** An instant as Japan time to the second, "2026-12-05 09:30:15" (for files such as CSV). */
export function isoToLocalSeconds(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 9 * 60 * 60 * 1000);
  return d.toISOString().slice(0, 19).replace("T", " ");
}

export function formatDate(date: string | null | undefined, lang: "ja" | "en"): string {
  if (!date) return "";
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  return formatter("date", lang === "ja" ? "ja-JP" : "en-GB", {
    timeZone: "UTC",
    year: "numeric",
    month: lang === "ja" ? "numeric" : "short",
    day: "numeric",
    weekday: "short",
  }).format(d);
}

export function formatDateTime(iso: string | null | undefined, lang: "ja" | "en"): string {
  if (!iso) return "";
  return formatter("dateTime", lang === "ja" ? "ja-JP" : "en-GB", {
    timeZone: APP_TIME_ZONE,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(iso));
}
