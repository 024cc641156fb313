/**
 * The resource list as CSV for Excel: UTF-8 with a BOM (so Excel does not read it as Shift_JIS),
 * CRLF line ends, RFC 4180 quoting by csv-stringify, one header row in the chosen language. Text
 * cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
 * return) get an apostrophe in front (OWASP "CSV injection"); the numbers we write ourselves
 * (latitude, longitude, id) are left as they are. Lists (aliases, tags) are joined with 「、」.
 * The 日時（規則） column is in the staff schedule syntax whatever the language, so it can be read
 * back by the import. Pure: no database, no server code.
 */
import { stringify } from "csv-stringify/sync";
import { scheduleRulesToText } from "~/utils/schedule";
import type { Resource, ResourceStatus, ResourceVisibility, VerifiedHow } from "./types";

export type ExportLang = "ja" | "en";

type Labels<K extends string> = Record<ExportLang, Record<K, string>>;

/** The words the exports show for a resource's codes (the screens use app/i18n). */
export const CATEGORY_LABELS: Labels<Resource["category"]> = {
  ja: {
    place: "場所",
    activity: "活動",
    event: "行事",
    person_skill: "人・特技",
    need: "困りごと・ニーズ",
    idea: "アイデア",
    shop: "お店",
    nature: "自然",
    other: "その他",
  },
  en: {
    place: "Place",
    activity: "Activity",
    event: "Event",
    person_skill: "Person / skill",
    need: "Need",
    idea: "Idea",
    shop: "Shop",
    nature: "Nature",
    other: "Other",
  },
};

export const STATUS_LABELS: Labels<ResourceStatus> = {
  ja: { active: "活動中", to_verify: "要確認", inactive: "休止中", closed: "終了" },
  en: { active: "Active", to_verify: "To verify", inactive: "Inactive", closed: "Closed" },
};

export const VISIBILITY_LABELS: Labels<ResourceVisibility> = {
  ja: { public: "公開", staff: "職員のみ" },
  en: { public: "Public", staff: "Staff only" },
};

export const VERIFIED_HOW_LABELS: Labels<VerifiedHow> = {
  ja: { walk: "まち歩き", phone: "電話", visit: "訪問", other: "その他" },
  en: { walk: "Town walk", phone: "Phone", visit: "Visit", other: "Other" },
};

type Cell = string | number | null;

interface Column {
  ja: string;
  en: string;
  value: (r: Resource, lang: ExportLang) => Cell;
}

const list = (items: string[]) => items.join("、");

/** The columns, in order. The import's column mapping reads the Japanese headers. */
export const CSV_COLUMNS: readonly Column[] = [
  { ja: "名前", en: "Name", value: (r) => r.name },
  { ja: "別名", en: "Other names", value: (r) => list(r.aliases) },
  { ja: "説明", en: "Description", value: (r) => r.description },
  { ja: "種類", en: "Category", value: (r, lang) => CATEGORY_LABELS[lang][r.category] },
  { ja: "タグ", en: "Tags", value: (r) => list(r.tags) },
  { ja: "地区", en: "Area", value: (r) => r.area },
  { ja: "団体", en: "Organisation", value: (r) => r.organization },
  { ja: "住所", en: "Address", value: (r) => r.address },
  { ja: "緯度", en: "Latitude", value: (r) => r.lat },
  { ja: "経度", en: "Longitude", value: (r) => r.lng },
  { ja: "日時", en: "Schedule", value: (r) => r.scheduleText },
  {
    ja: "日時（規則）",
    en: "Schedule (rules)",
    value: (r) => scheduleRulesToText(r.schedule).replaceAll("\n", "、"),
  },
  { ja: "電話", en: "Phone", value: (r) => r.phone },
  { ja: "メール", en: "E-mail", value: (r) => r.email },
  { ja: "URL", en: "URL", value: (r) => r.url },
  { ja: "対象", en: "Eligibility", value: (r) => r.eligibility },
  { ja: "費用", en: "Fees", value: (r) => r.fees },
  { ja: "状態", en: "Status", value: (r, lang) => STATUS_LABELS[lang][r.status] },
  { ja: "公開", en: "Visibility", value: (r, lang) => VISIBILITY_LABELS[lang][r.visibility] },
  { ja: "最終確認日", en: "Last verified", value: (r) => r.verifiedOn },
  {
    ja: "確認方法",
    en: "Verified by",
    value: (r, lang) => (r.verifiedHow ? VERIFIED_HOW_LABELS[lang][r.verifiedHow] : null),
  },
  { ja: "更新日時", en: "Updated", value: (r) => r.updatedAt },
  // Last, not first: Excel takes a file that starts with "ID" for SYLK.
  { ja: "番号", en: "ID", value: (r) => r.id },
];

/** A text cell a spreadsheet would run as a formula gets an apostrophe in front. */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function cell(value: Cell): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  return neutraliseFormula(value);
}

/** The resources as one CSV text (UTF-8 BOM first, CRLF, RFC 4180 quoting). */
export function resourcesToCsv(resources: Resource[], lang: ExportLang): string {
  const rows = [
    CSV_COLUMNS.map((c) => c[lang]),
    ...resources.map((r) => CSV_COLUMNS.map((c) => cell(c.value(r, lang)))),
  ];
  return stringify(rows, {
    bom: true,
    record_delimiter: "\r\n",
    // RFC 4180: a field with a comma, a quote or a line break is quoted; csv-stringify already
    // quotes the first two and "\r\n" — a lone "\n" or "\r" inside a cell must be quoted too.
    quoted_match: /[\r\n]/,
  });
}
