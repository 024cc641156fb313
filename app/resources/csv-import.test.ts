import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ja } from "~/i18n/ja";
import { SEED_CATEGORIES } from "~/utils/seed-categories";
import {
  CATEGORY_LABELS,
  CsvFormatError,
  buildImportPreview,
  decodeCsvBytes,
  guessMapping,
  parseCsv,
  readCsvFile,
  resourceDuplicateKey,
} from "./csv-import";

const fixture = (name: string) =>
  new Uint8Array(readFileSync(join(__dirname, "../../test/fixtures/resources", name)));

const none = { existingKeys: new Set<string>() };

describe("decodeCsvBytes", () => {
  it("detects Shift_JIS (CP932) and reads Japanese headers and CP932 characters", () => {
    const { text, encoding } = decodeCsvBytes(fixture("sjis-excel.csv"));
    expect(encoding).toBe("shift_jis");
    expect(text.startsWith("名称,地区,住所,電話番号,活動内容,開催日,")).toBe(true);
    expect(text).toContain("10:00～12:00");
    expect(text).toContain("①毎朝");
    expect(text).toContain("ｶﾌｪ ひだまり");
    expect(text).not.toContain("\uFFFD");
  });

  it("detects UTF-8 with a BOM and leaves the BOM out of the text", () => {
    const { text, encoding } = decodeCsvBytes(fixture("utf8-bom.csv"));
    expect(encoding).toBe("utf-8-bom");
    expect(text.startsWith("団体名,")).toBe(true);
  });

  it("detects UTF-8 without a BOM", () => {
    const { text, encoding } = decodeCsvBytes(fixture("utf8-plain.csv"));
    expect(encoding).toBe("utf-8");
    expect(text.startsWith("name,area,")).toBe(true);
  });

  it("reads plain ASCII as UTF-8", () => {
    expect(decodeCsvBytes(new TextEncoder().encode("a,b\r\n")).encoding).toBe("utf-8");
  });
});

describe("parseCsv", () => {
  it("keeps quoted newlines, commas and quotes in one cell and numbers rows by their line", () => {
    const rows = parseCsv('a,b\r\n1,"x\r\ny, ""z"""\r\n2,3\r\n');
    expect(rows).toEqual([
      { line: 1, cells: ["a", "b"] },
      { line: 2, cells: ["1", 'x\r\ny, "z"'] },
      { line: 4, cells: ["2", "3"] },
    ]);
  });

  it("tolerates mixed line ends, blank rows, Excel's empty ',,' rows and trailing empty lines", () => {
    const rows = parseCsv("a,b\n1,2\r\n\r\n,,\r3,4\n\n\n");
    expect(rows.map((r) => [r.line, r.cells])).toEqual([
      [1, ["a", "b"]],
      [2, ["1", "2"]],
      [5, ["3", "4"]],
    ]);
  });

  it("counts lines after multi-byte text correctly", () => {
    const rows = parseCsv('名前,説明\n𠮷野家,"一行目\n二行目\n三行目"\nひばり,x');
    expect(rows.map((r) => r.line)).toEqual([1, 2, 5]);
  });

  it("reports an unclosed quote in Japanese with its line", () => {
    expect(() => parseCsv('a,b\n1,"x\n2,3\n')).toThrow(CsvFormatError);
    try {
      parseCsv('a,b\n1,"x\n2,3\n');
    } catch (error) {
      expect((error as CsvFormatError).message).toMatch(/引用符.*閉じられていません/);
    }
  });
});

describe("guessMapping", () => {
  it("maps the headers of a 社協 list", () => {
    const headers =
      "名称,地区,住所,電話番号,活動内容,開催日,対象,参加費,緯度,経度,分類,タグ,公開".split(",");
    expect(Object.values(guessMapping(headers))).toEqual([
      "name",
      "area",
      "address",
      "phone",
      "description",
      "scheduleText",
      "eligibility",
      "fees",
      "lat",
      "lng",
      "category",
      "tags",
      "visibility",
    ]);
  });

  it("is insensitive to width and kana and ignores notes in brackets", () => {
    const mapping = guessMapping([
      "団体名",
      "所在地",
      "ＴＥＬ",
      "ﾒｰﾙｱﾄﾞﾚｽ",
      "ホームページ",
      "かてごりー",
      "ｷｰﾜｰﾄﾞ",
      "地域",
      "日時",
      "費用（円）",
      "説明※",
    ]);
    expect(Object.values(mapping)).toEqual([
      "name",
      "address",
      "phone",
      "email",
      "url",
      "category",
      "tags",
      "area",
      "scheduleText",
      "fees",
      "description",
    ]);
  });

  it("gives each field one column, moves 団体名 to the organisation, leaves unknown columns out", () => {
    const mapping = guessMapping(["活動名", "団体名", "名前", "備考", "FAX", "代表者", "対象地区"]);
    expect(mapping).toEqual({
      0: "name",
      1: "organization",
      2: null,
      3: null,
      4: null,
      5: null,
      6: "area",
    });
  });

  it("maps the English field codes", () => {
    const mapping = guessMapping(["name", "area", "lat", "lng", "scheduleText", "visibility"]);
    expect(Object.values(mapping)).toEqual([
      "name",
      "area",
      "lat",
      "lng",
      "scheduleText",
      "visibility",
    ]);
  });
});

describe("buildImportPreview", () => {
  it("refuses control characters and direction overrides as the forms do (decision 030)", () => {
    const text =
      '名称,地区,活動内容\r\n"公民館\u202e港",北部,"一行目\n二行目"\r\nサロン,北部,"説明\u0000"\r\n';
    const [header, ...rows] = parseCsv(text);
    const mapping = guessMapping(header!.cells);
    const preview = buildImportPreview(rows, mapping, none);
    expect(preview.rows[0]!.errors).toEqual([expect.stringMatching(/^名称に使えない文字/)]);
    expect(preview.rows[1]!.errors).toEqual([expect.stringMatching(/に使えない文字/)]);
    expect(preview.counts.errors).toBe(2);
  });

  it("reads a Shift_JIS Excel list: one bad row with its line and a Japanese error, the rest ok", () => {
    const file = readCsvFile(fixture("sjis-excel.csv"));
    expect(file.encoding).toBe("shift_jis");
    const existingKeys = new Set([resourceDuplicateKey("カフェひだまり", "みどり地区")]);
    const preview = buildImportPreview(file.rows, file.mapping, { existingKeys });

    expect(preview.rows.map((r) => r.line)).toEqual([2, 3, 5, 6, 7]);
    expect(preview.counts).toEqual({ ok: 3, errors: 1, duplicates: 1 });

    const bad = preview.rows.find((r) => r.errors.length > 0)!;
    expect(bad.line).toBe(6);
    expect(bad.input).toBeNull();
    expect(bad.errors).toEqual([expect.stringMatching(/^緯度は -90〜90 の数で.*「999」/)]);

    const [hibari, hall, taiso] = preview.rows;
    expect(hibari!.input).toMatchObject({
      name: "ひばりサロン",
      area: "みどり地区",
      address: "架空町みどり1-2-3",
      phone: "000-0000-0001",
      description: "お茶とおしゃべり",
      scheduleText: "毎週水曜 10:00～12:00",
      schedule: [],
      eligibility: "どなたでも",
      fees: "100円",
      lat: 34.6101,
      lng: 136.1001,
      category: "activity",
      tags: ["サロン", "お茶"],
      status: "to_verify",
      visibility: "public",
    });
    expect(hall!.input).toMatchObject({
      description: "会議室の貸し出し\r\n（予約制）",
      category: "place",
      tags: [],
      visibility: "staff",
    });
    expect(taiso!.input).toMatchObject({ lat: null, lng: null, tags: ["体操", "健康"] });

    // ｶﾌｪ ひだまり is the stored カフェひだまり.
    const cafe = preview.rows[4]!;
    expect(cafe.input?.name).toBe("ｶﾌｪ ひだまり");
    expect(cafe.duplicate).toBe("existing");
    expect(cafe.input?.visibility).toBe("staff");
  });

  it("reads a UTF-8 file with a BOM: quoted newlines, quotes, labels of category and status", () => {
    const file = readCsvFile(fixture("utf8-bom.csv"));
    expect(file.encoding).toBe("utf-8-bom");
    expect(file.headers[0]).toBe("団体名");
    const preview = buildImportPreview(file.rows, file.mapping, none);
    expect(preview.counts).toEqual({ ok: 2, errors: 0, duplicates: 0 });
    expect(preview.rows.map((r) => r.line)).toEqual([2, 4]);
    expect(preview.rows[0]!.input).toMatchObject({
      name: "みどり見守り隊",
      description: "見守りと声かけ\r\n毎朝の登校時",
      category: "person_skill",
      email: "mimamori@example.org",
      url: "https://example.org/mimamori",
      status: "active",
      visibility: "public",
    });
    expect(preview.rows[1]!.input).toMatchObject({
      description: 'みんなで"いただきます"',
      category: "need",
      tags: ["食事", "子ども"],
      status: "to_verify",
      visibility: "staff",
    });
  });

  it("reads a UTF-8 file without a BOM and finds the same café twice in it (ｶﾌｪ = カフェ)", () => {
    const file = readCsvFile(fixture("utf8-plain.csv"));
    expect(file.encoding).toBe("utf-8");
    const preview = buildImportPreview(file.rows, file.mapping, none);
    expect(preview.rows.map((r) => [r.line, r.duplicate])).toEqual([
      [2, null],
      [3, "in_file"],
      [4, null],
    ]);
    expect(preview.counts).toEqual({ ok: 2, errors: 0, duplicates: 1 });
    expect(preview.rows[0]!.input).toMatchObject({
      category: "shop",
      status: "active",
      visibility: "public",
    });
    expect(preview.rows[2]!.input).toMatchObject({
      category: "nature",
      status: "inactive",
      visibility: "staff",
    });
  });

  it("checks names, coordinates, e-mail, URL and phone with Japanese messages", () => {
    const rows = parseCsv(
      [
        "名称,緯度,経度,メール,URL,電話",
        ",,,,,",
        "a,34.5,,,,",
        "b,north,135,,,",
        "c,,,no-at-sign,,",
        "d,,,,ftp://example.org,",
        "e,,,,,お問い合わせください",
        `${"長".repeat(101)},,,,,`,
        "f,３４．５,１３５．１,a@example.org,https://example.org,０１２０ー０００ー０００",
      ].join("\n"),
    ).slice(1);
    const preview = buildImportPreview(
      rows,
      guessMapping(["名称", "緯度", "経度", "メール", "URL", "電話"]),
      none,
    );
    const errors = preview.rows.map((r) => [r.line, r.errors]);
    expect(errors).toEqual([
      [3, ["緯度と経度は両方入れるか、両方空けてください。"]],
      [4, [expect.stringMatching(/^緯度は -90〜90 の数で/)]],
      [5, [expect.stringMatching(/^メールアドレスの形が正しくありません/)]],
      [6, [expect.stringMatching(/^URLは http:\/\/ か https:\/\/ で始めて/)]],
      [7, [expect.stringMatching(/^電話番号は数字とハイフンで/)]],
      [8, ["名称が長すぎます（100文字まで、101文字あります）。"]],
      [9, []],
    ]);
    // Row 2 (",,,,,") is blank and left out; full-width numbers and a ー in the phone are read.
    expect(preview.rows[6]!.input).toMatchObject({ lat: 34.5, lng: 135.1, phone: "0120-000-000" });
    expect(preview.counts).toEqual({ ok: 1, errors: 6, duplicates: 0 });
  });

  it("requires a name", () => {
    const preview = buildImportPreview(
      [{ line: 2, cells: ["", "x"] }],
      { 0: "name", 1: "area" },
      none,
    );
    expect(preview.rows[0]!.errors).toEqual(["名称がありません。"]);
  });

  it("uses the default area and category, and warns about unknown categories and statuses", () => {
    const rows = [
      { line: 2, cells: ["ひばり", "", "謎の分類", "たぶん"] },
      { line: 3, cells: ["ヒバリ", "", "イベント", "休止"] },
    ];
    const mapping = { 0: "name", 1: "area", 2: "category", 3: "status" } as const;
    const preview = buildImportPreview(rows, mapping, {
      existingKeys: new Set(),
      defaultArea: "さくら地区",
      defaultCategory: "activity",
    });
    expect(preview.rows[0]!.input).toMatchObject({
      area: "さくら地区",
      category: "activity",
      status: "to_verify",
    });
    expect(preview.rows[0]!.warnings).toEqual([
      "種類「謎の分類」は分からないため「活動」にします。",
      "状態「たぶん」は分からないため「要確認」にします。",
    ]);
    expect(preview.rows[1]!.input).toMatchObject({ category: "event", status: "inactive" });
    // ひばり and ヒバリ in the same (default) area are one resource.
    expect(preview.rows[1]!.duplicate).toBe("in_file");
  });

  it("joins two columns mapped to one list field, splitting on 、 , ／ /", () => {
    const preview = buildImportPreview(
      [{ line: 2, cells: ["x", "a、b,c", "c／d/e"] }],
      { 0: "name", 1: "tags", 2: "tags" },
      none,
    );
    expect(preview.rows[0]!.input?.tags).toEqual(["a", "b", "c", "d", "e"]);
  });
});

describe("resourceDuplicateKey", () => {
  it("folds the name and trims the area", () => {
    expect(resourceDuplicateKey("ｶﾌｪ ひだまり", " みどり地区 ")).toBe(
      resourceDuplicateKey("カフェひだまり", "みどり地区"),
    );
    expect(resourceDuplicateKey("カフェ", "みどり地区")).not.toBe(
      resourceDuplicateKey("カフェ", "さくら地区"),
    );
  });
});

describe("CATEGORY_LABELS", () => {
  it("are the labels of the screens (seeds.category.* in ja.ts)", () => {
    for (const c of SEED_CATEGORIES)
      expect(CATEGORY_LABELS[c]).toBe(ja[`seeds.category.${c}` as keyof typeof ja]);
  });
});
