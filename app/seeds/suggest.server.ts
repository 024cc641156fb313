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
    ],
  ],
  [
    "event",
    ["祭り", "まつり", "祭", "朝市", "マルシェ", "フリマ", "バザー", "大会", "発表会", "盆踊り"],
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
    ],
  ],
  ["person_skill", ["師", "士", "職人", "大工", "名人", "名手"]],
];

// Suffix lookup, longest suffix first, so 商店街 is a place before 店 makes it a shop.
const HEAD_LIST = HEADS.flatMap(([category, words]) => words.map((w) => ({ w, category }))).sort(
  (a, b) => b.w.length - a.w.length,
);

function headCategory(word: string): SeedCategory | null {
  if (/同士$|紳士$/u.test(word)) return null;
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
const NOMINAL_KANA = new Set(["つどい", "集い", "あつまり", "集まり", "まつり"]);

function isNounPart(t: Tok): boolean {
  if (t.quoteName || NOMINAL_KANA.has(t.surface)) return true;
  if (t.pos === "接頭詞") return true;
  if (t.pos !== "名詞") return false;
  return !["代名詞", "非自立", "副詞可能", "数"].includes(t.pos1);
}

// Public facilities: a town usually has one of each, so the bare word already names a place.
const FACILITIES =
  /^(公民館|図書館|児童館|体育館|市民会館|会館|集会所|保健室|センター|市役所|役場|駅|神社)$/u;

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
    }
    const person =
      last.pos2 === "人名" ||
      last.surface === "さん" ||
      last.surface === "ちゃん" ||
      last.surface === "くん" ||
      PERSON_WORDS.test(surface) ||
      PERSON_WORDS.test(last.surface);
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

/**
 * Noun phrases naming a resource: a noun run whose head is a kind of place, group, shop or living
 * thing, or a quoted name, with the runs joined to it by の (川沿いの…公園, 公民館の…食堂) — up to
 * two before and one after — and a place joined by で to an activity (土手で…体操).
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
    // Modifiers before: 坂の上の団地, 駅裏の喫茶「…」.
    while (first > 0 && u - first < 2) {
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
    let endTok = units[last]!.to;
    // PLACE で ACTIVITY: the activity with where it happens.
    const after = units[last + 1];
    if (
      category === "place" &&
      after &&
      after.category === "activity" &&
      after.from === endTok + 1 &&
      tokens[endTok]!.surface === "で"
    ) {
      used.add(last + 1);
      endTok = after.to;
      category = "activity";
    } else if (first === last && !quote && isBareKind(tokens, unit, category)) continue;
    out.push({
      start: tokens[units[first]!.from]!.start,
      end: tokens[endTok - 1]!.end,
      category: category ?? (quote ? "place" : "other"),
      rank: 3,
    });
  }
}

// What the writer saw living: …が咲いて, …を見つけました, …が動いていて. Plants and animals that
// are written in katakana (by convention for species names) or whose verb says they live.
const LIVING_VERBS =
  /^(咲く|咲き始める|咲き誇る|実る|鳴く|さえずる|飛ぶ|泳ぐ|跳ねる|育つ|見つける|見かける|動く|いる|住む|巣立つ|舞う|光る|色づく|芽吹く|見る|撮る|眺める|聞こえる|来る|作る)$/u;
const ALWAYS_LIVING = /^(咲く|咲き始める|咲き誇る|実る|鳴く|さえずる|巣立つ|色づく|芽吹く|舞う)$/u;
const KANA_ONLY = /^[\u3041-\u3096\u30a1-\u30fa\u30fc]+$/u;

function livingThings(tokens: Tok[], out: Candidate[]) {
  for (const unit of nounUnits(tokens)) {
    if (unit.person || unit.quote) continue;
    const particle = tokens[unit.to]?.surface ?? "";
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
    const verb = tokens
      .slice(unit.to + 1, unit.to + 4)
      .find((t) => t.pos === "動詞" && LIVING_VERBS.test(t.basic));
    if (!verb) continue;
    const part = tokens.slice(unit.from, unit.to);
    const word = part.map((t) => t.surface).join("");
    const living =
      ALWAYS_LIVING.test(verb.basic) ||
      (KANA_ONLY.test(word) &&
        Array.from(word).length >= 3 &&
        part.every((t) => t.pos1 === "一般"));
    if (!living) continue;
    out.push({
      start: tokens[unit.from]!.start,
      end: tokens[unit.to - 1]!.end,
      category: "nature",
      rank: 3,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Times of recurring events: 毎週木曜, 第二日曜, 日曜の朝, 月に一度, 夕方5時から7時まで, 夏休み.

const NUM = "[0-9０-９一二三四五六七八九十]+";
const DAY = "[月火水木金土日](?:曜日?|曜)";
const PART_OF_DAY = "(?:朝|昼|夕方|夜|午前|午後|放課後)";
const CLOCK = `${NUM}時(?:半|${NUM}分)?`;
const TIME_PIECES = [
  `毎週${DAY}`,
  `毎月${NUM}日`,
  `(?:${NUM}月の?)?第${NUM}${DAY}`,
  `隔週${DAY}?`,
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
    // 〜に来る, 〜の人: the time describes a person's visit rather than a gathering.
    if (next === "来" || m[0].endsWith("なら")) continue;
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
      (t.surface === "得意" || t.surface === "上手" || t.basic === "詳しい") &&
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
      /(師|士|員|家|者|職人|大工|屋|さん)$/.test(tokens[i - 1]!.surface)
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
    /(?:でき|やれ|作れ|開け|始められ)たら(?:いいな|楽しそう|面白そう|おもしろそう|素敵|すてき)/u,
    "idea",
  ],
  [/(?:たら|れば)(?:楽しそう|面白そう|おもしろそう|素敵|すてき)/u, "idea"],
  [/(?:でき|やれ|作れ|行け)ないかな/u, "idea"],
  [/ませんか|しましょう|(?:よう|ろう|こう|そう)かな/u, "idea"],
  [/(?:作り|始め|開き|企画し|やってみ|立ち上げ)たい/u, "idea"],
  [/(?:のも|ても|でも)(?:いい|良い)かも/u, "idea"],
  // Needs: something missing, hard, or wished for.
  [
    /(?:が|は|も)?(?:あったら|あれば|あると)(?:いい|良い|うれしい|嬉しい|助かる|行きたい|参加したい)/u,
    "need",
  ],
  [/(?:い|あっ)?たらいいのに|ればいいのに/u, "need"],
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
  // Any other wish of the writer's (…たいです, …たいな), not a refusal (…たくない).
  [/たい(?:です|な|と思|けど|のですが|んです)/u, "need"],
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
];

function skillClauses(cps: string[], out: Candidate[]) {
  for (const { start, end } of clausesOf(cps)) {
    const clause = cps.slice(start, end).join("");
    if (/[「」『』]/u.test(clause) || /ください|下さい|いたら|いれば|ほしい|欲しい/u.test(clause))
      continue;
    if (!SKILL_MARKERS.some((re) => re.test(clause))) continue;
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

function wants(cps: string[], out: Candidate[]) {
  const clauses = clausesOf(cps);
  for (let c = 0; c < clauses.length; c++) {
    const { start, end } = clauses[c]!;
    const clause = cps.slice(start, end).join("");
    if (/[「」『』]/u.test(clause)) continue;
    for (const [re, category] of WANT_MARKERS) {
      const m = re.exec(clause);
      if (!m) continue;
      const markerEnd = Array.from(clause.slice(0, m.index + m[0].length)).length;
      let from = start;
      // A clause that is only the want (…がほしい) takes its object from the clause before.
      if (Array.from(clause.slice(0, m.index)).length < 4 && c > 0) from = clauses[c - 1]!.start;
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
