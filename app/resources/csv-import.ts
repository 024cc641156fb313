/**
 * CSV import of an existing resource list — typically a 社会福祉協議会's Excel sheet saved as CSV:
 * decode the bytes (UTF-8 with or without BOM, or Shift_JIS/CP932 as Japanese Excel writes it),
 * parse the CSV, guess which column is which field from Japanese headers, and build a preview with
 * per-row errors (in Japanese) and duplicates (by folded name + area) before anything is written.
 *
 * Pure: no database and no Node modules, so the same code can run in the browser. The model
 * writes the confirmed rows (and the one audit entry of the import); it uses
 * `resourceDuplicateKey` for the keys of the resources already stored.
 */
import { CsvError, parse } from "csv-parse/sync";
import { foldForMatch, searchKey } from "~/utils/kana-fold";
import { SEED_CATEGORIES } from "~/utils/seed-categories";
import { codePointLength, hasForbiddenCharacters } from "~/utils/text";
import type { Resource, ResourceStatus, ResourceVisibility } from "./types";

type Category = (typeof SEED_CATEGORIES)[number];

// ---------------------------------------------------------------------------------------------
// Decoding

export type CsvEncoding = "utf-8" | "utf-8-bom" | "shift_jis";

/**
 * The text of a CSV file and the encoding it was read in: a UTF-8 BOM → "utf-8-bom"; bytes that
 * are valid UTF-8 → "utf-8"; anything else → Shift_JIS, read as CP932 (Windows-31J, which the
 * WHATWG "shift_jis" decoder implements: ～, ①, ㈱ and the NEC/IBM extensions).
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return {
      text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.subarray(3)),
      encoding: "utf-8-bom",
    };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("shift_jis").decode(bytes), encoding: "shift_jis" };
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** One record of the file, with the 1-based line of the file it starts on. */
export interface CsvRow {
  line: number;
  cells: string[];
}

/** A file that is not readable CSV (an unclosed quote, mostly); `line` is where it went wrong. */
export class CsvFormatError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(message);
    this.name = "CsvFormatError";
  }
}

/**
 * Records of a CSV text (RFC 4180 as Excel writes it): CRLF, LF or CR line ends, even mixed;
 * quoted fields with commas, quotes and line breaks; rows of uneven length. Blank rows (also
 * Excel's ",,,,") are left out, so the first row returned is the header. Each row carries the
 * line it starts on, counted in the file, so errors can name the line a person sees in an editor.
 * Throws `CsvFormatError` with a Japanese message when the text cannot be read.
 */
export function parseCsv(text: string): CsvRow[] {
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
  let records: Array<{ record: string[]; info: { bytes: number } }>;
  try {
    records = parse(source, {
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      record_delimiter: ["\r\n", "\n", "\r"],
      skip_empty_lines: false,
    }) as Array<{ record: string[]; info: { bytes: number } }>;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === "number" ? error.lines : null;
      const where = line === null ? "" : `（${line}行目付近）`;
      const what =
        error.code === "CSV_QUOTE_NOT_CLOSED"
          ? '引用符（"）が閉じられていません'
          : "CSVとして読み取れませんでした";
      throw new CsvFormatError(`${what}${where}。`, line);
    }
    throw error;
  }
  // `info.bytes` is the UTF-8 offset just after each record; a record starts where the previous
  // one ended. Count the line breaks up to each start in one pass over the UTF-8 bytes.
  const bytes = new TextEncoder().encode(source);
  const rows: CsvRow[] = [];
  let line = 1;
  let at = 0;
  let start = 0;
  for (const { record, info } of records) {
    for (; at < start && at < bytes.length; at++) {
      const b = bytes[at];
      if (b === 0x0a) line++;
      else if (b === 0x0d && bytes[at + 1] !== 0x0a) line++;
    }
    if (record.some((cell) => cell.trim() !== "")) rows.push({ line, cells: record });
    start = info.bytes;
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Fields and the column mapping

/** The resource fields a column can be mapped to, with their Japanese labels. */
export const IMPORT_FIELDS = [
  { field: "name", label: "名称" },
  { field: "aliases", label: "別名" },
  { field: "description", label: "説明" },
  { field: "category", label: "種類" },
  { field: "tags", label: "タグ" },
  { field: "area", label: "地区" },
  { field: "organization", label: "運営団体" },
  { field: "address", label: "住所" },
  { field: "lat", label: "緯度" },
  { field: "lng", label: "経度" },
  { field: "scheduleText", label: "日時" },
  { field: "phone", label: "電話" },
  { field: "email", label: "メール" },
  { field: "url", label: "URL" },
  { field: "eligibility", label: "対象" },
  { field: "fees", label: "費用" },
  { field: "status", label: "状態" },
  { field: "visibility", label: "公開範囲" },
] as const;

export type ImportField = (typeof IMPORT_FIELDS)[number]["field"];

/** Column index → the field it fills, or null for a column left out. */
export type ColumnMapping = Record<number, ImportField | null>;

/**
 * Header words of 社協 lists, per field. A word that can mean two fields lists both in order of
 * preference (団体名 is the name, unless another column already is; then it is the organisation).
 * 備考 is deliberately absent: remarks often hold staff notes that must not become a public
 * description.
 */
const HEADER_WORDS: Array<{ words: string[]; fields: ImportField[] }> = [
  {
    words: [
      "名称",
      "名前",
      "活動名",
      "資源名",
      "施設名",
      "サークル名",
      "グループ名",
      "サロン名",
      "教室名",
      "店名",
      "店舗名",
      "事業名",
      "行事名",
      "イベント名",
      "name",
    ],
    fields: ["name"],
  },
  { words: ["団体名", "団体"], fields: ["name", "organization"] },
  {
    words: ["別名", "通称", "略称", "愛称", "ふりがな", "よみがな", "読み", "aliases"],
    fields: ["aliases"],
  },
  {
    words: ["内容", "活動内容", "説明", "概要", "紹介", "詳細", "事業内容", "description"],
    fields: ["description"],
  },
  {
    words: ["分類", "種類", "種別", "区分", "カテゴリ", "カテゴリー", "ジャンル", "category"],
    fields: ["category"],
  },
  { words: ["タグ", "キーワード", "分野", "tags", "tag"], fields: ["tags"] },
  {
    words: ["地区", "地域", "地区名", "地域名", "校区", "小学校区", "エリア", "圏域", "area"],
    fields: ["area"],
  },
  {
    words: [
      "運営団体",
      "運営",
      "運営主体",
      "主催",
      "主催者",
      "実施団体",
      "事業者",
      "法人名",
      "所属",
      "organization",
    ],
    fields: ["organization"],
  },
  {
    words: ["所在地", "住所", "場所", "会場", "開催場所", "活動場所", "実施場所", "address"],
    fields: ["address"],
  },
  { words: ["緯度", "lat", "latitude"], fields: ["lat"] },
  { words: ["経度", "lng", "lon", "long", "longitude"], fields: ["lng"] },
  {
    words: [
      "日時",
      "開催日",
      "活動日",
      "開催日時",
      "活動日時",
      "曜日",
      "時間",
      "開催時間",
      "活動時間",
      "営業時間",
      "開館時間",
      "日程",
      "頻度",
      "開催頻度",
      "スケジュール",
      "scheduletext",
      "schedule",
    ],
    fields: ["scheduleText"],
  },
  { words: ["電話", "電話番号", "tel", "連絡先", "phone"], fields: ["phone"] },
  {
    words: ["メール", "メールアドレス", "eメール", "電子メール", "e-mail", "email", "mail"],
    fields: ["email"],
  },
  {
    words: ["url", "ホームページ", "hp", "ウェブサイト", "webサイト", "サイト", "web", "website"],
    fields: ["url"],
  },
  {
    words: ["対象", "対象者", "利用対象", "参加資格", "参加条件", "利用条件", "eligibility"],
    fields: ["eligibility"],
  },
  {
    words: ["参加費", "費用", "料金", "利用料", "利用料金", "会費", "金額", "fees", "fee"],
    fields: ["fees"],
  },
  { words: ["状態", "状況", "活動状況", "ステータス", "status"], fields: ["status"] },
  {
    words: ["公開", "公開範囲", "公開区分", "公開設定", "公開可否", "visibility"],
    fields: ["visibility"],
  },
];

const fold = (text: string) => foldForMatch(text).folded.join("");
/** A folded header without notes in brackets and marks: 電話番号（代表）※ → 電話番号, ﾒｰﾙ → めーる. */
const foldHeader = (header: string) =>
  fold(header)
    .replace(/[([{【〔［｛<＜《「『][^)\]}】〕］｝>＞》」』]*[)\]}】〕］｝>＞》」』]/g, "")
    .replace(/[※*＊:：]/g, "")
    .replace(/ー+$/u, "");

const ASCII_WORD = /^[a-z-]+$/;
const HEADER_INDEX = HEADER_WORDS.flatMap(({ words, fields }) =>
  words.map((word) => ({ word: foldHeader(word), fields })),
);
const EXACT = new Map(HEADER_INDEX.map((h) => [h.word, h.fields] as const));

/** The fields a header may mean, best first: an exact word, else the word ending last in it. */
function headerFields(header: string): ImportField[] {
  const h = foldHeader(header);
  if (!h) return [];
  const exact = EXACT.get(h);
  if (exact) return exact;
  let best: { end: number; length: number; fields: ImportField[] } | null = null;
  for (const { word, fields } of HEADER_INDEX) {
    if (ASCII_WORD.test(word)) {
      // Latin words only as whole words: "hp" not inside "shop".
      const m = new RegExp(`(^|[^a-z])${word.replace(/-/g, "\\-")}($|[^a-z])`).exec(h);
      if (!m) continue;
      const end = m.index + m[0].length - m[2]!.length;
      if (!best || end > best.end || (end === best.end && word.length > best.length))
        best = { end, length: word.length, fields };
      continue;
    }
    const at = h.lastIndexOf(word);
    if (at < 0) continue;
    // In a Japanese compound the last word is its head: 対象地区 is an area, not eligibility.
    const end = at + word.length;
    if (!best || end > best.end || (end === best.end && word.length > best.length))
      best = { end, length: word.length, fields };
  }
  return best?.fields ?? [];
}

/**
 * A first guess of the mapping from the header row: common 社協 header words (名称, 住所, 電話番号,
 * 地区, 活動内容, 開催日, 対象, 参加費, 緯度/経度, メール, ホームページ, 分類, タグ …) and the
 * English field names, insensitive to width and kana (ﾒｰﾙ = メール = めーる) and to notes in
 * brackets (電話番号（代表）). Each field gets at most one column: the first that asks for it.
 */
export function guessMapping(headers: string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const taken = new Set<ImportField>();
  headers.forEach((header, index) => {
    const field = headerFields(header).find((f) => !taken.has(f)) ?? null;
    if (field) taken.add(field);
    mapping[index] = field;
  });
  return mapping;
}

// ---------------------------------------------------------------------------------------------
// Values

/** The Japanese labels of the categories (as in app/i18n/ja.ts, `seeds.category.*`). */
export const CATEGORY_LABELS: Record<Category, string> = {
  place: "場所",
  activity: "活動",
  event: "行事",
  person_skill: "人・特技",
  need: "困りごと・ニーズ",
  idea: "アイデア",
  shop: "お店",
  nature: "自然",
  other: "その他",
};

export const STATUS_LABELS: Record<ResourceStatus, string> = {
  active: "活動中",
  to_verify: "要確認",
  inactive: "休止中",
  closed: "終了",
};

export const VISIBILITY_LABELS: Record<ResourceVisibility, string> = {
  staff: "スタッフのみ",
  public: "公開",
};

/** Folded value without separators, for comparing cell values with labels. */
const foldValue = (text: string) => fold(text).replace(/[・･、,，/／_\-－]/g, "");

function lookup<T extends string>(entries: Array<[T, string[]]>): Map<string, T> {
  const map = new Map<string, T>();
  for (const [value, words] of entries) for (const w of words) map.set(foldValue(w), value);
  return map;
}

const CATEGORY_VALUES = lookup<Category>(
  SEED_CATEGORIES.map((c) => {
    const extra: Partial<Record<Category, string[]>> = {
      place: ["施設", "居場所"],
      event: ["イベント"],
      person_skill: ["人", "特技", "人材"],
      need: ["困りごと", "ニーズ"],
      shop: ["店", "店舗"],
    };
    return [c, [c, CATEGORY_LABELS[c], ...(extra[c] ?? [])]];
  }),
);

const STATUS_VALUES = lookup<ResourceStatus>([
  ["active", ["active", "活動中", "活動", "実施中", "開催中", "営業中"]],
  ["to_verify", ["to_verify", "to verify", "要確認", "未確認", "確認中"]],
  ["inactive", ["inactive", "休止", "休止中", "休会", "休会中", "中止"]],
  ["closed", ["closed", "終了", "閉鎖", "廃止", "解散", "閉店", "閉所"]],
]);

const VISIBILITY_VALUES = lookup<ResourceVisibility>([
  ["public", ["public", "公開", "一般公開", "公開可", "可", "○", "〇", "はい", "yes"]],
  [
    "staff",
    [
      "staff",
      "スタッフのみ",
      "職員のみ",
      "非公開",
      "内部",
      "内部のみ",
      "不可",
      "×",
      "いいえ",
      "no",
    ],
  ],
]);

/** Tags and aliases: split on 、 , ， ／ / and line breaks; trimmed, NFKC, without repeats. */
function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[、,，／/\n]+/)
        .map((t) => t.normalize("NFKC").trim())
        .filter(Boolean),
    ),
  ];
}

const DASHES = /[‐‑‒–—―−ｰー－]/g;

/** The fields whose forms are textareas. */
const MULTILINE_FIELDS = new Set<string>(["description", "eligibility", "fees"]);

// Limits as in the resource form (app/models/resources.server.ts).
const MAX = {
  name: 100,
  aliases: 20,
  tags: 20,
  description: 2000,
  area: 100,
  organization: 200,
  address: 300,
  scheduleText: 500,
  phone: 50,
  email: 200,
  url: 500,
  eligibility: 500,
  fees: 500,
} as const;

// ---------------------------------------------------------------------------------------------
// The preview

/** A resource as read from one row: the `Resource` fields that a file can give. */
export type ImportedResource = Omit<
  Resource,
  "id" | "createdAt" | "updatedAt" | "verifiedOn" | "verifiedHow"
>;

export interface ImportPreviewRow {
  /** The 1-based line of the file the row starts on. */
  line: number;
  /** The resource the row gives, or null when it has errors. */
  input: ImportedResource | null;
  /** What is wrong, in Japanese; the row is not imported while there are any. */
  errors: string[];
  /** What was assumed (an unknown category → the default), in Japanese; the row is still fine. */
  warnings: string[];
  /** Same folded name and area as a resource already stored, or as an earlier row of the file. */
  duplicate: "existing" | "in_file" | null;
}

export interface ImportPreview {
  rows: ImportPreviewRow[];
  /** ok: no error and no duplicate; errors: rows with errors; duplicates: error-free duplicates. */
  counts: { ok: number; errors: number; duplicates: number };
}

export interface ImportPreviewOptions {
  /** `resourceDuplicateKey(name, area)` of every resource already in the database. */
  existingKeys: Set<string>;
  /** The area of rows without one (or when no column is mapped to the area). */
  defaultArea?: string;
  /** The category of rows without one, or with one that is not known. Default "other". */
  defaultCategory?: Category;
}

/** The key two resources share when they are the same: folded name (ｶﾌｪ = カフェ) + area. */
export function resourceDuplicateKey(name: string, area: string): string {
  return searchKey(name) + "\u0000" + area.trim();
}

const MULTILINE: ReadonlySet<ImportField> = new Set([
  "description",
  "scheduleText",
  "eligibility",
  "fees",
]);

/** The cell text of each mapped field; two columns on one field are joined (lists merged). */
function collect(cells: string[], mapping: ColumnMapping): Map<ImportField, string> {
  const values = new Map<ImportField, string>();
  for (const [key, field] of Object.entries(mapping)) {
    if (!field) continue;
    const cell = (cells[Number(key)] ?? "").trim();
    if (!cell) continue;
    const before = values.get(field);
    if (before === undefined) values.set(field, cell);
    else if (field === "tags" || field === "aliases") values.set(field, `${before}、${cell}`);
    else if (MULTILINE.has(field)) values.set(field, `${before}\n${cell}`);
    else if (field === "address" || field === "organization")
      values.set(field, `${before} ${cell}`);
    // Other fields hold one value: the first column wins.
  }
  return values;
}

function coordinate(
  raw: string | undefined,
  label: string,
  min: number,
  max: number,
  errors: string[],
): number | null {
  const s = (raw ?? "").normalize("NFKC").replace(DASHES, "-").trim();
  if (!s) return null;
  const n = Number(s);
  if (!/^[-+]?\d+(\.\d+)?$/.test(s) || !Number.isFinite(n) || n < min || n > max) {
    errors.push(`${label}は ${min}〜${max} の数で入力してください（「${raw}」）。`);
    return null;
  }
  return Math.round(n * 1e6) / 1e6;
}

function rowPreview(
  row: CsvRow,
  mapping: ColumnMapping,
  options: ImportPreviewOptions,
): { input: ImportedResource | null; errors: string[]; warnings: string[] } {
  const v = collect(row.cells, mapping);
  const errors: string[] = [];
  const warnings: string[] = [];
  const text = (field: keyof typeof MAX & ImportField, label: string): string => {
    const value = v.get(field) ?? "";
    const max = MAX[field];
    if (codePointLength(value) > max)
      errors.push(
        `${label}が長すぎます（${max}文字まで、${codePointLength(value)}文字あります）。`,
      );
    // The forms' rule (decision 030); the long texts may span lines, as in their forms.
    if (hasForbiddenCharacters(value, { multiline: MULTILINE_FIELDS.has(field) }))
      errors.push(`${label}に使えない文字（制御文字、文字の向きを変える記号など）があります。`);
    return value;
  };
  const list = (field: "tags" | "aliases", label: string): string[] => {
    const items = splitList(v.get(field) ?? "");
    if (items.length > MAX[field])
      errors.push(`${label}が多すぎます（${MAX[field]}個まで、${items.length}個あります）。`);
    return items;
  };

  const name = text("name", "名称");
  if (!name) errors.push("名称がありません。");
  const area =
    v.get("area") !== undefined ? text("area", "地区") : (options.defaultArea ?? "").trim();

  const lat = coordinate(v.get("lat"), "緯度", -90, 90, errors);
  const lng = coordinate(v.get("lng"), "経度", -180, 180, errors);
  // A bad number has its own error; a missing one is this error.
  if (v.has("lat") !== v.has("lng")) errors.push("緯度と経度は両方入れるか、両方空けてください。");

  const phone = text("phone", "電話").normalize("NFKC").replace(DASHES, "-");
  if (phone && !/^[0-9+()\-\s]{6,}$/.test(phone))
    errors.push(`電話番号は数字とハイフンで入力してください（「${phone}」）。`);
  const email = text("email", "メール").normalize("NFKC");
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    errors.push(`メールアドレスの形が正しくありません（「${email}」）。`);
  const url = text("url", "URL").normalize("NFKC");
  if (url && !/^https?:\/\/[^\s]+$/.test(url))
    errors.push(`URLは http:// か https:// で始めてください（「${url}」）。`);

  const defaultCategory = options.defaultCategory ?? "other";
  const categoryText = v.get("category") ?? "";
  let category = defaultCategory;
  if (categoryText) {
    const found = CATEGORY_VALUES.get(foldValue(categoryText));
    if (found) category = found;
    else
      warnings.push(
        `種類「${categoryText}」は分からないため「${CATEGORY_LABELS[defaultCategory]}」にします。`,
      );
  }
  const statusText = v.get("status") ?? "";
  let status: ResourceStatus = "to_verify";
  if (statusText) {
    const found = STATUS_VALUES.get(foldValue(statusText));
    if (found) status = found;
    else
      warnings.push(
        `状態「${statusText}」は分からないため「${STATUS_LABELS.to_verify}」にします。`,
      );
  }
  const visibilityText = v.get("visibility") ?? "";
  let visibility: ResourceVisibility = "staff";
  if (visibilityText) {
    const found = VISIBILITY_VALUES.get(foldValue(visibilityText));
    if (found) visibility = found;
    else
      warnings.push(
        `公開範囲「${visibilityText}」は分からないため「${VISIBILITY_LABELS.staff}」にします。`,
      );
  }

  const input: ImportedResource = {
    name,
    aliases: list("aliases", "別名"),
    description: text("description", "説明"),
    category,
    tags: list("tags", "タグ"),
    area,
    organization: text("organization", "運営団体"),
    address: text("address", "住所"),
    lat,
    lng,
    scheduleText: text("scheduleText", "日時"),
    schedule: [],
    phone,
    email,
    url,
    eligibility: text("eligibility", "対象"),
    fees: text("fees", "費用"),
    status,
    visibility,
  };
  return { input: errors.length ? null : input, errors, warnings };
}

/**
 * The preview of an import: each data row (header excluded) read with the mapping and checked —
 * name required (≤ 100 characters), lat/lng numbers in range and both or neither, e-mail shape,
 * http(s) URL, phone digits, the form's length limits — with Japanese errors naming the value.
 * Category, status and visibility are read from Japanese labels or the English codes; empty or
 * unknown → the default category, `to_verify`, `staff` (unknown ones with a warning). Rows whose
 * folded name + area (`resourceDuplicateKey`) is already stored, or appeared on an earlier
 * error-free row, are marked as duplicates. Nothing is written here.
 */
export function buildImportPreview(
  rows: CsvRow[],
  mapping: ColumnMapping,
  options: ImportPreviewOptions,
): ImportPreview {
  const seen = new Set<string>();
  const counts = { ok: 0, errors: 0, duplicates: 0 };
  const out: ImportPreviewRow[] = rows.map((row) => {
    const { input, errors, warnings } = rowPreview(row, mapping, options);
    let duplicate: ImportPreviewRow["duplicate"] = null;
    if (input) {
      const key = resourceDuplicateKey(input.name, input.area);
      if (options.existingKeys.has(key)) duplicate = "existing";
      else if (seen.has(key)) duplicate = "in_file";
      seen.add(key);
    }
    if (errors.length) counts.errors++;
    else if (duplicate) counts.duplicates++;
    else counts.ok++;
    return { line: row.line, input, errors, warnings, duplicate };
  });
  return { rows: out, counts };
}

/**
 * Convenience for the upload step: decode, parse, split off the header and guess the mapping.
 * Throws `CsvFormatError` for unreadable CSV and for a file without any row.
 */
export function readCsvFile(bytes: Uint8Array): {
  encoding: CsvEncoding;
  headers: string[];
  rows: CsvRow[];
  mapping: ColumnMapping;
} {
  const { text, encoding } = decodeCsvBytes(bytes);
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new CsvFormatError("ファイルに行がありません。", null);
  const headers = header.cells.map((h) => h.trim());
  return { encoding, headers, rows, mapping: guessMapping(headers) };
}
