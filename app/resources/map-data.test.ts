import { describe, expect, it } from "vitest";
import { areaLabels, toMapData } from "./map-data";
import type { Resource } from "./types";

const resource = (over: Partial<Resource>): Resource => ({
  id: 1,
  name: "ひだまりカフェ",
  aliases: [],
  description: "",
  category: "place",
  tags: [],
  area: "さくら地区",
  organization: "",
  address: "架空市さくら町1-2",
  lat: 34.6,
  lng: 136.1,
  scheduleText: "毎週木曜の午前",
  schedule: [],
  phone: "",
  email: "",
  url: "",
  eligibility: "",
  fees: "",
  status: "active",
  visibility: "staff",
  verifiedOn: null,
  verifiedHow: null,
  createdAt: "",
  updatedAt: "",
  ...over,
});

describe("toMapData", () => {
  it("keeps located resources as small tuples and counts every match", () => {
    const data = toMapData(
      [
        resource({ id: 1 }),
        resource({ id: 2, lat: null, lng: null }),
        resource({ id: 3, area: "", category: "shop", status: "closed", lat: 34.7, lng: 136.2 }),
      ],
      [
        { name: "さくら町まちの保健室", area: "さくら地区", lat: 34.62, lng: 136.1 },
        { name: "みなと町まちの保健室", area: "みなと地区", lat: null, lng: null },
      ],
      "ja",
    );
    expect(data.total).toBe(3);
    expect(data.areas).toEqual(["さくら地区"]);
    expect(data.points).toEqual([
      [1, 34.6, 136.1, 0, 0, 0, "ひだまりカフェ", "架空市さくら町1-2", "毎週木曜の午前"],
      [3, 34.7, 136.2, 6, 3, -1, "ひだまりカフェ", "架空市さくら町1-2", "毎週木曜の午前"],
    ]);
    expect(data.healthRooms).toEqual([
      { name: "さくら町まちの保健室", area: "さくら地区", lat: 34.62, lng: 136.1 },
    ]);
  });
});

describe("areaLabels", () => {
  it("puts each area's name at the centroid of its resources", () => {
    const data = toMapData(
      [
        resource({ id: 1, lat: 34.6, lng: 136.1 }),
        resource({ id: 2, lat: 34.8, lng: 136.3 }),
        resource({ id: 3, area: "みなと地区", lat: 35, lng: 137 }),
      ],
      [],
      "ja",
    );
    const labels = areaLabels(data);
    expect(labels.map((l) => [l.name, l.count])).toEqual([
      ["さくら地区", 2],
      ["みなと地区", 1],
    ]);
    expect(labels[0]!.lat).toBeCloseTo(34.7);
    expect(labels[0]!.lng).toBeCloseTo(136.2);
  });
});
