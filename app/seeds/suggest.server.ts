/**
 * Candidate seeds (社会的処方のタネ) in an approved diary text, for staff to accept or dismiss.
 * Two sources:
 *
 * - autolink: names and aliases of things staff already know (resources, accepted seeds) found
 *   again, matched through app/utils/kana-fold (kana, width, 々, okurigana, case, spaces);
 * - discovery: phrases that look like local resources, found with the kuromoji morphological
 *   analyser (IPADIC, loaded once from node_modules) and rules about how diary writers name
 *   places, groups, shops, times, people's skills and wants.
 *
 * Offsets are Unicode code points into the NFC-normalised text. Responsible for proposing spans
 * and a category; not for storing them, nor for deciding whether they are right — staff do.
 */
import { createRequire } from "node:module";
import path from "node:path";
import kuromoji from "kuromoji";
import { foldForSearch, indexesOfSeq, originalSpan, searchKey } from "~/utils/kana-fold";
import { SEED_CATEGORIES } from "~/utils/seed-categories";

export { SEED_CATEGORIES };
export type SeedCategory = (typeof SEED_CATEGORIES)[number];

export interface SeedSuggestion {
  /** Code-point offsets into the NFC-normalised text. */
  start: number;
  end: number;
  text: string;
  category: SeedCategory;
  source: "autolink" | "discovery";
}

export interface KnownName {
  name: string;
  aliases: string[];
  category: SeedCategory;
}

export interface SuggestOptions {
  known?: KnownName[];
}

type Tokenizer = kuromoji.Tokenizer<kuromoji.IpadicFeatures>;

const require = createRequire(import.meta.url);
let tokenizerPromise: Promise<Tokenizer> | null = null;

/** The tokenizer, built once per process from the dictionary bundled with the kuromoji package. */
export function loadSeedTokenizer(): Promise<Tokenizer> {
  tokenizerPromise ??= new Promise<Tokenizer>((resolve, reject) => {
    const dicPath = path.join(path.dirname(require.resolve("kuromoji/package.json")), "dict");
    kuromoji.builder({ dicPath }).build((error, tokenizer) => {
      if (error) {
        tokenizerPromise = null;
        reject(error);
      } else resolve(tokenizer);
    });
  });
  return tokenizerPromise;
}

export async function suggestSeeds(
  text: string,
  options: SuggestOptions = {},
): Promise<SeedSuggestion[]> {
  return suggestSeedsWith(await loadSeedTokenizer(), text, options);
}

// ---------------------------------------------------------------------------------------------
// Lexicon of head words: what the last word of a noun phrase says about what it names. These are
// kinds of things (a 公園, a 教室, a 屋), never the names of particular ones.

const HEADS: Array<[SeedCategory, string[]]> = [
  [
    "activity",
    [
      "クラブ",
      "倶楽部",
      "サークル",
      "教室",
      "食堂",
      "サロン",
      "講座",
      "体操",
      "つどい",
      "集い",
      "の会",
      "同好会",
      "愛好会",
      "勉強会",
      "交流会",
      "読み聞かせ",
      "ボランティア",
      "ヨガ",
      "太極拳",
      "将棋",
      "囲碁",
      "合唱",
      "カラオケ",
      "ゲートボール",
      "グラウンドゴルフ",
      "子ども会",
      "自治会",
      "老人会",
      "寺子屋",
      "学習会",
      "広場",
      "見守り",
      "グループ",
      "合唱団",
      "楽団",
      "劇団",
      "パトロール",
      "ごみ拾い",
      "ゴミ拾い",
    ],
  ],
  [
    "event",
    [
      "祭り",
      "まつり",
      "祭",
      "朝市",
      "マルシェ",
      "フリマ",
      "フリーマーケット",
      "バザー",
      "大会",
      "発表会",
      "運動会",
      "説明会",
      "展示会",
      "展覧会",
      "作品展",
      "コンサート",
      "盆踊り",
    ],
  ],
  [
    "shop",
    [
      "屋",
      "店",
      "カフェ",
      "喫茶",
      "書房",
      "書店",
      "商店",
      "銭湯",
      "湯",
      "販売",
      "ベーカリー",
      "パン屋",
      "食堂屋",
      "薬局",
      "直売所",
      "売店",
    ],
  ],
  [
    "place",
    [
      "公園",
      "神社",
      "寺",
      "公民館",
      "図書館",
      "児童館",
      "体育館",
      "会館",
      "集会所",
      "センター",
      "団地",
      "商店街",
      "土手",
      "河原",
      "川原",
      "河川敷",
      "池",
      "縁側",
      "室",
      "館",
      "保健室",
      "農園",
      "菜園",
      "畑",
      "田んぼ",
      "森",
      "林",
      "山",
      "川沿い",
      "遊歩道",
      "散歩道",
      "旧道",
      "石畳",
      "坂道",
      "広場",
      "港",
      "浜",
      "海岸",
      "駅前",
      "空き家",
      "空き地",
      "ホール",
      "グラウンド",
      "プール",
      "キャンプ場",
      "運動場",
      "倉庫",
      "作業所",
      "事業所",
      "釣り堀",
      "工房",
      "アトリエ",
      "道場",
      "スタジオ",
      "教会",
      "境内",
      "植物園",
      "動物園",
      "果樹園",
      "牧場",
      "堤防",
    ],
  ],
  [
    "nature",
    [
      "並木",
      "花",
      "木",
      "桜",
      "梅",
      "藤",
      "紅葉",
      "蛍",
      "ホタル",
      "鳥",
      "虫",
      "草",
      "竹林",
      "田園",
      "夕日",
      "夕焼け",
      "星空",
      "野鳥",
      "小川",
      "滝",
      "里山",
      "雑木林",
      "景色",
      "ひまわり",
      "あじさい",
      "紫陽花",
      "コスモス",
      "菜の花",
      "イチョウ",
      "銀杏",
      "朝日",
      "朝焼け",
      "虹",
      "夜景",
      "棚田",
      "新緑",
      "天の川",
      "流れ星",
    ],
  ],
  ["person_skill", ["師", "士", "職人", "大工", "名人", "名手"]],
];

// Suffix lookup, longest suffix first, so 商店街 is a place before 店 makes it a shop.
const HEAD_LIST = HEADS.flatMap(([category, words]) => words.map((w) => ({ w, category }))).sort(
  (a, b) => b.w.length - a.w.length,
);

function headCategory(word: string): SeedCategory | null {
  if (/同士$|紳士$|部屋$|母屋$|楽屋$/u.test(word)) return null;
  for (const { w, category } of HEAD_LIST) if (word.endsWith(w)) return category;
  return null;
}

// Nouns naming people or the writer's own circle: they end a noun phrase (私の, 母の, ゲンさん).
const PERSON_WORDS =
  /^(私|僕|俺|自分|うち|母|父|祖母|祖父|息子|娘|夫|妻|子|子ども|子供|家族|友達|友人|人|方|皆|みんな|先生|おばちゃん|おじちゃん|おばあちゃん|おじいちゃん|みなさん|今日|昨日|明日|今|最近|今年|去年|来年|今月|来月|先月|今週|来週|先週|毎日|毎朝|日記|話|こと|もの|ため|よう|とき|時|頃|ころ)$/;

// ---------------------------------------------------------------------------------------------

interface Tok {
  surface: string;
  pos: string;
  pos1: string;
  pos2: string;
  basic: string;
  /** Code-point offsets in the compact text (line breaks removed). */
  start: number;
  end: number;
  /** A 「…」 that reads as a name, folded into one noun token. */
  quoteName?: boolean;
}

interface Candidate {
  start: number;
  end: number;
  category: SeedCategory;
  rank: number;
}

const CLAUSE_END = /[。！？!?]/u;

/** Suggestions for one text with a tokenizer already loaded. */
export function suggestSeedsWith(
  tokenizer: Tokenizer,
  input: string,
  options: SuggestOptions = {},
): SeedSuggestion[] {
  const text = input.normalize("NFC");
  const chars = Array.from(text);

  // Handwritten lines break words anywhere; analyse the text with the breaks taken out and map
  // back. `orig[i]` is the code point in `text` of compact code point i.
  const orig: number[] = [];
  const compactChars: string[] = [];
  chars.forEach((ch, i) => {
    if (ch === "\n" || ch === "\r") return;
    orig.push(i);
    compactChars.push(ch);
  });
  const compact = compactChars.join("");

  const candidates: Candidate[] = [];
  const tokens = groupQuotes(tokenize(tokenizer, compact), compactChars, tokenizer);

  nounPhrases(tokens, candidates);
  livingThings(tokens, candidates);
  timeExpressions(compact, candidates);
  personSkills(tokens, compact, candidates);
  wants(compactChars, candidates);
  skillClauses(compactChars, candidates);

  const discovered = resolve(candidates, compactChars).map((c) => {
    const start = orig[c.start]!;
    const end = orig[c.end - 1]! + 1;
    return {
      start,
      end,
      text: chars.slice(start, end).join(""),
      category: c.category,
      source: "discovery" as const,
    };
  });
  const linked = autolink(text, chars, options.known ?? []);
  // An autolinked name replaces a discovered phrase it overlaps: staff already know what it is.
  const kept = discovered.filter((d) => !linked.some((l) => l.start < d.end && d.start < l.end));
  return [...linked, ...kept].sort((a, b) => a.start - b.start || b.end - a.end);
}

function tokenize(tokenizer: Tokenizer, compact: string): Tok[] {
  const out: Tok[] = [];
  let at = 0;
  for (const t of tokenizer.tokenize(compact)) {
    const len = Array.from(t.surface_form).length;
    out.push({
      surface: t.surface_form,
      pos: t.pos,
      pos1: t.pos_detail_1,
      pos2: t.pos_detail_2,
      basic: t.basic_form,
      start: at,
      end: at + len,
    });
    at += len;
  }
  return out;
}

/**
 * A 「…」 whose content reads as a name (short, ends in a noun, no sentence punctuation) becomes a
 * single noun token; a quoted utterance (「行ってみたい」) stays as it is.
 */
function groupQuotes(tokens: Tok[], chars: string[], tokenizer: Tokenizer): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.surface !== "「" && t.surface !== "『") {
      out.push(t);
      continue;
    }
    const close = t.surface === "「" ? "」" : "』";
    let j = i + 1;
    while (j < tokens.length && tokens[j]!.surface !== close && j - i < 20) j++;
    if (j >= tokens.length || tokens[j]!.surface !== close) {
      out.push(t);
      continue;
    }
    const inner = tokens.slice(i + 1, j);
    const content = chars.slice(t.end, tokens[j]!.start).join("");
    const last = inner[inner.length - 1];
    const isName =
      inner.length > 0 &&
      content.length <= 15 &&
      !/[。！？!?、]/u.test(content) &&
      last !== undefined &&
      (last.pos === "名詞" || tokenizer.tokenize(content).every((x) => x.pos === "名詞"));
    if (!isName) {
      out.push(t);
      continue;
    }
    out.push({
      surface: chars.slice(t.start, tokens[j]!.end).join(""),
      pos: "名詞",
      pos1: "固有名詞",
      pos2: "*",
      basic: content,
      start: t.start,
      end: tokens[j]!.end,
      quoteName: true,
    });
    i = j;
  }
  return out;
}

// Gathering words that IPADIC reads as verb stems when written in kana (介護者のつどい).
const NOMINAL_KANA = new Set(["つどい", "集い", "あつまり", "集まり", "まつり", "見守り"]);

function isNounPart(t: Tok): boolean {
  if (t.quoteName || NOMINAL_KANA.has(t.surface)) return true;
  if (t.pos === "接頭詞") return true;
  if (t.pos !== "名詞") return false;
  return !["代名詞", "非自立", "副詞可能", "数"].includes(t.pos1);
}

// Public facilities: a town usually has one of each, so the bare word already names a place.
const FACILITIES =
  /^(公民館|図書館|児童館|体育館|市民会館|会館|集会所|保健室|センター|市役所|役場|駅|神社|作業所|釣り堀|教会|道場|植物園|動物園|水族館|博物館|美術館|学童|フリースクール)$/u;

/**
 * A bare kind word (お店, 川沿い) used as where the writer went (…を歩いた, …で) names no
 * particular resource; as a subject (石畳が直された) it may.
 */
function isBareKind(tokens: Tok[], unit: Unit, category: SeedCategory | null): boolean {
  const part = tokens.slice(unit.from, unit.to);
  const word = part
    .map((t) => t.surface)
    .join("")
    .replace(/^[おご]/u, "");
  if (FACILITIES.test(word) || !HEAD_LIST.some((h) => h.w === word)) return false;
  if (category === "shop") return true;
  const next = tokens[unit.to]?.surface ?? "";
  // 桜を見に行った, 夕日を眺めた: a living thing or a view as what the writer looked at.
  if (category === "nature") return /^(で|に|へ|から|まで)$/u.test(next);
  // 将棋の段, ヨガのマット: the activity as a subject, not a group that does it.
  if (category === "activity" && next === "の")
    return !/^(会|集い|つどい|集まり|教室|クラブ)/u.test(tokens[unit.to + 1]?.surface ?? "");
  return /^(を|で|に|へ|から|まで)$/u.test(next);
}

interface Unit {
  from: number; // token index
  to: number; // token index, exclusive
  category: SeedCategory | null;
  person: boolean;
  quote: boolean;
}

/** Runs of nouns (with prefixes, suffixes and name quotes), each with what its head says. */
function nounUnits(tokens: Tok[]): Unit[] {
  const units: Unit[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!isNounPart(tokens[i]!) || tokens[i]!.pos1 === "接尾") {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < tokens.length && isNounPart(tokens[j]!)) j++;
    const part = tokens.slice(i, j);
    const surface = part.map((t) => t.surface).join("");
    const last = part[part.length - 1]!;
    // The head category: the last word in the run that names a kind of resource.
    let category: SeedCategory | null = null;
    for (let k = part.length - 1; k >= 0 && !category; k--) {
      const t = part[k]!;
      const word = t.quoteName
        ? t.basic
        : part
            .slice(0, k + 1)
            .map((x) => x.surface)
            .join("");
      category = headCategory(word);
      // A suffix 会 or 市 after a noun names a gathering (読書会, 写生会) or a market (骨董市), not
      // a city (…市 after a place name).
      if (!category && t.quoteName && /会$/u.test(t.basic)) category = "activity";
      if (!category && k > 0 && !t.quoteName) {
        if (t.surface === "会" && t.pos1 === "接尾") category = "activity";
        else if (t.surface === "市" && part[k - 1]!.pos1 !== "固有名詞") category = "event";
      }
    }
    // 八百屋さん, 駄菓子屋さん: a shop called the way people call its keeper.
    const honorific = /^(さん|ちゃん)$/u.test(last.surface);
    const shopKeeper =
      honorific &&
      part.length > 1 &&
      headCategory(
        part
          .slice(0, -1)
          .map((t) => t.surface)
          .join(""),
      ) === "shop";
    const person =
      !shopKeeper &&
      (last.pos2 === "人名" ||
        honorific ||
        last.surface === "くん" ||
        PERSON_WORDS.test(surface) ||
        PERSON_WORDS.test(last.surface));
    units.push({
      from: i,
      to: j,
      category: person ? null : category,
      person,
      quote: part.some((t) => t.quoteName),
    });
    i = j;
  }
  return units;
}

// Modifiers that say only where from the writer a thing is (近所の川沿い): with a bare kind word
// they still name no particular resource.
const NEARBY = /^(近所|近く|そば|傍|隣|向かい|この辺|地元|町内)$/u;
// The writer's own home before の: うちの縁側, 自宅の庭 (うち is 非自立 to IPADIC).
const HOME = /^(うち|自宅|我が家|わが家|実家)$/u;
// Verbs of an event held somewhere: 境内で開かれる朝市, 広場でやっているマルシェ.
const HELD_VERBS = /^(開く|行う|催す|ある|やる|する)$/u;

/**
 * The unit index of a place joined to token `at` (an event or activity) by a relative clause
 * 「PLACE で 開かれる / 行われる / やっている」, or -1.
 */
function heldAt(tokens: Tok[], units: Unit[], at: number): number {
  let j = at - 1;
  let verb = false;
  while (j >= 0 && at - j <= 5) {
    const t = tokens[j]!;
    if (t.pos === "動詞" && t.pos1 === "自立") {
      if (!HELD_VERBS.test(t.basic)) return -1;
      verb = true;
    } else if (!(t.pos === "動詞" || t.pos === "助動詞" || t.surface === "て")) break;
    j--;
  }
  if (!verb || j < 1 || tokens[j]!.surface !== "で") return -1;
  const p = units.findIndex((x) => x.to === j);
  if (p < 0) return -1;
  const place = units[p]!;
  return place.category === "place" ||
    FACILITIES.test(
      tokens
        .slice(place.from, place.to)
        .map((t) => t.surface)
        .join("")
        .replace(/^[おご]/u, ""),
    )
    ? p
    : -1;
}

/**
 * Noun phrases naming a resource: a noun run whose head is a kind of place, group, shop or living
 * thing, or a quoted name, with the runs joined to it by の (川沿いの…公園, 公民館の…食堂) — up to
 * two before and one after — and a place joined by で to an activity or event (土手で…体操,
 * 境内で開かれる朝市).
 */
function nounPhrases(tokens: Tok[], out: Candidate[]) {
  const units = nounUnits(tokens);
  const linkedByNo = (a: Unit, b: Unit) => {
    if (b.from === a.to) return true; // adjacent (銭湯「…」)
    const mid = tokens.slice(a.to, b.from);
    if (mid.length === 1) return mid[0]!.surface === "の";
    // 坂の上の団地: a relative-position noun between two の.
    return (
      mid.length === 3 &&
      mid[0]!.surface === "の" &&
      mid[1]!.pos1 === "非自立" &&
      mid[2]!.surface === "の"
    );
  };
  const used = new Set<number>();
  for (let u = 0; u < units.length; u++) {
    const unit = units[u]!;
    if (used.has(u) || unit.person || (!unit.category && !unit.quote)) continue;
    let first = u;
    let last = u;
    // An event or activity held at a place: お寺の境内で開かれる朝市.
    if (unit.category === "event" || unit.category === "activity") {
      const p = heldAt(tokens, units, unit.from);
      if (p >= 0) first = p;
    }
    const anchor = first;
    // Modifiers before: 坂の上の団地, 駅裏の喫茶「…」.
    while (first > 0 && anchor - first < 2) {
      const prev = units[first - 1]!;
      const home = tokens[prev.from]!.surface === "うち" && prev.to - prev.from === 1;
      if ((prev.person && !home) || !linkedByNo(prev, units[first]!)) break;
      first--;
    }
    // Further resource words after: 公民館の調理室, 土手の桜並木, 移動販売の車.
    while (last + 1 < units.length && last - u < 2) {
      const next = units[last + 1]!;
      if (next.person || (!next.category && !next.quote) || !linkedByNo(units[last]!, next)) break;
      last++;
    }
    let category: SeedCategory | null = null;
    let quote = false;
    for (let k = first; k <= last; k++) {
      used.add(k);
      category = units[k]!.category ?? category;
      quote ||= units[k]!.quote;
    }
    // 図書館の「…」, 体育館の「…」: a name with no kind word, held at a public facility, is
    // something that happens there.
    const named = units[last]!;
    if (
      named.quote &&
      !named.category &&
      units.slice(first, last).some((x) =>
        FACILITIES.test(
          tokens
            .slice(x.from, x.to)
            .map((t) => t.surface)
            .join("")
            .replace(/^[おご]/u, ""),
        ),
      )
    )
      category = "activity";
    let endTok = units[last]!.to;
    let startTok = units[first]!.from;
    if (
      startTok >= 2 &&
      tokens[startTok - 1]!.surface === "の" &&
      HOME.test(tokens[startTok - 2]!.surface) &&
      !units.some((x) => x.to === startTok - 1)
    )
      startTok -= 2;
    const nearbyOnly = units.slice(first, u).every((x) =>
      NEARBY.test(
        tokens
          .slice(x.from, x.to)
          .map((t) => t.surface)
          .join(""),
      ),
    );
    // PLACE で ACTIVITY / EVENT: the activity or event with where it happens.
    const after = units[last + 1];
    if (
      category === "place" &&
      after &&
      (after.category === "activity" || after.category === "event") &&
      !after.quote &&
      after.from === endTok + 1 &&
      tokens[endTok]!.surface === "で"
    ) {
      used.add(last + 1);
      endTok = after.to;
      category = after.category;
    } else if (
      nearbyOnly &&
      last === u &&
      !quote &&
      startTok === units[first]!.from &&
      isBareKind(tokens, unit, category)
    )
      continue;
    out.push({
      start: tokens[startTok]!.start,
      end: tokens[endTok - 1]!.end,
      category: category ?? (quote ? "place" : "other"),
      rank: 3,
    });
  }
}

// What the writer saw living: …が咲いて, …を見つけました, …が動いていて. Plants and animals that
// are written in katakana (by convention for species names) or whose verb says they live.
const LIVING_VERBS =
  /^(咲く|咲き始める|咲き誇る|実る|鳴く|さえずる|飛ぶ|泳ぐ|跳ねる|跳ぶ|育つ|見つける|見かける|動く|いる|住む|巣立つ|舞う|光る|色づく|芽吹く|見る|撮る|眺める|聞こえる|来る|作る|生える|茂る|群れる|羽ばたく|止まる|とまる|描く|育てる|飼う|植える|摘む|拾う|採る|捕まえる|つかまえる|釣る|探す)$/u;
const ALWAYS_LIVING =
  /^(咲く|咲き始める|咲き誇る|実る|鳴く|さえずる|巣立つ|色づく|芽吹く|舞う|生える|茂る|群れる|羽ばたく)$/u;
// Verbs that say a short katakana word (カメ, コイ) is an animal the writer came across.
const MET_VERBS = /^(泳ぐ|飛ぶ|跳ねる|跳ぶ|鳴く|住む|いる|見つける|見かける)$/u;
// Where living things are met outdoors (池でカメを, 田んぼにカエルが).
const OUTDOORS =
  /(池|川|沼|田んぼ|田|畑|庭|土手|森|林|山|海|浜|水路|公園|境内|野原|草むら|花壇|川原|河原)$/u;
// What belongs to a living thing: キンモクセイの香り, カルガモの親子, ヤマユリの花.
const LIVING_PARTS = /^(香り|匂い|におい|声|鳴き声|花|実|親子|ヒナ|ひな|群れ|巣|葉|つぼみ|木)$/u;
const PART_SPAN = /^(花|実|親子|群れ|木)$/u;
const KANA_ONLY = /^[\u3041-\u3096\u30a1-\u30fa\u30fc]+$/u;
const KATAKANA = /^[\u30a1-\u30fa\u30fc]+$/u;
// Common plants and animals usually written in kanji (katakana species names need no list).
const KANJI_SPECIES =
  /^(鯉|亀|蛙|燕|雀|鶯|鴨|鷺|白鷺|蝶|蜻蛉|狸|狐|猿|鹿|猪|兎|蝉|鈴虫|椿|桃|柿|栗|蓮|菖蒲|水仙|百合|薔薇|菊|楓|欅|楠|山桜|梅|桜|藤|蛍|燕の巣)$/u;

function livingThings(tokens: Tok[], out: Candidate[]) {
  const surfaceOf = (from: number, to: number) =>
    tokens
      .slice(from, to)
      .map((t) => t.surface)
      .join("");
  const units = nounUnits(tokens);
  for (const unit of units) {
    if (unit.person || unit.quote) continue;
    const part = tokens.slice(unit.from, unit.to);
    const word = surfaceOf(unit.from, unit.to);
    const species =
      (part.every((t) => t.pos1 === "一般") && KATAKANA.test(word)) || KANJI_SPECIES.test(word);
    const len = Array.from(word).length;
    let from = unit.from;
    let to = unit.to;
    const push = () => {
      // With what the writer said about where it grows: 境内の大きなクスノキ, 庭のミカン.
      let s = from;
      if (tokens[s - 1]?.pos === "連体詞" || tokens[s - 1]?.pos === "形容詞") s--;
      if (tokens[s - 1]?.surface === "の") {
        const prev = units.find((x) => x.to === s - 1);
        if (prev && !prev.person && OUTDOORS.test(surfaceOf(prev.from, prev.to))) s = prev.from;
        else s = from;
      } else s = from;
      out.push({ start: tokens[s]!.start, end: tokens[to - 1]!.end, category: "nature", rank: 3 });
    };
    const particle = tokens[unit.to]?.surface ?? "";
    // キンモクセイの香り, カルガモの親子: a species and what belongs to it.
    const partWord = tokens[unit.to + 1];
    if (
      species &&
      len >= 2 &&
      particle === "の" &&
      partWord &&
      LIVING_PARTS.test(partWord.surface) &&
      (len >= 3 || PART_SPAN.test(partWord.surface))
    ) {
      if (PART_SPAN.test(partWord.surface)) to = unit.to + 2;
      push();
      continue;
    }
    // 庭に来るメジロ, 池にいるコイ: a species the clause before says lives there.
    const before = tokens[unit.from - 1];
    if (
      species &&
      len >= 2 &&
      before?.pos === "動詞" &&
      /^(来る|いる|住む|咲く|鳴く|飛ぶ|泳ぐ|集まる|遊ぶ)$/u.test(before.basic) &&
      /^(に|で)$/u.test(tokens[unit.from - 2]?.surface ?? "")
    ) {
      push();
      continue;
    }
    if (!/^(が|を|も|は)$/u.test(particle)) continue;
    // …がきれい / 見頃 / 満開: a sight worth a walk.
    const sight = tokens[unit.to + 1];
    if (
      sight &&
      /^(きれい|綺麗|見頃|満開|見事)$/u.test(sight.surface) &&
      unit.category !== "shop"
    ) {
      out.push({
        start: tokens[unit.from]!.start,
        end: tokens[unit.to - 1]!.end,
        category: unit.category === "place" ? "place" : "nature",
        rank: 3,
      });
      continue;
    }
    // …は樹齢三百年: a tree.
    if (sight?.surface === "樹齢" && (species || unit.category === "nature")) {
      push();
      continue;
    }
    // The first verb of the clause says what the thing does (ゲームをしていた is not alive).
    const verb = tokens
      .slice(unit.to + 1, unit.to + 4)
      .find((t) => t.pos === "動詞" && t.pos1 === "自立");
    if (!verb || !LIVING_VERBS.test(verb.basic)) continue;
    const met =
      species &&
      len === 2 &&
      MET_VERBS.test(verb.basic) &&
      /^(に|で)$/u.test(tokens[unit.from - 1]?.surface ?? "") &&
      units.some(
        (x) => x.to === unit.from - 1 && OUTDOORS.test(surfaceOf(x.from, x.to)) && !x.person,
      );
    const living =
      ALWAYS_LIVING.test(verb.basic) ||
      met ||
      KANJI_SPECIES.test(word) ||
      (KANA_ONLY.test(word) && len >= 3 && part.every((t) => t.pos1 === "一般"));
    if (!living) continue;
    push();
  }
}

// ---------------------------------------------------------------------------------------------
// Times of recurring events: 毎週木曜, 第二日曜, 日曜の朝, 月に一度, 夕方5時から7時まで, 夏休み.

const NUM = "[0-9０-９一二三四五六七八九十]+";
const DAY = "[月火水木金土日](?:曜日?|曜)";
const PART_OF_DAY = "(?:朝|昼|夕方|夜|午前|午後|放課後)";
const CLOCK = `${NUM}時(?:半|${NUM}分)?(?:ごろ|頃)?`;
const TIME_PIECES = [
  `毎週${DAY}`,
  `毎月${NUM}日`,
  `(?:${NUM}月の?)?第${NUM}${DAY}`,
  `隔週${DAY}?`,
  `(?:毎月)?最終${DAY}`,
  `${DAY}の${PART_OF_DAY}`,
  `(?:毎|${NUM})?(?:月|週)に${NUM}(?:度|回)`,
  `${PART_OF_DAY}?(?:なら)?${CLOCK}(?:から(?:${CLOCK})?(?:まで)?|以降|まで)`,
  `${PART_OF_DAY}(?:の時間)?なら`,
  `(?:夏|冬|春)休み(?:の間|中)?`,
  `(?:毎年|毎月)${NUM}月(?:の(?:${PART_OF_DAY}|初め|終わり|末))?`,
  `${NUM}月${NUM}日(?:[（(][月火水木金土日][）)])?`,
  `(?:今度|来週|来月|次)の${DAY}(?:の${PART_OF_DAY})?`,
  `(?:土日|週末|平日)の(?:${PART_OF_DAY}|午前中)`,
  `${DAY}の午前中`,
  `年に${NUM}(?:度|回)`,
  `${DAY}日?(?:と|や|・)${DAY}日?`,
  `${DAY}日?の?${PART_OF_DAY}?${CLOCK}(?:から(?:${CLOCK})?(?:まで)?|以降|まで)?`,
  `毎週末|週末ごと`,
  `毎年(?:春|夏|秋|冬|お盆|正月|年末|年始)`,
  `毎月(?:初め|末|終わり)`,
  `(?:今月|来月|毎月)の?${NUM}日`,
  `${NUM}月の(?:初め|上旬|中旬|下旬|終わり|末)`,
  `(?:冬|春|夏|お盆|年末年始|ゴールデンウィーク|大型連休)の?(?:休み|連休)?(?:の間|中)`,
  // 朝六時半ごろ, 午後2時: a clock time someone is free or something starts (not 毎朝6時半に, the
  // writer's own routine).
  `(?<!毎)(?:朝|夕方|夜|午前|午後)${CLOCK}`,
];
const TIME_RE = new RegExp(
  `(?:${TIME_PIECES.join("|")})(?:[、の]?(?:${TIME_PIECES.join("|")}))*`,
  "gu",
);

function timeExpressions(compact: string, out: Candidate[]) {
  const cps = Array.from(compact);
  for (const m of compact.matchAll(TIME_RE)) {
    const startUnits = m.index!;
    const start = Array.from(compact.slice(0, startUnits)).length;
    const len = Array.from(m[0]).length;
    // A lone part of day with なら is only a time when a clock time follows (放課後なら4時以降).
    if (len < 3) continue;
    const next = cps[start + len];
    // 〜に来る, 〜の人: the time describes a person's visit rather than a gathering; 春休みで:
    // the reason the writer is somewhere.
    if (next === "来" || m[0].endsWith("なら")) continue;
    if (m[0].endsWith("休み") && /^[でだなが]$/u.test(next ?? "")) continue;
    out.push({ start, end: start + len, category: "event", rank: 2 });
  }
}

// ---------------------------------------------------------------------------------------------
// People and what they can do: …が得意な…さん, 元…の…, …でした (a former trade), …てくれた.

function personSkills(tokens: Tok[], compact: string, out: Candidate[]) {
  const cps = Array.from(compact);
  const push = (start: number, end: number) =>
    out.push({ start, end, category: "person_skill", rank: 2 });
  const clauseStart = (at: number) => {
    let s = at;
    while (s > 0 && !/[。！？!?、「」]/u.test(cps[s - 1]!) && at - s < 24) s--;
    return s;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // …が得意 / …が上手 / …に詳しい: the skill and who has it.
    if (
      (/^(得意|上手|達者)$/u.test(t.surface) || /^(詳しい|うまい|上手い)$/u.test(t.basic)) &&
      i > 0 &&
      /^(が|の|に|は)$/.test(tokens[i - 1]!.surface)
    ) {
      const s = clauseStart(t.start);
      let e = t.end;
      // …な ○○さん / 人 / 方 follows.
      for (let k = i + 1; k < Math.min(tokens.length, i + 5); k++) {
        const x = tokens[k]!;
        if (CLAUSE_END.test(x.surface) || x.surface === "、") break;
        if (x.surface === "さん" || x.surface === "人" || x.surface === "方" || x.pos2 === "人名") {
          e = x.end;
          break;
        }
      }
      // A request for such a person (写真が上手な人、教えてください) is a need; leave it to wants.
      const rest = cps.slice(e, e + 16).join("");
      if (!/ください|下さい|欲しい|ほしい|いたら|いません/u.test(rest)) push(s, e);
      continue;
    }
    // 元 + trade: 元大工の…さん, 元看護師.
    if (t.surface === "元" && t.pos === "接頭詞" && tokens[i + 1]?.pos === "名詞") {
      let e = tokens[i + 1]!.end;
      for (let k = i + 2; k < Math.min(tokens.length, i + 6); k++) {
        const x = tokens[k]!;
        if (x.pos === "名詞" || x.surface === "の") e = x.end;
        else break;
      }
      push(t.start, e);
      continue;
    }
    // The writer's trade: 私は…の調理師でした / …をしていました.
    if (
      (t.surface === "でし" || t.surface === "だっ") &&
      i > 0 &&
      tokens[i - 1]!.pos === "名詞" &&
      /(師|士|員|家|者|職人|大工|屋|さん|板前|コック|シェフ|先生|教師|棟梁)$/.test(
        tokens[i - 1]!.surface,
      )
    ) {
      let s = i - 1;
      while (s > 0 && (tokens[s - 1]!.pos === "名詞" || tokens[s - 1]!.surface === "の")) s--;
      if (tokens[s]!.surface === "の") s++;
      push(tokens[s]!.start, tokens[i - 1]!.end);
      continue;
    }
    // Someone fixed / taught / made something: …直してくれた.
    if (
      t.pos === "動詞" &&
      /^(直す|教える|修理|作る|治す|見る|手伝う|繕う|縫う|研ぐ)$/.test(t.basic) &&
      tokens[i + 1]?.surface === "て" &&
      /^(くれ|くださっ|もらっ|いただい)/.test(tokens[i + 2]?.surface ?? "")
    ) {
      // Requests (教えてください) and wished-for helpers (教えてくれる所, …してくれる人) are needs.
      if (/^(ください|下さい)/.test(tokens[i + 2]!.surface)) continue;
      const after = tokens[i + 3];
      if (after && after.pos === "名詞") continue;
      push(clauseStart(t.start), tokens[i + 2]!.end);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Wants: what the writer wishes existed or would like to do (need), or proposes (idea).

const WANT_MARKERS: Array<[RegExp, SeedCategory]> = [
  // Ideas: something the writer proposes doing or starting, often with others.
  [
    /(?:したら|やったら|にしたら|のは|ては|たら)(?:どうかな|どうだろう|どうでしょう|どう[？?])/u,
    "idea",
  ],
  [
    /(?:でき|やれ|作れ|開け|始められ)(?:たら|れば|ると)(?:いいのに|いいな|良いのに|楽しそう|面白そう|おもしろそう|楽しい|面白い|おもしろい|素敵|すてき)/u,
    "idea",
  ],
  // …つながれたらいいのに, …開いていたらいいのに: a way things could be (not …がいたら, a person
  // the writer lacks; not …てくれたら, a favour).
  [/(?:(?<!く)れ|てい|てあっ)たら(?:いいのに|いいな|良いのに)/u, "idea"],
  [/(?:たら|れば)(?:楽しそう|面白そう|おもしろそう|楽しい|面白い|おもしろい|素敵|すてき)/u, "idea"],
  [/(?:しよう|やろう|作ろう|始めよう|開こう)(?:という|って|と(?:話|思|考))/u, "idea"],
  [/(?:みよう|しよう|やろう)か(?:と|な)/u, "idea"],
  // …の居場所になったらいいな, …になればいいのに: what a place could become.
  [/(?:に|く)なったら(?:いい|良い)|に(?:なれ|なる)ば(?:いい|良い)|になると(?:いい|良い)/u, "idea"],
  // …できるといいですね: a suggestion to the readers.
  [/(?:たら|れば|と)(?:いい|良い)(?:です)?ね/u, "idea"],
  [/(?:でき|やれ|作れ|行け)ないかな/u, "idea"],
  [/(?:でき|れ|け|せ|め|げ|べ|え)ない(?:だろうか|でしょうか|ものか)/u, "idea"],
  [/ませんか|しましょう|(?:よう|ろう|こう|そう)かな/u, "idea"],
  [/(?:作り|始め|開き|企画し|やってみ|立ち上げ)たい/u, "idea"],
  [/(?:作っ|始め|開い|企画し|立ち上げ)てみたい/u, "idea"],
  // …をしたい, …をやりたい, …を植えてみたい: an activity the writer would like to do, unless it is
  // learning or talking for themselves (話したい, 勉強したい are needs).
  [
    /(?<!勉強|相談|仕事|話|練習|手術|治療)(?:を|も)(?:し|やり|やっ|し|植え|飾り|育て)(?:て?みたい|たい)/u,
    "idea",
  ],
  [/(?:のも|ても|でも)(?:いい|良い)かも/u, "idea"],
  // Needs: something missing, hard, or wished for.
  [
    /(?:が|は|も)?(?:あったら|あれば|あると)(?:いい|良い|うれしい|嬉しい|助かる|行きたい|参加したい)/u,
    "need",
  ],
  [/(?:い|あっ)?たらいいのに|ればいいのに/u, "need"],
  [/(?:たら|れば)(?:いいな|良いな|いいなあ|いいなぁ)/u, "need"],
  // …がいたら続けられそう, …があったら通ってみたい: what would make the writer able to.
  [
    /(?:が|も)(?:いたら|いれば|あったら|あれば)[^、。]{0,10}(?:たい|られそう|続けられ|通え|行け)/u,
    "need",
  ],
  // A want left unfinished: …つながれる場があれば。
  [/(?:が|も)(?:いたら|いれば|あったら|あれば|あると|いると|おると|おれば)[。！…]*$/u, "need"],
  // Dialect: …おるとええ, …あればええ.
  [/(?:と|たら|れば)ええ/u, "need"],
  [/(?:話し|会っ|聞い|相談し|習っ|教わっ|参加し)てみたい/u, "need"],
  [/(?:が)?(?:ほしい|欲しい)/u, "need"],
  [/(?:が)?(?:いたら|いれば)(?:うれしい|嬉しい|助かる|ありがたい|いいな)/u, "need"],
  [/(?:と|ると)いいな/u, "need"],
  [/たらうれしい|たら嬉しい|たら助かる|とありがたい|るとありがたい/u, "need"],
  [/を?募集(?:中|しています)?/u, "need"],
  [/が?(?:不便|困って|足りな)/u, "need"],
  [
    /(?:場所|所|場|居場所|機会|相手|仲間|店)(?:が|も)(?:ない|なくて|ありません|少ない|少なくて|なかなか)/u,
    "need",
  ],
  [/(?:し|行き|入り|話し|使い|出かけ)(?:づらい|にくい)/u, "need"],
  [/を探して/u, "need"],
  [/(?:て|で)(?:ください|下さい|ほしい)/u, "need"],
  [/(?:る|く)所はありますか|はありますか|ところはありますか/u, "need"],
  [/(?:話し|取り|知り|習い|学び|相談し|会い|行き|見てみ|参加し|作り)たい/u, "need"],
  [/(?:せ|れ|え|け|て|べ|め|げ)たら[。！]?$/u, "need"],
  // Any other wish of the writer's (…たいです, …たいな, …たい。), not a refusal (…たくない).
  [/たい(?:です|な|と思|けど|のですが|んです|ね|よ)|たい[！!]?$/u, "need"],
];

// A person's skill said in a clause: hobbies, trades, what someone can do or did for others.
const SKILL_MARKERS = [
  /(?:趣味|特技)(?:は|が|で)/u,
  /が(?:趣味|特技)/u,
  /を(?:習って|教えて)(?:い|る|ま)/u,
  /歴[0-9０-９一二三四五六七八九十]+年/u,
  /(?:名人|達人|名手)/u,
  /(?:弾け|作れ|編め|縫え|描け|直せ|育てられ|教えられ)(?:る|ます)/u,
  /語が話せ/u,
  /を(?:して|やって)いました|の仕事をして/u,
  /教えてもらっ|教わっ/u,
  // What the writer or someone else can do: …なら誰にも負けない, …のことなら何でも知っている.
  /なら(?:誰にも負け|何でも|なんでも|任せ|まかせ|大抵|たいてい|だいたい|教えられ|お?教えでき|お?教えします|相談に乗)/u,
  /(?:描く|弾く|作る|撮る|歌う|編む|縫う|踊る|焼く|育てる|直す|組み立てる)のが(?:好き|得意)/u,
  /を(?:教えて|指導して)(?:い|お)/u,
  /(?:資格|免許)を持って/u,
  /(?:の先生|の講師|の師範|インストラクター|コーチ)(?:を(?:して|やって)|として)/u,
  /の経験があ/u,
];
// A trade someone had (若いころは漁師をしていた, 四十年大工をしておった): the doing of it with when.
const FORMER_TRADE =
  /(?:若い(?:ころ|頃)|昔|以前|長年|長く|定年まで|現役(?:の|時代)|[0-9０-９一二三四五六七八九十百]+年)[^、。]*を(?:して|やって)(?:いた|おった|おりました|た)(?!ら)/u;

function skillClauses(cps: string[], out: Candidate[]) {
  for (const { start, end } of clausesOf(cps)) {
    const clause = cps.slice(start, end).join("");
    if (
      /[「」『』]/u.test(clause) ||
      /ください|下さい|いたら|いれば|ほしい|欲しい|探して|募集/u.test(clause)
    )
      continue;
    if (!SKILL_MARKERS.some((re) => re.test(clause)) && !FORMER_TRADE.test(clause)) continue;
    let from = start;
    while (from < end && /[\s、]/u.test(cps[from]!)) from++;
    if (end - from >= 4) out.push({ start: from, end, category: "person_skill", rank: 1 });
  }
}

/** Clauses: split at sentence ends and commas, never inside quotes. */
function clausesOf(cps: string[]): Array<{ start: number; end: number }> {
  const clauses: Array<{ start: number; end: number }> = [];
  let s = 0;
  let depth = 0;
  for (let i = 0; i < cps.length; i++) {
    const ch = cps[i]!;
    if (ch === "「" || ch === "『") depth++;
    else if ((ch === "」" || ch === "』") && depth > 0) depth--;
    else if (depth === 0 && (CLAUSE_END.test(ch) || ch === "、")) {
      if (i > s) clauses.push({ start: s, end: i });
      s = i + 1;
    }
  }
  if (s < cps.length) clauses.push({ start: s, end: cps.length });
  return clauses;
}

// A want is an idea rather than a need when it proposes something for others too: a gathering that
// could exist (…会があったらいいのに), or doing something together (みんなで…したい) — unless what
// is wanted is a person (一緒に走る仲間がいたら).
const GATHERING_WANT =
  /(?:会|教室|サークル|クラブ|イベント|マルシェ|講座|集まり|つどい|祭り|カフェ|食堂|活動)(?:が|も)?(?:あったら|あれば|あると|できたら|できれば|できると)(?:いい|良い|楽しい|面白い|素敵|すてき|うれしい|嬉しい)/u;
const TOGETHER = /一緒に|みんなで|皆で|皆さんで|みなさんで|地域で|町で/u;
const PERSON_WANTED = /(?:人|仲間|方|相手|友達|友だち)(?:が|も|を)/u;
// The writer's own next step (行ってみようかな) is a plan, not a want.
const OWN_PLAN = /(?:行って?みよう|行こう|帰ろう|寝よう|休もう)か/u;

function wantCategory(clause: string, category: SeedCategory): SeedCategory {
  if (category !== "need") return category;
  if (GATHERING_WANT.test(clause)) return "idea";
  if (TOGETHER.test(clause) && !PERSON_WANTED.test(clause)) return "idea";
  return category;
}

function wants(cps: string[], out: Candidate[]) {
  const clauses = clausesOf(cps);
  for (let c = 0; c < clauses.length; c++) {
    const { start, end } = clauses[c]!;
    const clause = cps.slice(start, end).join("");
    if (/[「」『』]/u.test(clause)) continue;
    for (const [re, found] of WANT_MARKERS) {
      const m = re.exec(clause);
      if (!m) continue;
      if (found === "idea" && OWN_PLAN.test(clause)) break;
      const markerEnd = Array.from(clause.slice(0, m.index + m[0].length)).length;
      let from = start;
      // A clause that is only the want (…がほしい) takes its object from the clause before, in
      // the same sentence.
      if (Array.from(clause.slice(0, m.index)).length < 4 && c > 0 && cps[start - 1] === "、")
        from = clauses[c - 1]!.start;
      const category = wantCategory(cps.slice(from, start + markerEnd).join(""), found);
      // Drop leading connectives and addressing (でも、ところで、今は).
      while (from < start + markerEnd && /[\s、]/u.test(cps[from]!)) from++;
      const head = cps.slice(from, start + markerEnd).join("");
      const conj =
        /^(でも|ところで|それで|だから|なので|あと|また|もし|もっと|ただ|今は|あの|ぜひ|誰か|どなたか)/u.exec(
          head,
        );
      if (conj) from += Array.from(conj[0]).length;
      const e = start + markerEnd;
      if (e - from < 4) break;
      // Thanks, an invitation to contact the writer, or an offer to people who want to learn
      // (知りたい方がいたら) are not wants for the town.
      if (/ありがとう|すみません/u.test(head)) break;
      if (/(声をかけ|連絡し|来|きて|参加し|読んで|聞いて|待って)て?(ください|下さい)/u.test(clause))
        break;
      if (/たい(方|人)(が|は|も)/u.test(clause)) break;
      out.push({ start: from, end: e, category, rank: 1 });
      break;
    }
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Overlapping candidates: a span inside a wider one goes (the want that names a place is one
 * seed); of two that cross, the higher rank wins; a phrase said twice is suggested once.
 */
function resolve(candidates: Candidate[], chars: string[]): Candidate[] {
  const sorted = [...candidates].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || b.rank - a.rank || a.start - b.start,
  );
  const kept: Candidate[] = [];
  for (const c of sorted) {
    const clash = kept.some(
      (k) =>
        (k.start <= c.start && c.end <= k.end) ||
        (k.start < c.end && c.start < k.end && k.rank >= c.rank),
    );
    if (!clash) kept.push(c);
  }
  const seen = new Set<string>();
  return kept
    .sort((a, b) => a.start - b.start)
    .filter((c) => {
      const key = `${c.category}:${searchKey(chars.slice(c.start, c.end).join(""))}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

// ---------------------------------------------------------------------------------------------

function autolink(text: string, chars: string[], known: KnownName[]): SeedSuggestion[] {
  if (known.length === 0) return [];
  const hay = foldForSearch(text);
  const found: SeedSuggestion[] = [];
  for (const k of known) {
    const forms = [k.name, ...k.aliases]
      .map((f) => foldForSearch(f.normalize("NFC")).folded)
      .filter((f) => f.length >= 2)
      .sort((a, b) => b.length - a.length);
    for (const needle of forms) {
      for (const at of indexesOfSeq(hay.folded, needle)) {
        const { start, end } = originalSpan(hay, at, needle.length);
        if (found.some((f) => f.start < end && start < f.end)) continue;
        found.push({
          start,
          end,
          text: chars.slice(start, end).join(""),
          category: k.category,
          source: "autolink",
        });
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
