import { beforeAll, describe, expect, it } from "vitest";
import { loadSeedTokenizer, suggestSeeds, type SeedSuggestion } from "./suggest.server";

// Sentences made up for these tests, not taken from the dev texts.
const find = (seeds: SeedSuggestion[], part: string) => seeds.find((s) => s.text.includes(part));
const slice = (text: string, s: SeedSuggestion) =>
  Array.from(text.normalize("NFC")).slice(s.start, s.end).join("");

beforeAll(async () => {
  await loadSeedTokenizer();
});

describe("discovery", () => {
  it("finds named places, groups and shops by the word they end in, with their modifiers", async () => {
    const text =
      "駅の北にあるかもめ公園で、\n囲碁クラブの人たちに会った。\n帰りに八百屋さんの隣の古い本屋に寄った。";
    const seeds = await suggestSeeds(text);
    expect(find(seeds, "かもめ公園")).toMatchObject({ category: "place", source: "discovery" });
    expect(find(seeds, "囲碁クラブ")).toMatchObject({ category: "activity" });
    expect(find(seeds, "本屋")).toMatchObject({ category: "shop" });
    for (const s of seeds) expect(slice(text, s)).toBe(s.text);
  });

  it("takes 「…」 names with what they are, but not quoted speech", async () => {
    const seeds = await suggestSeeds(
      "商店街のパン屋「こむぎ堂」で、店長が「また来てね！」と言った。",
    );
    expect(find(seeds, "「こむぎ堂」")).toMatchObject({ category: "shop" });
    expect(find(seeds, "また来てね")).toBeUndefined();
  });

  it("joins a place and the activity held there", async () => {
    const seeds = await suggestSeeds("朝は河川敷で太極拳をしています。");
    expect(find(seeds, "河川敷で太極拳")).toMatchObject({ category: "activity" });
  });

  it("finds times of recurring events", async () => {
    const text = "毎週金曜の夜に集まっています。次は7月の第二日曜、午後1時から3時までです。";
    const seeds = await suggestSeeds(text);
    expect(find(seeds, "毎週金曜")).toMatchObject({ category: "event" });
    expect(find(seeds, "第二日曜")).toMatchObject({ category: "event" });
    expect(find(seeds, "1時から3時まで")).toMatchObject({ category: "event" });
  });

  it("finds people with a skill", async () => {
    const seeds = await suggestSeeds(
      "隣の家の元板前のおじいさんは、魚をさばくのが得意なトミさんです。",
    );
    expect(find(seeds, "元板前")).toMatchObject({ category: "person_skill" });
    expect(find(seeds, "得意なトミさん")).toMatchObject({ category: "person_skill" });
  });

  it("turns wants into needs and proposals into ideas", async () => {
    const seeds = await suggestSeeds(
      "雨の日に子どもが走り回れる場所があったらいいのに。\n空き店舗でみんなの本棚を作れたら楽しそう。",
    );
    expect(find(seeds, "走り回れる場所")).toMatchObject({ category: "need" });
    expect(find(seeds, "本棚を作れたら")).toMatchObject({ category: "idea" });
  });

  it("notices living things the writer saw", async () => {
    const seeds = await suggestSeeds("用水路でメダカを見つけた。裏山ではヤマユリが咲いていた。");
    expect(find(seeds, "メダカ")).toMatchObject({ category: "nature" });
    expect(find(seeds, "ヤマユリ")).toMatchObject({ category: "nature" });
  });

  it("reads a shop called by its keeper (…屋さん) as a shop, and 会 / 市 after a noun as a group or market", async () => {
    const seeds = await suggestSeeds(
      "角の魚屋さんで聞いたら、公民館の読書会と骨董市があるそうだ。",
    );
    expect(find(seeds, "魚屋さん")).toMatchObject({ category: "shop" });
    expect(find(seeds, "読書会")).toMatchObject({ category: "activity" });
    expect(find(seeds, "骨董市")).toMatchObject({ category: "event" });
  });

  it("takes an event with where it is held", async () => {
    const seeds = await suggestSeeds("毎月、お寺の境内で開かれる朝市に行きます。");
    expect(find(seeds, "朝市")).toMatchObject({
      text: "お寺の境内で開かれる朝市",
      category: "event",
    });
  });

  it("finds more event times, but not a holiday given as a reason", async () => {
    const seeds = await suggestSeeds("朝七時半ごろなら行けます。毎月最終日曜にやっています。");
    expect(find(seeds, "朝七時半ごろ")).toMatchObject({ category: "event" });
    expect(find(seeds, "毎月最終日曜")).toMatchObject({ category: "event" });
    expect(await suggestSeeds("春休みで帰省した。")).toEqual([]);
  });

  it("finds former trades and what someone is the best at", async () => {
    const seeds = await suggestSeeds("若いころは大工をしていた。木工なら誰にも負けない。");
    expect(find(seeds, "大工をしていた")).toMatchObject({ category: "person_skill" });
    expect(find(seeds, "木工なら誰にも負けない")).toMatchObject({ category: "person_skill" });
  });

  it("tells ideas (a gathering that could exist, doing things together) from needs", async () => {
    const seeds = await suggestSeeds(
      "子どもが集まれる会があったらいいのに。\nみんなでつながれたらいいのに。\n一緒に走る仲間がいたら続けられそう。",
    );
    expect(find(seeds, "集まれる会")).toMatchObject({ category: "idea" });
    expect(find(seeds, "つながれたら")).toMatchObject({ category: "idea" });
    expect(find(seeds, "走る仲間")).toMatchObject({ category: "need" });
  });

  it("notices species by what belongs to them or where they come", async () => {
    const seeds = await suggestSeeds(
      "庭に来るシジュウカラを見ている。キンモクセイの香りがする。池でカメを見つけた。",
    );
    expect(find(seeds, "シジュウカラ")).toMatchObject({ category: "nature" });
    expect(find(seeds, "キンモクセイ")).toMatchObject({ category: "nature" });
    expect(find(seeds, "カメ")).toMatchObject({ category: "nature" });
    expect(await suggestSeeds("夜はずっとゲームをしていた。")).toEqual([]);
  });

  it("suggests nothing in ordinary chatter", async () => {
    expect(await suggestSeeds("きょうは雨でした。ごはんがおいしかった。またね。")).toEqual([]);
  });
});

describe("offsets", () => {
  it("counts characters outside the BMP as one code point", async () => {
    const text = "𠮷田さんと𩸽を食べたあと、\nつばめ公園を歩いた。";
    const seeds = await suggestSeeds(text);
    const park = find(seeds, "つばめ公園")!;
    expect(park).toMatchObject({ start: 14, end: 19, text: "つばめ公園" });
    expect(slice(text, park)).toBe("つばめ公園");
  });

  it("normalises NFD input to NFC first and counts offsets in the NFC text", async () => {
    const nfc = "ひがし公民館のバザーに行きました。";
    const nfd = nfc.normalize("NFD");
    expect(nfd).not.toBe(nfc);
    const seeds = await suggestSeeds(nfd);
    const hall = find(seeds, "公民館")!;
    expect(hall.text).toBe(Array.from(nfc).slice(hall.start, hall.end).join(""));
    expect(hall.text.normalize("NFC")).toBe(hall.text);
    expect(await suggestSeeds(nfc)).toEqual(seeds);
  });
});

describe("autolink", () => {
  const known = [
    { name: "カフェ・ひだまり", aliases: ["ひだまり"], category: "shop" as const },
    { name: "野々村農園", aliases: [], category: "place" as const },
    { name: "読み聞かせ会", aliases: [], category: "activity" as const },
  ];

  it("finds known names across kana, width, 々 and okurigana spellings", async () => {
    const text =
      "ｶﾌｪ･ﾋﾀﾞﾏﾘでお茶をして、野野村農園で芋ほり。\n夜は読聞かせ会。ヒダマリにまた行きたい。";
    const seeds = (await suggestSeeds(text, { known })).filter((s) => s.source === "autolink");
    expect(seeds.map((s) => [s.text, s.category])).toEqual([
      ["ｶﾌｪ･ﾋﾀﾞﾏﾘ", "shop"],
      ["野野村農園", "place"],
      ["読聞かせ会", "activity"],
      ["ヒダマリ", "shop"],
    ]);
    for (const s of seeds) expect(slice(text, s)).toBe(s.text);
  });

  it("keeps a known name instead of a discovered phrase over the same words", async () => {
    const seeds = await suggestSeeds("野々村農園に行った。", { known });
    expect(seeds).toEqual([
      { start: 0, end: 5, text: "野々村農園", category: "place", source: "autolink" },
    ]);
  });
});
